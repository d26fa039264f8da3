// Runs the notification policy: on a change, or when a timer it set runs out (a grace period, a step,
// a hold, quiet hours, a retry), plan, send, and log pings. With nobody waiting it sleeps.
import type { AgentChange, Services } from './services.ts'
import type { NotifyPolicyConfig, RankedWait } from '../core/notify-policy.ts'
import { nextWakeAt, planPings } from '../core/notify-policy.ts'
import { rankAgents, topChangeAt } from '../core/ranking.ts'
import { agentLabel } from '../core/agent-name.ts'
import { waitSummary } from '../core/wait-summary.ts'
import { describeEnding } from '../core/wait-ending.ts'
import { listAgentViews } from '../store/agents.ts'
import { pingsForWait, recordedSuppressions, recordPing, sentSince } from '../store/pings.ts'
import { getWait, repliesForWait } from '../store/replies.ts'
import type { FileConfig } from '../config-file.ts'
import type { OutgoingPing, PingChannel } from '../core/channel.ts'
import type { Timers } from './holds.ts'
import { urgentOnly } from '../core/batching.ts'
import { createDigester } from './digest.ts'

const DAY = 24 * 3600_000
/** Changes within this window are planned in one round. */
const COALESCE_MS = 200
/** Failed sends are retried with a capped backoff, a bounded number of times. */
export const RETRY = { firstMs: 10_000, maxMs: 5 * 60_000, attempts: 6 }

export function retryDelayMs(failures: number): number {
  return Math.min(RETRY.maxMs, RETRY.firstMs * 2 ** Math.max(0, failures - 1))
}

export function policyConfig(notify: FileConfig['notify']): NotifyPolicyConfig {
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))
  return {
    graceMs: notify.graceSec * 1000,
    escalationMs: [...notify.escalationMin].sort((a, b) => a - b).map((m) => m * 60_000),
    maxPerHour: notify.maxPerHour,
    minGapMs: notify.minGapSec * 1000,
    presenceHoldMs: notify.presenceHoldSec * 1000,
    quietHours: notify.quietHours
      ? { startMin: toMin(notify.quietHours.start), endMin: toMin(notify.quietHours.end) }
      : null,
    desktop: notify.desktop.enabled,
    slack: notify.slack.enabled,
    slackAfterMs: notify.slack.afterMin * 60_000,
  }
}

export interface Notifier {
  /** One policy round; resolves when its pings are sent and logged. */
  tick(): Promise<void>
  stop(): Promise<void>
}

export interface NotifierOptions {
  services: Services
  channels: PingChannel[]
  /** While someone waits, the longest it sleeps (a backstop for what it cannot hear: a channel coming up). */
  tickMs?: number
  /** Its wake-up timers (a fake clock's in tests). */
  timers?: Timers
  /** Local minutes after midnight (injectable for tests). */
  minuteOfDay?: (now: number) => number
  /** The local midnight that began the day of `now` (injectable for tests): digest slots count from it. */
  localMidnight?: (now: number) => number
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const { services } = opts
  const { db } = services.store
  const config = policyConfig(services.config.file.notify)
  const byName = new Map(opts.channels.map((c) => [c.name, c]))
  /** With every channel off there is nobody to ping: no planning, no ping log, no cost per event. */
  const active = opts.channels.some((c) => (c.name === 'desktop' ? config.desktop : config.slack))
  const minuteOfDay =
    opts.minuteOfDay ??
    ((now: number) => {
      const d = new Date(now)
      return d.getHours() * 60 + d.getMinutes()
    })
  // Review batching: finished agents wait for one digest; the usual pings see only the urgent waits.
  const digester = createDigester({ ...opts, policy: config, minuteOfDay })
  let running: Promise<void> | null = null
  const timers: Timers = opts.timers ?? {
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  }
  const backstopMs = opts.tickMs ?? 60_000
  let wake: unknown = null
  let wakeAt: number | null = null

  /** Ticks exactly when the earliest of `times` comes, not up to a poll interval later; null ones count for nothing. */
  function scheduleWake(times: Array<number | null>, now: number) {
    if (wake !== null) timers.clearTimeout(wake)
    wake = null
    const due = times.filter((t): t is number => t !== null)
    wakeAt = due.length && !stopped ? Math.min(...due) : null
    if (wakeAt === null) return
    wake = timers.setTimeout(() => void tick(), Math.min(Math.max(0, wakeAt - now) + 5, backstopMs, 2 ** 31 - 1))
  }
  let again = false
  let stopped = false

  async function round(): Promise<void> {
    const now = services.now()
    // Only the blocked agents, and only the columns a ping needs.
    const views = listAgentViews(db, { blockedOnly: true, now })
    const ranked = rankAgents(views, now).filter((a) => a.rank !== null && a.wait)
    const waits: RankedWait[] = ranked.map((a) => ({
      waitId: a.wait!.id,
      sessionId: a.sessionId,
      label: agentLabel(a),
      kind: a.wait!.kind,
      startedAt: a.wait!.startedAt,
      what: waitSummary(a.wait!),
    }))
    const presence = services.presence()
    const input = {
      now,
      minuteOfDay: minuteOfDay(now),
      ranked: urgentOnly(waits, digester.config),
      sent: sentSince(db, now - DAY),
      recorded: recordedSuppressions(db, now - DAY),
      away: presence.awayNow,
      lastPromptAt: services.lastPromptAt(),
      available: {
        desktop: byName.get('desktop')?.available() ?? false,
        slack: byName.get('slack')?.available() ?? false,
      },
      config,
    }
    const plan = planPings(input)
    const batchable = ranked.map((a) => ({ ...a.wait!, waitId: a.wait!.id, sessionId: a.sessionId, cwd: a.cwd }))
    scheduleWake(
      [
        nextWakeAt(input),
        topChangeAt(ranked, now),
        ranked.length ? now + backstopMs : null,
        digester.wakeAt(now, batchable),
      ],
      now,
    )
    await digester.deliver(now, batchable)
    for (const s of plan.suppressions) recordPing(db, { ...s, outcome: 'suppressed', at: now })
    for (const ping of plan.pings) {
      const channel = byName.get(ping.channel)!
      const failures = pingsForWait(db, ping.waitId, ['failed']).filter(
        (p) => p.channel === ping.channel && p.step === ping.step,
      )
      if (failures.length >= RETRY.attempts) continue
      if (failures[0] && now - failures[0].at < retryDelayMs(failures.length)) {
        scheduleWake([wakeAt, failures[0].at + retryDelayMs(failures.length)], now)
        continue
      }
      // The wait may have ended while an earlier send was awaited: a ping about it would be stale.
      if (getWait(db, ping.waitId)?.endedAt != null) continue
      const agent = ranked.find((a) => a.wait!.id === ping.waitId)!
      const outgoing: OutgoingPing = {
        ...ping,
        kind: agent.wait!.kind,
        label: agentLabel(agent),
        project: agent.project,
        cwd: agent.cwd,
        waitedMs: now - agent.wait!.startedAt,
        what: waitSummary(agent.wait!, 2000),
        detail: agent.wait!.detail,
        replyPath: services.replyPathOf(agent.sessionId),
      }
      const result = await channel.send(outgoing).catch((err: Error) => ({ ok: false as const, error: err.message }))
      // What was just sent moves the next wake (a gap, the hourly limit, the next channel): plan once more.
      again = true
      recordPing(db, {
        ...ping,
        outcome: result.ok ? 'sent' : 'failed',
        reason: result.ok ? null : 'error',
        detail: result.ok ? null : result.error,
        ref: result.ok ? (result.ref ?? null) : null,
        at: services.now(),
      })
      services.bus.emit('pinged', { waitId: ping.waitId, sessionId: ping.sessionId })
      if (!result.ok) {
        services.log.warn('ping failed', { channel: ping.channel, waitId: ping.waitId, error: result.error })
      } else if (getWait(db, ping.waitId)?.endedAt != null) {
        // Ended while this send was in flight: its follow-up found no sent ping then; do it now.
        await followUp(ping.waitId)
      }
    }
  }

  async function tick(): Promise<void> {
    if (stopped || !active) return
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await round()
        } while (again && !stopped)
      } catch (err) {
        services.log.error('notify round failed', { error: (err as Error).message })
      } finally {
        running = null
      }
    })()
    return running
  }

  /** When a wait ends: cancel it if nobody was pinged yet, else let each channel update its ping. */
  let soon: NodeJS.Timeout | null = null
  /** Many events change no wait (tool calls): only openings and endings replan, coalesced. */
  async function onChange(change: AgentChange) {
    if (!active) return
    const closed = change.result?.closedWaitId ?? (change.cause !== 'event' ? change.waitId : undefined)
    if (closed) await followUp(closed)
    if (!closed && !change.result?.openedWaitId && change.cause === 'event') return
    soonTick()
  }

  async function followUp(waitId: string) {
    const wait = getWait(db, waitId)
    if (!wait || wait.endedAt === null) return
    const durationMs = wait.endedAt - wait.startedAt
    const sent = pingsForWait(db, waitId, ['sent'])
    if (sent.length === 0) {
      if (durationMs < config.graceMs) {
        recordPing(db, {
          waitId,
          sessionId: wait.sessionId,
          channel: 'any',
          step: -1,
          outcome: 'cancelled',
          reason: 'resumed_in_grace',
          detail: `ended within the grace period (${describeEnding({ ...wait }, durationMs)})`,
          at: services.now(),
        })
      }
      return
    }
    const action = repliesForWait(db, waitId).find((r) => r.outcome === 'delivered')?.action ?? null
    const text = describeEnding({ ...wait, action }, durationMs)
    for (const ping of sent) {
      const channel = ping.channel === 'any' ? undefined : byName.get(ping.channel)
      if (!channel?.waitEnded) continue
      await channel
        .waitEnded(ping.ref, ping, {
          waitId,
          endedBy: wait.endedBy,
          endedVia: wait.endedVia,
          answeredBy: wait.answeredBy,
          durationMs,
          text,
        })
        .catch((err: Error) =>
          services.log.warn('ping follow-up failed', { channel: ping.channel, error: err.message }),
        )
    }
  }

  function soonTick() {
    if (soon || stopped || !active) return
    soon = setTimeout(() => {
      soon = null
      void tick()
    }, COALESCE_MS)
    soon.unref()
  }

  const listener = (change: AgentChange) => void onChange(change)
  services.bus.on('change', listener)
  // Away or back changes which channel may ping, and when.
  services.bus.on('presence', soonTick)

  return {
    tick,
    async stop() {
      stopped = true
      if (wake !== null) timers.clearTimeout(wake)
      if (soon) clearTimeout(soon)
      services.bus.off('change', listener)
      services.bus.off('presence', soonTick)
      await running
      await Promise.all(opts.channels.map((c) => c.close()))
    },
  }
}
