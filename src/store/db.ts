// Opens the SQLite file (WAL), applies the committed migrations, hands out a drizzle handle.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { ensureIncrementalVacuum } from './retention.ts'
import * as schema from './schema.ts'
import { packageFile } from '../package-files.ts'

export type Db = BetterSQLite3Database<typeof schema>

export interface Store {
  db: Db
  sqlite: Database.Database
  /** Moves the WAL into the database without blocking writers (call it off the request path). */
  checkpoint(): void
  close(): void
}

/** drizzle/ sits at the package root, both beside src/ (tsx) and beside dist/ (built). */
const MIGRATIONS = packageFile('drizzle')

export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  // Before the first table (a new file) or while still small: the space retention frees can go back.
  ensureIncrementalVacuum(sqlite)
  sqlite.pragma('journal_mode = WAL')
  // NORMAL in WAL mode: a commit survives a crash of tend; only power loss can drop the last ones.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // Checkpoints run on a timer (checkpoint()); this is only the backstop, so commits rarely pay for one.
  sqlite.pragma('wal_autocheckpoint = 10000')
  const db = drizzle(sqlite, { schema })
  migrate(db, { migrationsFolder: MIGRATIONS })
  return {
    db,
    sqlite,
    checkpoint: () => void sqlite.pragma('wal_checkpoint(PASSIVE)'),
    close: () => sqlite.close(),
  }
}

/** Why the store can't write just now: the disk is full, the file system read-only, an I/O error, another writer. */
export type StoreFailureKind = 'disk_full' | 'read_only' | 'io_error' | 'busy'

const SQLITE_FAILURES: Array<[prefix: string, kind: StoreFailureKind]> = [
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_IOERR', 'io_error'],
  ['SQLITE_CANTOPEN', 'io_error'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
]
const ERRNO_FAILURES: Record<string, StoreFailureKind> = {
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  EROFS: 'read_only',
  EIO: 'io_error',
}

/**
 * Tells a failing store (it will work again once space or the disk returns: retry later) from
 * everything else (a bug, or input it can never store). null: not a store failure.
 */
export function storeFailure(err: unknown): StoreFailureKind | null {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return null
  for (const [prefix, kind] of SQLITE_FAILURES) if (code.startsWith(prefix)) return kind
  return ERRNO_FAILURES[code] ?? null
}
