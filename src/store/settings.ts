// Receiver-wide state kept across restarts, one JSON value per key.
import { eq } from 'drizzle-orm'
import type { Db } from './db.ts'
import { settings } from './schema.ts'

export function readSetting<T>(db: Db, key: string): T | undefined {
  return db.select().from(settings).where(eq(settings.key, key)).get()?.value as T | undefined
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run()
}
