// Replays events the hook spooled while the receiver was down, oldest first, keeping their times.
//
// Invariants: every spool file ends up stored (and removed) or moved to spool/rejected/ with a
// <file>.reason beside it; none is retried in a loop, and a bad one never holds back the ones
// behind it. Only a failing store (disk full, read-only, I/O error: `storeFailure`) stops a pass,
// leaving the files in place for the next one.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  watch,
  writeFileSync,
  type FSWatcher,
} from 'node:fs'
import { basename, join } from 'node:path'
import type { Logger } from '../log.ts'
import { storeFailure, type StoreFailureKind } from '../store/db.ts'

/** hooks/tend-hook names each file <ms when the hook ran>-<hook pid>-<Claude Code pid or 0>.json */
const SPOOL_FILE = /^(\d{10,16})-(\d+)-(\d+)\.json$/
/** …written first as .<name>.tmp, then renamed: a .tmp this old belongs to a hook that was killed. */
const TMP_FILE = /^\.(\d{10,16}-\d+-\d+)\.tmp$/
export const STALE_TMP_MS = 10 * 60_000
/** After a live delivery, replay this soon: several deliveries in a burst make one pass. */
const DELIVERY_DELAY_MS = 250
/**
 * A watched file is replayed this long after it appears: a StopFailure hook spools its copy before it
 * posts and removes it once the receiver has it (1 s at most), so the live post usually comes first.
 */
const WATCHED_DELAY_MS = 1500

export interface SpooledEvent {
  file: string
  occurredAt: number
  pid: number | undefined
  raw: string
}

/** Stored, or refused for good with the reason (kept in spool/rejected/). A failing store throws instead. */
export type SpoolOutcome = 'stored' | { rejected: string }

export interface Spool {
  /** Replays every spooled event now; resolves with how many were stored and rejected. */
  replay(): { stored: number; rejected: number }
  /** Replays soon (debounced): called after each live delivery, cheap when the spool is empty. */
  schedule(): void
  /**
   * Replays soon whenever a hook spools while this receiver runs (it gave up on a busy receiver, or
   * Claude Code signalled it before it posted): without it the event waits for the next one or a sweep.
   * Does nothing while a watch is on: the sweep calls it to start a new one after the old one died.
   */
  watch(): void
  pending(): number
  close(): void
}

export interface SpoolOptions {
  /** While true (the store cannot write), a file appearing starts no pass: the sweep and the next delivery do. */
  storeFailing?: () => boolean
  now?: () => number
  /** The store could not write: the pass stops and the files wait for the next one. */
  onStoreFailure?: (kind: StoreFailureKind, err: unknown) => void
}

export function parseSpoolName(name: string): { occurredAt: number; pid: number | undefined } | null {
  const m = SPOOL_FILE.exec(name)
  if (!m) return null
  const pid = Number(m[3])
  return { occurredAt: Number(m[1]), pid: pid > 0 ? pid : undefined }
}

export function listSpool(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => SPOOL_FILE.test(f))
      .sort(compareSpoolNames)
  } catch {
    return []
  }
}

function compareSpoolNames(a: string, b: string): number {
  const ta = Number(a.slice(0, a.indexOf('-')))
  const tb = Number(b.slice(0, b.indexOf('-')))
  return ta - tb || a.localeCompare(b)
}

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'error'

export function createSpool(
  dir: string,
  deliver: (event: SpooledEvent) => SpoolOutcome,
  log: Logger,
  opts: SpoolOptions = {},
): Spool {
  const now = opts.now ?? Date.now
  let timer: NodeJS.Timeout | null = null
  let watcher: FSWatcher | null = null
  let watchWarned = false // the sweep tries again every 15 s: say it once
  const rejectedDir = join(dir, 'rejected')

  /** Sets a file aside with its reason; false when it could not be moved (it is tried again next pass). */
  function reject(file: string, reason: string): boolean {
    try {
      mkdirSync(rejectedDir, { recursive: true })
      renameSync(join(dir, file), join(rejectedDir, file))
    } catch (err) {
      if (codeOf(err) !== 'ENOENT') log.error('spool file could not be set aside', { file, reason, error: codeOf(err) })
      return false // ENOENT: another receiver replayed it meanwhile
    }
    try {
      writeFileSync(join(rejectedDir, `${file}.reason`), `${new Date(now()).toISOString()} ${reason}\n`)
    } catch {
      // The log below still says why.
    }
    log.warn('spool file set aside', { file: `rejected/${file}`, reason })
    return true
  }

  /**
   * Before a pass: a .tmp a killed hook left behind is renamed for the replay (a cut-off one is then
   * rejected as not JSON); a .json the replay would never take (a name tend-hook did not make) is set
   * aside rather than left there. Returns how many were set aside.
   */
  function tidy(): number {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return 0
    }
    let rejected = 0
    for (const name of names) {
      const m = TMP_FILE.exec(name)
      if (!m) {
        if (name.endsWith('.json') && !name.startsWith('.') && !SPOOL_FILE.test(name)) {
          if (reject(name, 'not a spool file name (<ms>-<pid>-<pid>.json)')) rejected++
        }
        continue
      }
      try {
        if (now() - lstatSync(join(dir, name)).mtimeMs < STALE_TMP_MS) continue
        renameSync(join(dir, name), join(dir, `${m[1]}.json`))
      } catch {
        // Gone meanwhile (its hook finished after all).
      }
    }
    return rejected
  }

  function replay() {
    let stored = 0
    let rejected = tidy()
    for (const file of listSpool(dir)) {
      const path = join(dir, file)
      const name = parseSpoolName(file)!
      let raw: string
      try {
        raw = readFileSync(path, 'utf8')
      } catch (err) {
        if (codeOf(err) === 'ENOENT') continue // taken by a concurrent replay
        // A directory with a spool name, a file we may not read: this file is bad, not the store.
        if (reject(file, `unreadable (${codeOf(err)})`)) rejected++
        continue
      }
      let outcome: SpoolOutcome
      try {
        outcome = deliver({ file, occurredAt: name.occurredAt, pid: name.pid, raw })
      } catch (err) {
        const kind = storeFailure(err)
        if (kind) {
          // The store is failing (disk full, read-only): keep this file and the rest for the next pass.
          opts.onStoreFailure?.(kind, err)
          break
        }
        outcome = { rejected: `could not be stored: ${(err as Error).message ?? String(err)}` }
      }
      if (outcome === 'stored') {
        try {
          unlinkSync(path)
        } catch {
          // Another receiver replayed it meanwhile; its copy was deduped here.
        }
        stored++
      } else if (reject(file, outcome.rejected)) rejected++
    }
    if (stored || rejected) log.info('spool replayed', { stored, rejected })
    return { stored, rejected }
  }

  function schedule(delayMs = DELIVERY_DELAY_MS): void {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      replay()
    }, delayMs)
    timer.unref()
  }

  function unwatched(msg: string, err: unknown): void {
    if (watchWarned) return
    watchWarned = true
    log.warn(msg, { dir, error: codeOf(err), fallback: 'replayed after the next event or at the next sweep' })
  }

  function onWatched(name: string | null): void {
    // The directory itself removed or renamed: the watch is dead; the next sweep starts a new one.
    if (name === basename(dir)) {
      watcher?.close()
      watcher = null
      return
    }
    // Not for this receiver's own removals (each replayed file), nor while every write would fail.
    if (name !== null && (!SPOOL_FILE.test(name) || !existsSync(join(dir, name)))) return
    if (opts.storeFailing?.()) return
    schedule(WATCHED_DELAY_MS)
  }

  return {
    replay,
    schedule,
    watch() {
      if (watcher) return
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        // The hook writes .<name>.tmp, then renames it to <name>.json: the rename is the one to act on.
        watcher = watch(dir, (_event, name) => onWatched(name))
        watcher.on('error', (err) => {
          // The next delivery and the sweep still replay; the sweep also watches again.
          unwatched('spool watch stopped', err)
          watcher?.close()
          watcher = null
        })
        watcher.unref()
      } catch (err) {
        unwatched('spool not watched', err)
      }
    },
    pending: () => listSpool(dir).length,
    close() {
      if (timer) clearTimeout(timer)
      timer = null
      watcher?.close()
      watcher = null
    },
  }
}
