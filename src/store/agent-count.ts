// How many agents are live: the bound on new sessions reads it (only when a new session id arrives).
import { eq, ne, sql } from 'drizzle-orm'
import type { Db } from './db.ts'
import { agents } from './schema.ts'

export function hasAgent(db: Db, sessionId: string): boolean {
  return (
    db
      .select({ one: sql`1` })
      .from(agents)
      .where(eq(agents.sessionId, sessionId))
      .get() !== undefined
  )
}

export function countLiveAgents(db: Db): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(agents)
      .where(ne(agents.state, 'ended'))
      .get()?.n ?? 0
  )
}
