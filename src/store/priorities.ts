// Priority rules, persisted: per agent (session id) or per project path glob.
import { eq } from 'drizzle-orm'
import type { PriorityRule } from '../core/priority.ts'
import type { Db } from './db.ts'
import { priorities } from './schema.ts'

export function listPriorityRules(db: Db): PriorityRule[] {
  return db
    .select()
    .from(priorities)
    .all()
    .map((r) => ({ target: r.target, kind: r.kind as PriorityRule['kind'], priority: r.priority }))
}

export function setPriority(db: Db, rule: PriorityRule, at: number): void {
  db.insert(priorities)
    .values({ ...rule, setAt: at })
    .onConflictDoUpdate({ target: priorities.target, set: { priority: rule.priority, kind: rule.kind, setAt: at } })
    .run()
}

export function clearPriority(db: Db, target: string): boolean {
  return db.delete(priorities).where(eq(priorities.target, target)).run().changes > 0
}
