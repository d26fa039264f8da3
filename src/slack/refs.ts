// Where a Slack ping lives (channel + ts, kept in pings.ref) and back: which wait a thread or a button belongs to.
import type { Db } from '../store/db.ts'
import { sentRefAt, sentRefsOfOpenWaits } from '../store/pings.ts'
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

export interface ThreadIndex {
  remember(waitId: string, ref: SlackRef): void
  find(channel: string, ts: string): ThreadMatch | null
  /** The Slack messages of waits still open: where an answer may still come. */
  open(): ThreadMatch[]
}

const asMatch = (row: { waitId: string; ref: unknown } | undefined): ThreadMatch | null =>
  row && isSlackRef(row.ref) ? { waitId: row.waitId, ref: row.ref } : null

/** Recent sends from memory (the notifier records a ping only after send returns), older ones from the ping log. */
export function createThreadIndex(db: Db): ThreadIndex {
  const recent = new Map<string, ThreadMatch>()
  const key = (channel: string, ts: string) => `${channel}/${ts}`
  return {
    remember(waitId, ref) {
      recent.set(key(ref.channel, ref.ts), { waitId, ref })
      if (recent.size > 500) recent.delete(recent.keys().next().value!)
    },
    find(channel, ts) {
      return recent.get(key(channel, ts)) ?? asMatch(sentRefAt(db, 'slack', { channel, ts }))
    },
    open() {
      return sentRefsOfOpenWaits(db, 'slack').flatMap((row) => asMatch(row) ?? [])
    },
  }
}
