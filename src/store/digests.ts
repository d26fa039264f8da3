// The digests of finished agents in the ping log: one row per wait per channel (outcome digest, or
// failed with reason digest), so each wait is gathered once and the next slot is known.
import { and, eq, gte, max } from 'drizzle-orm'
import type { Channel } from '../core/notify-policy.ts'
import type { Db } from './db.ts'
import { pings } from './schema.ts'

export interface DigestRecord {
  channel: Channel
  ok: boolean
  error?: string
  title: string
  body: string
  items: Array<{ waitId: string; sessionId: string }>
  ref?: unknown
  at: number
}

/** Step of a digest row: it is no escalation step of the wait (those start at 0). */
export const DIGEST_STEP = -2

export function recordDigest(db: Db, d: DigestRecord): void {
  if (d.items.length === 0) return
  db.insert(pings)
    .values(
      d.items.map((i) => ({
        waitId: i.waitId,
        sessionId: i.sessionId,
        channel: d.channel,
        step: DIGEST_STEP,
        outcome: d.ok ? 'digest' : 'failed',
        reason: 'digest',
        detail: d.ok ? null : (d.error ?? null),
        title: d.title,
        body: d.body,
        ref: d.ok ? (d.ref ?? null) : null,
        at: d.at,
      })),
    )
    .run()
}

/** Waits delivered in a digest since `since`. */
export function digestedWaits(db: Db, since: number): Set<string> {
  const rows = db
    .select({ waitId: pings.waitId })
    .from(pings)
    .where(and(eq(pings.outcome, 'digest'), gte(pings.at, since)))
    .all()
  return new Set(rows.map((r) => r.waitId))
}

export function lastDigestAt(db: Db): number | null {
  return (
    db
      .select({ at: max(pings.at) })
      .from(pings)
      .where(eq(pings.outcome, 'digest'))
      .get()?.at ?? null
  )
}
