// How many agents the person can run: the measured N against their cognitive ceiling, the practical
// limit (the smaller), the warning when more agents are live than that, and what idle time costs. Pure.
import type { RatioEstimate } from './spread.ts'

export interface EconomicsConfig {
  /** However fast agents and the person are, nobody follows more than this many agents well. */
  ceiling: number
  /** What an agent-hour costs (any currency); null: cost not shown. */
  pricePerAgentHour: number | null
  currency: string
}

export interface Capacity {
  /** The measured N = T_work / T_instruct, with its interval; null: not enough data yet. */
  n: RatioEstimate | null
  ceiling: number
  /** The smaller of N and the ceiling (the ceiling alone while N is unknown). */
  limit: number
  limitedBy: 'measured' | 'ceiling'
}

export function capacity(n: RatioEstimate | null, ceiling: number): Capacity {
  if (n && n.value < ceiling) return { n, ceiling, limit: n.value, limitedBy: 'measured' }
  return { n, ceiling, limit: ceiling, limitedBy: 'ceiling' }
}

/** 3.4, 12, 0.62: one decimal under 10, none above. */
export function formatN(n: number): string {
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10)
}

export function describeN(n: RatioEstimate | null): string {
  if (!n) return 'not enough data'
  return `${formatN(n.value)} (${formatN(n.interval[0])}–${formatN(n.interval[1])})`
}

/** True when `live` agents are more than the person can keep busy: agents will queue on them. */
export const overLimit = (live: number, c: Capacity): boolean => live > c.limit

/**
 * The warning a new agent's session shows, or null when the fleet is within the limit:
 * "7 agents live; your measured N is 3.4 (2.9–4.1): agents will queue on you".
 */
export function backpressureMessage(live: number, c: Capacity): string | null {
  if (!overLimit(live, c)) return null
  const agents = `${live} agent${live === 1 ? '' : 's'} live`
  if (c.limitedBy === 'measured') return `${agents}; your measured N is ${describeN(c.n)}: agents will queue on you`
  const measured = c.n ? `measured N ${describeN(c.n)}` : 'N not measured yet'
  return `${agents}; beyond your ceiling of ${formatN(c.ceiling)} (${measured}): agents will queue on you`
}

/** One line for `tend status` and the dashboard banner. */
export function capacityLine(live: number, c: Capacity): string {
  const base = `${live} live · N ${describeN(c.n)} · ceiling ${formatN(c.ceiling)} · limit ${formatN(c.limit)}`
  return overLimit(live, c) ? `${base} · over the limit: agents will queue on you` : base
}

/** Idle agent-time priced; null when no price is configured. */
export function idleCost(idleMs: number, config: Pick<EconomicsConfig, 'pricePerAgentHour'>): number | null {
  if (config.pricePerAgentHour === null) return null
  return Math.round((idleMs / 3600_000) * config.pricePerAgentHour * 100) / 100
}
