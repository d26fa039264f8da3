// Where a Slack ping lives (channel + ts, kept in pings.ref) and back: which wait a thread or a button belongs to.
import type { Db } from '../store/db.ts'
import { sentRefs } from '../store/pings.ts'
import { getWait } from '../store/replies.ts'
import type { PingCard } from './blocks.ts'

/** The ref of a sent Slack ping: the conversation (D…/C…, never a U… id) and the message ts, plus its card. */
export interface SlackRef {
  channel: string
  ts: string
  card: PingCard
}

export function isSlackRef(ref: unknown): ref is SlackRef {
  const r = ref as Partial<SlackRef> | null
  return typeof r?.channel === 'string' && typeof r.ts === 'string' && typeof r.card === 'object' && r.card !== null
}

export interface ThreadMatch {
  waitId: string
  ref: SlackRef
}

/** Replies to pings older than this are not looked up (their waits have long ended anyway). */
const LOOKBACK_MS = 30 * 24 * 3600_000

export interface ThreadIndex {
  remember(waitId: string, ref: SlackRef): void
  find(channel: string, ts: string): ThreadMatch | null
  /** The Slack messages of waits still open: where an answer may still come. */
  open(): ThreadMatch[]
}

/** Recent sends from memory (the notifier records a ping only after send returns), older ones from the ping log. */
export function createThreadIndex(db: Db, now: () => number): ThreadIndex {
  const recent = new Map<string, ThreadMatch>()
  const key = (channel: string, ts: string) => `${channel}/${ts}`
  const sent = (): ThreadMatch[] =>
    sentRefs(db, 'slack', now() - LOOKBACK_MS).flatMap((row) =>
      isSlackRef(row.ref) ? [{ waitId: row.waitId, ref: row.ref }] : [],
    )
  return {
    remember(waitId, ref) {
      recent.set(key(ref.channel, ref.ts), { waitId, ref })
      if (recent.size > 500) recent.delete(recent.keys().next().value!)
    },
    find(channel, ts) {
      return recent.get(key(channel, ts)) ?? sent().find((m) => m.ref.channel === channel && m.ref.ts === ts) ?? null
    },
    open() {
      return sent().filter((m) => getWait(db, m.waitId)?.endedAt === null)
    },
  }
}
