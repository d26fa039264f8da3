// Replays events the hook spooled while the receiver was down, oldest first, keeping their times.
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log.ts'

/** hooks/tend-hook names each file <ms when the hook ran>-<hook pid>-<Claude Code pid or 0>.json */
const SPOOL_FILE = /^(\d{10,16})-(\d+)-(\d+)\.json$/

export interface SpooledEvent {
  file: string
  occurredAt: number
  pid: number | undefined
  raw: string
}

export type SpoolOutcome = 'stored' | 'rejected'

export interface Spool {
  /** Replays every spooled event now; resolves with how many were stored and rejected. */
  replay(): { stored: number; rejected: number }
  /** Replays soon (debounced): called after each live delivery, cheap when the spool is empty. */
  schedule(): void
  pending(): number
  close(): void
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

export function createSpool(
  dir: string,
  deliver: (event: SpooledEvent) => SpoolOutcome,
  log: Logger,
  debounceMs = 250,
): Spool {
  let timer: NodeJS.Timeout | null = null
  const rejectedDir = join(dir, 'rejected')

  function replay() {
    let stored = 0
    let rejected = 0
    for (const file of listSpool(dir)) {
      const path = join(dir, file)
      const name = parseSpoolName(file)!
      let raw: string
      try {
        raw = readFileSync(path, 'utf8')
      } catch {
        continue // taken by a concurrent replay
      }
      let outcome: SpoolOutcome
      try {
        outcome = deliver({ file, occurredAt: name.occurredAt, pid: name.pid, raw })
      } catch (err) {
        // The store failed (disk full, locked): keep the file, stop this pass, try again later.
        log.error('spool replay stopped', { file, error: (err as Error).message })
        break
      }
      try {
        if (outcome === 'stored') {
          unlinkSync(path)
          stored++
        } else {
          // Kept for a person to look at, never retried in a loop.
          mkdirSync(rejectedDir, { recursive: true })
          renameSync(path, join(rejectedDir, file))
          rejected++
        }
      } catch {
        // Another receiver replayed it meanwhile; its copy was deduped here.
      }
    }
    if (stored || rejected) log.info('spool replayed', { stored, rejected })
    return { stored, rejected }
  }

  return {
    replay,
    schedule() {
      if (timer) return
      timer = setTimeout(() => {
        timer = null
        replay()
      }, debounceMs)
      timer.unref()
    },
    pending: () => listSpool(dir).length,
    close() {
      if (timer) clearTimeout(timer)
      timer = null
    },
  }
}
