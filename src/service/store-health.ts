// Whether the store can write just now. A full disk or a read-only file system never stops the
// receiver: requests get 503 (the hooks spool), the log says so once a minute, `tend doctor` shows
// it, and the first write that succeeds again clears it.
import type { Logger } from '../log.ts'
import type { StoreFailureKind } from '../store/db.ts'

/** At most one log line per this long while the store keeps failing (the log may be on the same full disk). */
export const STORE_FAILURE_LOG_EVERY_MS = 60_000

export type StoreHealthView =
  { ok: true } | { ok: false; kind: StoreFailureKind; since: number; lastAt: number; failures: number; message: string }

export interface StoreHealth {
  failed(kind: StoreFailureKind, err: unknown): void
  ok(): void
  view(): StoreHealthView
}

export const STORE_FAILURE_TEXT: Record<StoreFailureKind, string> = {
  disk_full: 'the disk holding the database is full',
  read_only: 'the database is on a read-only file system (or the file is read-only)',
  io_error: 'the database hit an I/O error',
  busy: 'another process holds the database locked',
}

export function createStoreHealth(log: Logger, now: () => number): StoreHealth {
  let state: Exclude<StoreHealthView, { ok: true }> | null = null
  let loggedAt = -Infinity
  let unlogged = 0
  return {
    failed(kind, err) {
      const at = now()
      const message = (err as Error)?.message ?? String(err)
      if (!state || state.kind !== kind) state = { ok: false, kind, since: at, lastAt: at, failures: 0, message }
      state.failures++
      state.lastAt = at
      state.message = message
      unlogged++
      if (at - loggedAt < STORE_FAILURE_LOG_EVERY_MS) return
      log.error('store cannot write: answering 503, hooks spool', {
        kind,
        reason: STORE_FAILURE_TEXT[kind],
        error: message,
        failures: unlogged,
      })
      loggedAt = at
      unlogged = 0
    },
    ok() {
      if (!state) return
      log.info('store writes again', { kind: state.kind, failedForMs: now() - state.since, failures: state.failures })
      state = null
      loggedAt = -Infinity
      unlogged = 0
    },
    view: () => (state ? { ...state } : { ok: true }),
  }
}
