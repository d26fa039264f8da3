// How many agents were active over time: each agent's first and last event in a window (the
// dashboard's "agents active per day" beside the measured N).
import { gte, max, min } from 'drizzle-orm'
import type { Db } from './db.ts'
import { events } from './schema.ts'

export function agentActivity(db: Db, since: number): Array<{ first: number; last: number }> {
  return db
    .select({ first: min(events.occurredAt), last: max(events.occurredAt) })
    .from(events)
    .where(gte(events.occurredAt, since))
    .groupBy(events.sessionId)
    .all()
    .map((r) => ({ first: r.first ?? 0, last: r.last ?? 0 }))
}
