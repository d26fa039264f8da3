// GET /v1/report?days=7: the weekly report (tend report, the dashboard): hours worked and idle, the
// longest waits and why, N day by day, what costs the most attention, the permissions that recur.
import { Hono } from 'hono'
import { z } from 'zod'
import { economicsOf } from '../../service/economics.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const QuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) })

export const reportRoute = new Hono<AppEnv>().get('/', validate('query', QuerySchema), (c) => {
  const services = c.get('services')
  const { days } = c.req.valid('query')
  const economics = economicsOf(services)
  return c.json({ days, report: economics.report({ days }), capacity: economics.capacityNow() })
})
