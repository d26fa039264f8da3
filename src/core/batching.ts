// Review batching: urgent waits (permission, question, error) ping at once; batchable ones (done: a
// finished task waiting for its next instruction) are gathered and delivered as one digest, at a
// cadence or at chosen local times. Pure: the clock and the local midnight are passed in.
import type { WaitKind } from './agent-state.ts'
import { formatDuration } from './duration.ts'
import { inQuietHours, type NotifyPolicyConfig } from './notify-policy.ts'

const DAY = 24 * 3600_000

export interface BatchConfig {
  enabled: boolean
  /** Every this long, aligned to the local midnight (30 min: at :00 and :30). */
  everyMs: number
  /** Or at these local times (minutes after midnight); when set, they replace the cadence. */
  atMin: number[]
}

export interface BatchableWait {
  waitId: string
  sessionId: string
  /** How the digest names the agent: its project ("api"). */
  name: string
  kind: WaitKind
  startedAt: number
}

export interface DigestInput {
  now: number
  /** The local midnight that began today (ms): the adapter knows the time zone. */
  localMidnight: number
  minuteOfDay: number
  /** The open waits (any order): only batchable ones are looked at. */
  waits: BatchableWait[]
  /** Waits already in a digest: each is delivered once. */
  digested: Set<string>
  /** When the last digest went out; null: never. */
  lastDigestAt: number | null
  config: BatchConfig
  policy: Pick<NotifyPolicyConfig, 'graceMs' | 'quietHours'>
}

export interface PlannedDigest {
  /** The slot it belongs to: one digest per slot. */
  slotAt: number
  items: Array<{ waitId: string; sessionId: string; name: string; waitedMs: number }>
  title: string
  body: string
}

export const isBatchable = (kind: WaitKind): boolean => kind === 'done'

/** With batching on, only urgent waits go through the usual pings. */
export function urgentOnly<T extends { kind: WaitKind }>(waits: T[], config: BatchConfig): T[] {
  return config.enabled ? waits.filter((w) => !isBatchable(w.kind)) : waits
}

/** The slot times of one local day, ascending. */
function slotsOfDay(midnight: number, config: BatchConfig): number[] {
  if (config.atMin.length) return [...config.atMin].sort((a, b) => a - b).map((m) => midnight + m * 60_000)
  const every = Math.max(60_000, config.everyMs)
  const out: number[] = []
  for (let t = midnight; t < midnight + DAY; t += every) out.push(t)
  return out
}

/** The latest slot at or before `now` (yesterday's last one before today's first). */
export function lastSlot(now: number, localMidnight: number, config: BatchConfig): number {
  const today = slotsOfDay(localMidnight, config).filter((t) => t <= now)
  if (today.length) return today[today.length - 1]!
  const yesterday = slotsOfDay(localMidnight - DAY, config)
  return yesterday[yesterday.length - 1]!
}

/** The first slot after `now`. */
export function nextSlot(now: number, localMidnight: number, config: BatchConfig): number {
  const next = slotsOfDay(localMidnight, config).find((t) => t > now)
  return next ?? slotsOfDay(localMidnight + DAY, config)[0]!
}

/**
 * The digest due now, or null. Due at each slot when some batchable wait, out of its grace period by
 * that slot, is in no digest yet; at most one per slot; none in quiet hours (they wait for the next slot).
 */
export function planDigest(input: DigestInput): PlannedDigest | null {
  const { now, config } = input
  if (!config.enabled) return null
  const slotAt = lastSlot(now, input.localMidnight, config)
  if (input.lastDigestAt !== null && input.lastDigestAt >= slotAt) return null
  if (inQuietHours(input.minuteOfDay, input.policy.quietHours)) return null
  const items = input.waits
    .filter((w) => isBatchable(w.kind) && !input.digested.has(w.waitId) && w.startedAt + input.policy.graceMs <= slotAt)
    .map((w) => ({ waitId: w.waitId, sessionId: w.sessionId, name: w.name, waitedMs: now - w.startedAt }))
    .sort((a, b) => b.waitedMs - a.waitedMs)
  if (items.length === 0) return null
  return { slotAt, items, ...digestText(items) }
}

/** "3 agents finished" / "api 12m, web 8m, cli 3m". */
export function digestText(items: Array<{ name: string; waitedMs: number }>): { title: string; body: string } {
  const n = items.length
  const title = `${n} agent${n === 1 ? '' : 's'} finished`
  const body = items.map((i) => `${i.name} ${shortWait(i.waitedMs)}`).join(', ')
  return { title, body }
}

/** 12m, 1h05m, 40s: how long each has waited, in a word. */
function shortWait(ms: number): string {
  const text = formatDuration(ms)
  return text.replace(/^(\d+m)00s$/, '$1').replace(/^(\d+m)\d\ds$/, '$1')
}

/** When the digest could next become due by the clock alone (for the notifier's timer). */
export function nextDigestAt(input: Pick<DigestInput, 'now' | 'localMidnight' | 'config'>): number | null {
  if (!input.config.enabled) return null
  return nextSlot(input.now, input.localMidnight, input.config)
}
