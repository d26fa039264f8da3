// The weekly report as tend report, GET /v1/report and the dashboard show it: economics' report and
// the capacity now, with what the permission rules decided over the same local days beside them.
import { economicsOf } from './economics.ts'
import { rulesOf } from './rules.ts'
import type { Services } from './services.ts'

const DAY = 86_400_000

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
