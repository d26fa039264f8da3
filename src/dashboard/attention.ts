// The attention charts' series, per local day, from the application layer's measures
// (service/economics.ts): agent-minutes idle on the person, median wait, T_work and T_instruct
// (median and quartiles), measured N, and the agents active that day.
import { economicsOf, localMidnight } from '../service/economics.ts'
import type { Services } from '../service/services.ts'
import { agentActivity } from '../store/attention-series.ts'

const DAY_MS = 24 * 3600_000
const MIN = 60_000

export interface Spread {
  median: Array<number | null>
  low: Array<number | null>
  high: Array<number | null>
}

export interface AttentionSeries {
  /** Start of each local day (ms), oldest first. */
  days: number[]
  idleMinutes: number[]
  waitMinutes: Array<number | null>
  tWorkMinutes: Spread
  tInstructMinutes: Spread
  n: Array<number | null>
  activeAgents: number[]
}

const minutes = (ms: number | null | undefined) => (ms == null ? null : Math.round((ms / MIN) * 10) / 10)

export function attentionSeries(services: Services, dayCount: number): AttentionSeries {
  const now = services.now()
  const first = localMidnight(now) - (dayCount - 1) * DAY_MS
  const days = Array.from({ length: dayCount }, (_, i) => first + i * DAY_MS)
  const economics = economicsOf(services)
  const fleet = days.map((from) => economics.measures({ from, to: Math.min(from + DAY_MS, now) }).fleet)
  const spread = (pick: (m: (typeof fleet)[number]) => { median: number | null; iqr: [number, number] | null }) => ({
    median: fleet.map((m) => minutes(pick(m).median)),
    low: fleet.map((m) => minutes(pick(m).iqr?.[0])),
    high: fleet.map((m) => minutes(pick(m).iqr?.[1])),
  })
  const activity = agentActivity(services.store.db, first)
  return {
    days,
    idleMinutes: fleet.map((m) => minutes(m.idleMs) ?? 0),
    waitMinutes: fleet.map((m) => minutes(m.wait.median)),
    tWorkMinutes: spread((m) => m.tWork),
    tInstructMinutes: spread((m) => m.tInstruct),
    n: fleet.map((m) => (m.n ? Math.round(m.n.value * 10) / 10 : null)),
    activeAgents: days.map((day) => activity.filter((a) => a.first < day + DAY_MS && a.last >= day).length),
  }
}
