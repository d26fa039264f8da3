// What the dashboard's agent view shows beside the events: answers tried and pings, in a time range;
// and which machine each agent runs on.
import { and, desc, eq, gte, inArray, lte } from 'drizzle-orm'
import type { Db } from './db.ts'
import { agents, pings, replies, type PingRow, type ReplyRow } from './schema.ts'

/** The row types the dashboard renders (channels read the store's rows, never its tables). */
export type { EventRow, PingRow, ReplyRow, WaitRow } from './schema.ts'

export function repliesOfSession(db: Db, sessionId: string, from: number, to: number): ReplyRow[] {
  return db
    .select()
    .from(replies)
    .where(and(eq(replies.sessionId, sessionId), gte(replies.at, from), lte(replies.at, to)))
    .orderBy(desc(replies.at))
    .all()
}

export function pingsOfSession(db: Db, sessionId: string, from: number, to: number): PingRow[] {
  return db
    .select()
    .from(pings)
    .where(and(eq(pings.sessionId, sessionId), gte(pings.at, from), lte(pings.at, to)))
    .orderBy(desc(pings.at))
    .all()
}

export function machinesOf(db: Db, sessionIds: string[]): Map<string, string | null> {
  if (sessionIds.length === 0) return new Map()
  return new Map(
    db
      .select({ id: agents.sessionId, machine: agents.machine })
      .from(agents)
      .where(inArray(agents.sessionId, sessionIds))
      .all()
      .map((r) => [r.id, r.machine]),
  )
}
