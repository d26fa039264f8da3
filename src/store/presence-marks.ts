// The person's own word on where they are, kept as a history: the stats read a return as the moment
// they could answer again.
import { and, eq, gte, lt } from 'drizzle-orm'
import type { Db } from './db.ts'
import { presenceMarks } from './schema.ts'

export function recordPresenceMark(db: Db, mark: { at: number; away: boolean }): void {
  db.insert(presenceMarks).values(mark).run()
}

/** When the person said they were back, in [from, to). */
export function returnsBetween(db: Db, from: number, to: number): number[] {
  return db
    .select({ at: presenceMarks.at })
    .from(presenceMarks)
    .where(and(eq(presenceMarks.away, false), gte(presenceMarks.at, from), lt(presenceMarks.at, to)))
    .all()
    .map((r) => r.at)
}
