// Waits answered from outside the terminal: the answer is recorded and the wait ended in one step.
import { desc, eq } from 'drizzle-orm'
import { resumeByAnswer, type AgentSnapshot } from '../core/agent-state.ts'
import type { Db } from './db.ts'
import { applyWaits } from './ingest.ts'
import { agents, replies, waits, type ReplyRow, type WaitRow } from './schema.ts'

export type ReplyOutcome = 'delivered' | 'wait_ended' | 'no_hold' | 'wrong_kind'

export interface ReplyRecord {
  waitId: string
  sessionId: string
  action: 'reply' | 'approve' | 'deny'
  text: string | null
  via: string
  by: string | null
  at: number
  /** How a delivered answer travels: the session's tend mod, or its held hook. */
  path?: 'mod' | 'hook'
}

export function getWait(db: Db, waitId: string): WaitRow | undefined {
  return db.select().from(waits).where(eq(waits.id, waitId)).get()
}

export function recordRefusal(db: Db, reply: ReplyRecord, outcome: Exclude<ReplyOutcome, 'delivered'>): void {
  db.insert(replies)
    .values({ ...reply, outcome })
    .run()
}

/**
 * Records a delivered answer, ends its wait as answered (by whom, through what) and sets the
 * agent working again: all or nothing. Returns false if the wait was no longer open.
 */
export function recordDelivery(db: Db, reply: ReplyRecord): boolean {
  return db.transaction(() => {
    if (!resume(db, reply.waitId, reply.sessionId, reply.at, 'reply', { via: reply.via, answeredBy: reply.by }))
      return false
    db.insert(replies)
      .values({ ...reply, outcome: 'delivered' })
      .run()
    return true
  })
}

/** A permission dialog answered in the terminal: its held hook was killed, and a "No" fires no other hook. */
export function recordTerminalAnswer(db: Db, waitId: string, sessionId: string, at: number): boolean {
  return db.transaction(() => resume(db, waitId, sessionId, at, 'terminal'))
}

function resume(
  db: Db,
  waitId: string,
  sessionId: string,
  at: number,
  reason: 'reply' | 'terminal',
  endedVia?: { via: string; answeredBy: string | null },
): boolean {
  const wait = db.select().from(waits).where(eq(waits.id, waitId)).get()
  if (!wait || wait.endedAt !== null) return false
  const row = db.select().from(agents).where(eq(agents.sessionId, sessionId)).get()
  if (!row) return false
  const transition = resumeByAnswer(row.snapshot as AgentSnapshot, at, reason)
  db.update(agents)
    .set({
      state: transition.agent.state,
      stateSince: transition.agent.stateSince,
      lastEventAt: transition.agent.lastEventAt,
      snapshot: transition.agent,
    })
    .where(eq(agents.sessionId, sessionId))
    .run()
  applyWaits(db, sessionId, transition, endedVia)
  return true
}

export function repliesForWait(db: Db, waitId: string): ReplyRow[] {
  return db.select().from(replies).where(eq(replies.waitId, waitId)).orderBy(desc(replies.at)).all()
}
