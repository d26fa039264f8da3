// Retention: raw event payloads are dropped after their time, in small batches; the space goes back
// to the file system through SQLite's incremental vacuum. Waits, replies, pings, agents stay forever.
import { statSync } from 'node:fs'
import type Database from 'better-sqlite3'
import { and, asc, getTableColumns, gt, lte } from 'drizzle-orm'
import type { Db } from './db.ts'
import { events } from './schema.ts'
import { readSetting, writeSetting } from './settings.ts'

/** Events up to this seq have had their payload dropped (the settings key). */
const PRUNED_THROUGH = 'retention.payloadsPrunedThrough'
/** What a dropped payload leaves: the event's own columns (name, time, tool, origin) stay. */
export const PRUNED_PAYLOAD = {}
/** An existing database at most this large is vacuumed once at open to switch incremental vacuum on. */
export const VACUUM_ON_OPEN_MAX_BYTES = 64 * 1024 * 1024

/**
 * Incremental auto-vacuum lets freed pages go back to the file system a few at a time. A new
 * database gets it before its first table; an existing one needs one VACUUM (it rewrites the file),
 * done here only when the file is small enough for that to be quick. Returns the mode in effect.
 */
export function ensureIncrementalVacuum(sqlite: Database.Database): 'incremental' | 'none' | 'full' {
  const mode = () =>
    (['none', 'full', 'incremental'] as const)[sqlite.pragma('auto_vacuum', { simple: true }) as number]!
  if (mode() === 'incremental') return 'incremental'
  const tables = sqlite.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }
  sqlite.pragma('auto_vacuum = INCREMENTAL')
  if (tables.n > 0 && fileBytes(sqlite) <= VACUUM_ON_OPEN_MAX_BYTES) {
    try {
      sqlite.exec('VACUUM')
    } catch {
      // Busy (another connection reads): the next open tries again; until then freed pages are reused.
    }
  }
  return mode()
}

function fileBytes(sqlite: Database.Database): number {
  return (
    (sqlite.pragma('page_count', { simple: true }) as number) * (sqlite.pragma('page_size', { simple: true }) as number)
  )
}

/**
 * Drops the payloads of at most `batch` events received before `before`, oldest first (in seq
 * order, which is arrival order), in one short transaction. Returns how many, and whether older
 * ones may remain (call again, after yielding).
 *
 * The rows are deleted and written back without their payload, under the same seq: a row shrunk in
 * place leaves its page as large as before, while a range deleted frees its pages and the rows
 * written back fill a fraction of them, so the file can shrink.
 */
export function prunePayloadsBatch(db: Db, before: number, batch: number): { pruned: number; more: boolean } {
  // The statements run on the same connection, so they join this transaction.
  return db.transaction(() => {
    const mark = readSetting<number>(db, PRUNED_THROUGH) ?? 0
    const { payload: _payload, ...kept } = getTableColumns(events)
    const rows = db.select(kept).from(events).where(gt(events.seq, mark)).orderBy(asc(events.seq)).limit(batch).all()
    const stop = rows.findIndex((r) => r.receivedAt >= before)
    const due = stop === -1 ? rows : rows.slice(0, stop)
    const last = due.at(-1)
    if (!last) return { pruned: 0, more: false }
    // Exactly the due rows: the first ones after the mark, in seq order, up to the last due one.
    db.delete(events)
      .where(and(gt(events.seq, mark), lte(events.seq, last.seq)))
      .run()
    db.insert(events)
      .values(due.map((r) => ({ ...r, payload: PRUNED_PAYLOAD })))
      .run()
    writeSetting(db, PRUNED_THROUGH, last.seq)
    return { pruned: due.length, more: stop === -1 && rows.length === batch }
  })
}

/** When the oldest event that still has its payload happened (null: none left). */
export function oldestPayloadAt(db: Db): number | null {
  const mark = readSetting<number>(db, PRUNED_THROUGH) ?? 0
  const row = db
    .select({ at: events.occurredAt })
    .from(events)
    .where(gt(events.seq, mark))
    .orderBy(asc(events.seq))
    .limit(1)
    .get()
  return row?.at ?? null
}

/**
 * Gives at most `pages` free pages back to the file system; returns how many are still free
 * (0 without incremental auto-vacuum: the free pages are then only reused).
 */
export function vacuumStep(sqlite: Database.Database, pages: number): number {
  if (sqlite.pragma('auto_vacuum', { simple: true }) !== 2) return 0
  sqlite.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`)
  return sqlite.pragma('freelist_count', { simple: true }) as number
}

export interface StoreSize {
  bytes: number
  /** Pages free inside the file (reused by new rows; returned to the disk by the vacuum). */
  freeBytes: number
  walBytes: number
  autoVacuum: 'none' | 'full' | 'incremental'
}

/** The database file's size (and its write-ahead log's), and how much of it is free. */
export function storeSize(sqlite: Database.Database): StoreSize {
  let walBytes = 0
  try {
    walBytes = statSync(`${sqlite.name}-wal`).size
  } catch {
    // no WAL file (in memory, or checkpointed and removed)
  }
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number
  return {
    bytes: fileBytes(sqlite),
    freeBytes: (sqlite.pragma('freelist_count', { simple: true }) as number) * pageSize,
    walBytes,
    autoVacuum: (['none', 'full', 'incremental'] as const)[sqlite.pragma('auto_vacuum', { simple: true }) as number]!,
  }
}
