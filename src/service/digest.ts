// Review batching for the notifier: gathers the finished agents (done waits) and, at each slot of the
// configured cadence or times, sends them as one digest ping on every enabled channel. The policy is
// core/batching.ts; this reads the ping log, sends, and records. Once in a while a digest carries one
// learned rule suggestion (core/digest-suggestion.ts; what was shown is kept in a settings row).
import { homedir } from 'node:os'
import type { FileConfig } from '../config-file.ts'
import { projectName } from '../core/agent-name.ts'
import type { WaitKind } from '../core/agent-state.ts'
import { isBatchable, nextDigestAt, planDigest, type BatchConfig } from '../core/batching.ts'
import type { DigestPing, PingChannel } from '../core/channel.ts'
import { digestSuggestion, type ShownSuggestions } from '../core/digest-suggestion.ts'
import type { NotifyPolicyConfig } from '../core/notify-policy.ts'
import { digestedWaits, lastDigestAt, recordDigest } from '../store/digests.ts'
import { readSetting, writeSetting } from '../store/settings.ts'
import { rulesOf } from './rules.ts'
import type { Services } from './services.ts'

const DAY = 24 * 3600_000
/** The settings row that remembers which suggestions a digest showed, and when. */
export const SHOWN_SUGGESTIONS_KEY = 'digest.suggestionsShown'

export function batchConfig(batch: FileConfig['notify']['batch']): BatchConfig {
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))
  return { enabled: batch.enabled, everyMs: batch.everyMin * 60_000, atMin: batch.at.map(toMin) }
}

export function localMidnightOf(now: number): number {
  const d = new Date(now)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** An open wait as the digest needs it. */
export interface DigestCandidate {
  waitId: string
  sessionId: string
  cwd: string | null
  kind: WaitKind
  startedAt: number
}

export interface Digester {
  readonly config: BatchConfig
  /** When the next digest could be due; null: batching off, or nothing to gather. */
  wakeAt(now: number, waits: DigestCandidate[]): number | null
  /** Sends the digest due now, if any. */
  deliver(now: number, waits: DigestCandidate[]): Promise<void>
  /** What the next digest holds so far, and when it goes (the dashboard shows the batch). */
  pending(now: number, waits: DigestCandidate[]): { enabled: boolean; nextAt: number | null; waits: DigestCandidate[] }
}

export function createDigester(opts: {
  services: Services
  channels: PingChannel[]
  policy: NotifyPolicyConfig
  minuteOfDay: (now: number) => number
  localMidnight?: (now: number) => number
}): Digester {
  const { services, policy } = opts
  const { db } = services.store
  const config = batchConfig(services.config.file.notify.batch)
  const midnight = opts.localMidnight ?? localMidnightOf
  const enabledOn = (c: PingChannel) =>
    Boolean(c.sendDigest) && c.available() && (c.name === 'desktop' ? policy.desktop : policy.slack)
  const candidates = (now: number, waits: DigestCandidate[]) => {
    const done = digestedWaits(db, now - 7 * DAY)
    return waits.filter((w) => isBatchable(w.kind) && !done.has(w.waitId))
  }

  /** The suggestion line this digest adds, if one is due; a failure here never holds the digest back. */
  const suggestionFor = (now: number) => {
    try {
      const shown = readSetting<ShownSuggestions>(db, SHOWN_SUGGESTIONS_KEY) ?? {}
      return digestSuggestion({ now, suggestions: rulesOf(services).suggest(), shown, home: homedir() })
    } catch (err) {
      services.log.warn('digest: no rule suggestion', { error: String(err) })
      return null
    }
  }

  return {
    config,
    wakeAt(now, waits) {
      if (!config.enabled || candidates(now, waits).length === 0) return null
      return nextDigestAt({ now, localMidnight: midnight(now), config })
    },
    pending(now, waits) {
      return {
        enabled: config.enabled,
        nextAt: config.enabled ? nextDigestAt({ now, localMidnight: midnight(now), config }) : null,
        waits: config.enabled ? candidates(now, waits) : [],
      }
    },
    async deliver(now, waits) {
      if (!config.enabled) return
      const digest = planDigest({
        now,
        localMidnight: midnight(now),
        minuteOfDay: opts.minuteOfDay(now),
        waits: waits.map((w) => ({ ...w, name: projectName(w.cwd) })),
        digested: digestedWaits(db, now - 7 * DAY),
        lastDigestAt: lastDigestAt(db),
        config,
        policy,
      })
      if (!digest) return
      const extra = suggestionFor(now)
      const ping: DigestPing = extra ? { ...digest, body: `${digest.body}\n${extra.line}` } : digest
      let delivered = false
      for (const channel of opts.channels.filter(enabledOn)) {
        const result = await channel.sendDigest!(ping).catch((err: Error) => ({
          ok: false as const,
          error: err.message,
        }))
        recordDigest(db, {
          channel: channel.name,
          ok: result.ok,
          error: result.ok ? undefined : result.error,
          title: ping.title,
          body: ping.body,
          items: digest.items,
          ref: result.ok ? result.ref : undefined,
          at: services.now(),
        })
        if (!result.ok) services.log.warn('digest failed', { channel: channel.name, error: result.error })
        else {
          delivered = true
          for (const i of digest.items) services.bus.emit('pinged', { waitId: i.waitId, sessionId: i.sessionId })
        }
      }
      if (extra && delivered) writeSetting(db, SHOWN_SUGGESTIONS_KEY, extra.shown)
    },
  }
}
