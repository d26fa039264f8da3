// GET /v1/report?days=7: the weekly report (tend report, the dashboard): hours worked and idle, the
// longest waits and why, N day by day, what costs the most attention, the permissions that recur, and
// what the permission rules decided instead of the person (ruleEffects).
import { Hono } from 'hono'
import { z } from 'zod'
import { economicsOf } from '../../service/economics.ts'
import { rulesOf } from '../../service/rules.ts'
import type { Services } from '../../service/services.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const QuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) })
const DAY = 86_400_000

/** The report, the capacity now and the rules' effects over the same local days. */
export function reportWithRules(services: Services, days: number) {
  const economics = economicsOf(services)
  const report = economics.report({ days })
  const rules = rulesOf(services).effects({
    from: report.from,
    to: report.to + 1,
    dayOffsetMs: ((report.from % DAY) + DAY) % DAY,
  })
  return { days, report, capacity: economics.capacityNow(), rules }
}

export const reportRoute = new Hono<AppEnv>().get('/', validate('query', QuerySchema), (c) =>
  c.json(reportWithRules(c.get('services'), c.req.valid('query').days)),
)
