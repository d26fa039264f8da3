// tend's Claude Code mod: which sessions run it, and the replies waiting for it (a durable inbox).
import { and, asc, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm'
import type { Db } from './db.ts'
import { events, mods, replies, type ModRow } from './schema.ts'

/** A reply the mod has not taken this long after it was sent no longer means what the person said. */
export const MOD_REPLY_TTL_MS = 10 * 60_000

export type ModAnnouncement = Omit<ModRow, 'announcedAt'>

export function announceMod(db: Db, mod: ModAnnouncement, at: number): void {
  db.insert(mods)
    .values({ ...mod, announcedAt: at })
    .onConflictDoUpdate({ target: mods.sessionId, set: { ...mod, announcedAt: at } })
    .run()
}

export function modsOf(db: Db, sessionIds: string[]): Map<string, ModRow> {
  if (sessionIds.length === 0) return new Map()
  const rows = db.select().from(mods).where(inArray(mods.sessionId, sessionIds)).all()
  return new Map(rows.map((r) => [r.sessionId, r]))
}

export interface ModReply {
  id: number
  text: string
}

/**
 * The oldest reply for the session that its mod has not confirmed, marked as handed now. One handed
 * earlier and never confirmed (the mod or the receiver went away) is handed again after `redeliverMs`:
 * the mod remembers what it submitted, so a second hand-over is confirmed without a second submit.
 */
export function takeModReply(db: Db, sessionId: string, now: number, redeliverMs: number): ModReply | null {
  return db.transaction((tx) => {
    const unconfirmed = and(eq(replies.sessionId, sessionId), eq(replies.path, 'mod'), isNull(replies.ackedAt))
    // The person typed at the terminal after a reply was sent (tend may hear that late): the reply
    // is overtaken, and one never taken in time is stale. Neither is ever submitted.
    const typedAt =
      tx
        .select({ at: events.occurredAt })
        .from(events)
        .where(and(eq(events.sessionId, sessionId), eq(events.name, 'UserPromptSubmit'), eq(events.origin, 'person')))
        .orderBy(desc(events.occurredAt))
        .limit(1)
        .get()?.at ?? 0
    tx.update(replies)
      .set({ ackedAt: now, ackError: 'overtaken: the person typed at the terminal after it' })
      .where(and(unconfirmed, lt(replies.at, typedAt)))
      .run()
    tx.update(replies)
      .set({ ackedAt: now, ackError: 'expired: the agent did not take it in time' })
      .where(and(unconfirmed, lt(replies.at, now - MOD_REPLY_TTL_MS)))
      .run()
    const row = tx
      .select({ id: replies.id, text: replies.text })
      .from(replies)
      .where(
        and(
          eq(replies.sessionId, sessionId),
          eq(replies.path, 'mod'),
          eq(replies.outcome, 'delivered'),
          isNull(replies.ackedAt),
          or(isNull(replies.handedAt), lt(replies.handedAt, now - redeliverMs)),
        ),
      )
      .orderBy(asc(replies.at))
      .limit(1)
      .get()
    if (!row) return null
    tx.update(replies).set({ handedAt: now }).where(eq(replies.id, row.id)).run()
    return { id: row.id, text: row.text ?? '' }
  })
}

/** The mod's word on one reply: submitted as the person's prompt, or why not. False for an unknown reply. */
export function confirmModReply(db: Db, sessionId: string, id: number, at: number, error: string | null): boolean {
  const done = db
    .update(replies)
    .set({ ackedAt: at, ackError: error })
    .where(and(eq(replies.id, id), eq(replies.sessionId, sessionId), eq(replies.path, 'mod'), isNull(replies.ackedAt)))
    .run()
  return done.changes > 0
}
