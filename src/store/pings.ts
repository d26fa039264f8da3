// The ping log: what the notification policy sent, held back, or cancelled, and why.
import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm'
import type { Channel, SentPing } from '../core/notify-policy.ts'
import { suppressionKey } from '../core/notify-policy.ts'
import type { Db } from './db.ts'
import { pings, waits, type PingRow } from './schema.ts'

export type PingOutcome = 'sent' | 'failed' | 'suppressed' | 'cancelled'

export interface PingRecord {
  waitId: string
  sessionId: string
  channel: Channel | 'any'
  step: number
  outcome: PingOutcome
  reason?: string | null
  detail?: string | null
  title?: string | null
  body?: string | null
  ref?: unknown
  at: number
}

export function recordPing(db: Db, p: PingRecord): number {
  return db
    .insert(pings)
    .values({
      ...p,
      reason: p.reason ?? null,
      detail: p.detail ?? null,
      title: p.title ?? null,
      body: p.body ?? null,
      ref: p.ref ?? null,
    })
    .returning({ id: pings.id })
    .get().id
}

/** Pings the policy must know about: sent since `since` (dedupe, rate limits). */
export function sentSince(db: Db, since: number): SentPing[] {
  return db
    .select({ waitId: pings.waitId, channel: pings.channel, step: pings.step, at: pings.at })
    .from(pings)
    .where(and(eq(pings.outcome, 'sent'), gte(pings.at, since)))
    .all() as SentPing[]
}

export function recordedSuppressions(db: Db, since: number): Set<string> {
  const rows = db
    .select()
    .from(pings)
    .where(and(eq(pings.outcome, 'suppressed'), gte(pings.at, since)))
    .all()
  return new Set(
    rows.map((r) =>
      suppressionKey({ waitId: r.waitId, channel: r.channel as Channel, step: r.step, reason: r.reason as never }),
    ),
  )
}

export function pingsForWait(db: Db, waitId: string, outcomes: PingOutcome[] = ['sent']): PingRow[] {
  return db
    .select()
    .from(pings)
    .where(and(eq(pings.waitId, waitId), inArray(pings.outcome, outcomes)))
    .orderBy(desc(pings.at))
    .all()
}

export function recentPings(db: Db, limit = 50): PingRow[] {
  return db.select().from(pings).orderBy(desc(pings.at), desc(pings.id)).limit(limit).all()
}

/** The sent ping whose ref names this message (a Slack channel and ts): its wait and ref. */
export function sentRefAt(db: Db, channel: Channel, at: { channel: string; ts: string }) {
  return db
    .select({ waitId: pings.waitId, ref: pings.ref })
    .from(pings)
    .where(
      and(
        sql`json_extract(${pings.ref}, '$.ts') = ${at.ts}`,
        sql`json_extract(${pings.ref}, '$.channel') = ${at.channel}`,
        eq(pings.channel, channel),
        eq(pings.outcome, 'sent'),
      ),
    )
    .orderBy(desc(pings.at))
    .get()
}

/** The sent pings of a channel whose wait is still open: where an answer may still come. */
export function sentRefsOfOpenWaits(db: Db, channel: Channel): Array<{ waitId: string; ref: unknown }> {
  return db
    .select({ waitId: pings.waitId, ref: pings.ref })
    .from(pings)
    .innerJoin(waits, eq(waits.id, pings.waitId))
    .where(and(isNull(waits.endedAt), eq(pings.channel, channel), eq(pings.outcome, 'sent')))
    .orderBy(desc(pings.at))
    .all()
}
