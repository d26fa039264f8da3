// The notification policy: who is pinged, when, on which channel, and why not. Pure, clock passed in.
import { KIND_TEXT } from './wait-summary.ts'
import type { WaitKind } from './agent-state.ts'
import { formatDuration } from './duration.ts'

export const CHANNELS = ['desktop', 'slack'] as const
export type Channel = (typeof CHANNELS)[number]

export interface NotifyPolicyConfig {
  graceMs: number
  /** Waited-for thresholds (ms) at which the same wait is pinged again. */
  escalationMs: number[]
  maxPerHour: number
  minGapMs: number
  presenceHoldMs: number
  /** Minutes after local midnight; start > end wraps midnight. */
  quietHours: { startMin: number; endMin: number } | null
  desktop: boolean
  slack: boolean
  slackAfterMs: number
}

/** A blocked agent as the policy sees it, in ranking order (top first). */
export interface RankedWait {
  waitId: string
  sessionId: string
  label: string
  kind: WaitKind
  startedAt: number
  /** What it waits for, in a line: the tool and command, the question, the error. */
  what: string
}

export interface SentPing {
  waitId: string
  channel: Channel
  step: number
  at: number
}

export interface PolicyInput {
  now: number
  /** Local time of day, minutes after midnight (the adapter knows the time zone). */
  minuteOfDay: number
  ranked: RankedWait[]
  /** Pings sent in the last 24 h at least (for dedupe and rate limits). */
  sent: SentPing[]
  /** Keys of suppressions already recorded (see suppressionKey): each is recorded once. */
  recorded: Set<string>
  away: boolean
  lastPromptAt: number | null
  /** False when the channel cannot work at all (Slack not configured). */
  available: Record<Channel, boolean>
  config: NotifyPolicyConfig
}

export interface PlannedPing {
  waitId: string
  sessionId: string
  channel: Channel
  step: number
  title: string
  body: string
  /** How many other agents wait, and the longest of their waits. */
  others: { count: number; longestMs: number }
}

export const SUPPRESS_REASONS = ['not_top', 'quiet_hours', 'presence', 'rate_limit', 'min_gap'] as const
export type SuppressReason = (typeof SUPPRESS_REASONS)[number]

export interface PlannedSuppression {
  waitId: string
  sessionId: string
  channel: Channel
  step: number
  reason: SuppressReason
  detail: string
}

export interface PolicyOutput {
  pings: PlannedPing[]
  suppressions: PlannedSuppression[]
}

const HOUR = 3600_000

/** Step 0 after the grace period, then one step per escalation threshold reached. -1: still in grace. */
export function stepOf(waitedMs: number, config: Pick<NotifyPolicyConfig, 'graceMs' | 'escalationMs'>): number {
  if (waitedMs < config.graceMs) return -1
  let step = 0
  config.escalationMs.forEach((threshold, i) => {
    if (waitedMs >= threshold) step = i + 1
  })
  return step
}

export function suppressionKey(s: Pick<PlannedSuppression, 'waitId' | 'channel' | 'step' | 'reason'>): string {
  return `${s.waitId}:${s.channel}:${s.step}:${s.reason}`
}

export function inQuietHours(minuteOfDay: number, quiet: NotifyPolicyConfig['quietHours']): boolean {
  if (!quiet || quiet.startMin === quiet.endMin) return false
  return quiet.startMin < quiet.endMin
    ? minuteOfDay >= quiet.startMin && minuteOfDay < quiet.endMin
    : minuteOfDay >= quiet.startMin || minuteOfDay < quiet.endMin
}

/**
 * Decides the pings of one tick. Only the top agent is pinged; each (wait, channel, step) at most
 * once; desktop first, Slack after its delay (at once when away); quiet hours, presence, the hourly
 * limit and the minimum gap hold pings back, and each hold-back is reported once with its reason.
 */
export function planPings(input: PolicyInput): PolicyOutput {
  const { now, config } = input
  const out: PolicyOutput = { pings: [], suppressions: [] }
  const suppress = (s: PlannedSuppression) => {
    if (!input.recorded.has(suppressionKey(s))) out.suppressions.push(s)
  }
  const alreadySent = (waitId: string, channel: Channel, step: number) =>
    input.sent.some((p) => p.waitId === waitId && p.channel === channel && p.step === step)

  const [top, ...rest] = input.ranked
  if (!top) return out
  const waitedMs = now - top.startedAt

  // Others in grace are not counted as "waiting on you" yet.
  for (const other of rest) {
    const step = stepOf(now - other.startedAt, config)
    if (step < 0) continue
    for (const channel of channelsFor(input, now - other.startedAt)) {
      if (!alreadySent(other.waitId, channel, step)) {
        suppress({ ...ids(other), channel, step, reason: 'not_top', detail: `${top.label} is more urgent` })
      }
    }
  }

  const step = stepOf(waitedMs, config)
  if (step < 0) return out
  const others = rest.filter((r) => stepOf(now - r.startedAt, config) >= 0)
  const summary = {
    count: others.length,
    longestMs: others.reduce((m, r) => Math.max(m, now - r.startedAt), 0),
  }
  const pingsLastHour = input.sent.filter((p) => p.at > now - HOUR).length

  for (const channel of channelsFor(input, waitedMs)) {
    // Slack says it once per wait (then updates that message); the desktop re-pings per step.
    const channelStep = channel === 'slack' ? 0 : step
    if (alreadySent(top.waitId, channel, channelStep)) continue
    const base = { ...ids(top), channel, step: channelStep }
    if (inQuietHours(input.minuteOfDay, config.quietHours)) {
      suppress({ ...base, reason: 'quiet_hours', detail: 'quiet hours' })
      continue
    }
    if (
      channel === 'desktop' &&
      !input.away &&
      input.lastPromptAt !== null &&
      now - input.lastPromptAt < config.presenceHoldMs
    ) {
      suppress({
        ...base,
        reason: 'presence',
        detail: `a prompt was typed ${formatDuration(now - input.lastPromptAt)} ago`,
      })
      continue
    }
    if (pingsLastHour + out.pings.length >= config.maxPerHour) {
      suppress({ ...base, reason: 'rate_limit', detail: `${config.maxPerHour} pings in the last hour` })
      continue
    }
    const lastOnChannel = Math.max(0, ...input.sent.filter((p) => p.channel === channel).map((p) => p.at))
    if (now - lastOnChannel < config.minGapMs) {
      suppress({
        ...base,
        reason: 'min_gap',
        detail: `last ${channel} ping ${formatDuration(now - lastOnChannel)} ago`,
      })
      continue
    }
    out.pings.push({ ...base, ...pingText(top, waitedMs, summary), others: summary })
  }
  return out
}

function ids(w: RankedWait) {
  return { waitId: w.waitId, sessionId: w.sessionId }
}

function channelsFor(input: PolicyInput, waitedMs: number): Channel[] {
  const { config } = input
  const channels: Channel[] = []
  if (config.desktop && input.available.desktop) channels.push('desktop')
  if (config.slack && input.available.slack && (input.away || waitedMs >= config.slackAfterMs)) channels.push('slack')
  return channels
}

export function pingText(top: RankedWait, waitedMs: number, others: { count: number; longestMs: number }) {
  const title = `${top.label} ${KIND_TEXT[top.kind]} (${formatDuration(waitedMs)})`
  const more =
    others.count > 0 ? `+${others.count} more, longest ${formatDuration(others.longestMs)}` : 'no other agent waits'
  return { title, body: top.what ? `${top.what}\n${more}` : more }
}

/**
 * When the plan could next change by the clock alone: a wait leaving its grace period or reaching
 * its next step (or Slack's delay), and for the top wait a presence hold, a minimum gap, the hourly
 * limit or quiet hours running out. Null: nothing due; the notifier sleeps until something changes.
 * (A change of the top by the clock alone is the ranking's to say: core/ranking.ts topChangeAt.)
 */
export function nextWakeAt(
  input: Pick<PolicyInput, 'now' | 'ranked' | 'sent' | 'lastPromptAt' | 'config'> &
    Partial<Pick<PolicyInput, 'minuteOfDay'>>,
): number | null {
  const { now, config } = input
  const times: number[] = []
  for (const w of input.ranked) {
    times.push(w.startedAt + config.graceMs)
    const step = config.escalationMs.map((ms) => w.startedAt + ms).find((t) => t > now)
    if (step !== undefined) times.push(step)
    if (config.slack) times.push(w.startedAt + config.slackAfterMs)
  }
  const top = input.ranked[0]
  if (top) {
    if (input.lastPromptAt !== null) times.push(input.lastPromptAt + config.presenceHoldMs)
    const lastSent = Math.max(0, ...input.sent.map((p) => p.at))
    if (lastSent) times.push(lastSent + config.minGapMs)
    // At the hourly limit: when enough of the last hour's pings have aged out of it.
    const lastHour = input.sent
      .filter((p) => p.at > now - HOUR)
      .map((p) => p.at)
      .sort((a, b) => a - b)
    const over = lastHour.length - config.maxPerHour
    if (over >= 0) times.push(lastHour[over]! + HOUR + 1)
    if (input.minuteOfDay !== undefined && config.quietHours && inQuietHours(input.minuteOfDay, config.quietHours)) {
      // The end of quiet hours, from the start of this local minute.
      const minutesLeft = (config.quietHours.endMin - input.minuteOfDay + 1440) % 1440 || 1440
      times.push(Math.floor(now / 60_000) * 60_000 + minutesLeft * 60_000)
    }
  }
  const future = times.filter((t) => t > now)
  return future.length ? Math.min(...future) : null
}
