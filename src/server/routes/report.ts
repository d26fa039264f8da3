// GET /v1/report?days=7: the weekly report (tend report, the dashboard): hours worked and idle, the
// longest waits and why, N day by day, what costs the most attention, the permissions that recur, and
// what the permission rules decided instead of the person (service/report-with-rules.ts).
import { Hono } from 'hono'
import { z } from 'zod'
import { reportWithRules } from '../../service/report-with-rules.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const QuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) })

export const reportRoute = new Hono<AppEnv>().get('/', validate('query', QuerySchema), (c) =>
  c.json(reportWithRules(c.get('services'), c.req.valid('query').days)),
)
