// Dashboard sign-in: one-time login links and the browser sessions they start. Secrets are kept as sha256.
import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import type { Db } from './db.ts'
import { browserSessions, loginLinks, type BrowserSessionRow } from './schema.ts'

export function insertLoginLink(db: Db, link: { secretHash: string; createdAt: number; expiresAt: number }): void {
  db.insert(loginLinks).values(link).run()
}

/** Marks the link used if it is unused and unexpired; true only for the one caller that took it. */
export function takeLoginLink(db: Db, secretHash: string, at: number): boolean {
  return (
    db
      .update(loginLinks)
      .set({ usedAt: at })
      .where(and(eq(loginLinks.secretHash, secretHash), isNull(loginLinks.usedAt), gt(loginLinks.expiresAt, at)))
      .run().changes === 1
  )
}

export function insertBrowserSession(db: Db, row: Omit<BrowserSessionRow, 'revokedAt'>): void {
  db.insert(browserSessions).values(row).run()
}

/** A session that still signs in: not revoked, not expired. */
export function liveBrowserSession(db: Db, id: string, at: number): BrowserSessionRow | undefined {
  return db
    .select()
    .from(browserSessions)
    .where(and(eq(browserSessions.id, id), isNull(browserSessions.revokedAt), gt(browserSessions.expiresAt, at)))
    .get()
}

export function touchBrowserSession(db: Db, id: string, at: number): void {
  db.update(browserSessions).set({ lastSeenAt: at }).where(eq(browserSessions.id, id)).run()
}

/** The sessions that still sign in, most recently used first. */
export function listBrowserSessions(db: Db, at: number): BrowserSessionRow[] {
  return db
    .select()
    .from(browserSessions)
    .where(and(isNull(browserSessions.revokedAt), gt(browserSessions.expiresAt, at)))
    .orderBy(desc(browserSessions.lastSeenAt))
    .all()
}

/** Ends a session (logout, revoke); false when no live session has that id. */
export function revokeBrowserSession(db: Db, id: string, at: number): boolean {
  return (
    db
      .update(browserSessions)
      .set({ revokedAt: at })
      .where(and(eq(browserSessions.id, id), isNull(browserSessions.revokedAt)))
      .run().changes === 1
  )
}
