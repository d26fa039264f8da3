// What the Rules view shows, from the rule service: the rules, the suggestions (risky ones on request)
// and the rules' effects over the last 7 local days.
import { localMidnightOf } from '../service/digest.ts'
import { rulesOf } from '../service/rules.ts'
import type { Services } from '../service/services.ts'
import type { RulesPageData } from './rules-view.ts'

const DAY = 86_400_000

/** The rules' effects over the last `days` local days (the same days as the report). */
export function recentRuleEffects(services: Services, days = 7) {
  const now = services.now()
  const from = localMidnightOf(now) - (days - 1) * DAY
  return rulesOf(services).effects({ from, to: now + 1, dayOffsetMs: ((from % DAY) + DAY) % DAY })
}

export function rulesPageData(services: Services, includeRisky: boolean): RulesPageData {
  const rules = rulesOf(services)
  return {
    rules: rules.list(),
    suggestions: rules.suggest({ includeRisky }),
    includeRisky,
    effects: recentRuleEffects(services),
  }
}
