// Retention off the request path: a timer in the receiver drops old event payloads in small
// batches, yielding to requests between batches, then returns the freed pages to the disk.
import { setImmediate as yieldToRequests } from 'node:timers/promises'
import type { Logger } from '../log.ts'
import type { Store } from '../store/db.ts'
import { prunePayloadsBatch, vacuumStep } from '../store/retention.ts'
import { realTimers, type Timers } from './holds.ts'

const DAY = 24 * 3600_000
/** Events per transaction: a batch takes a few ms, so a hook posted meanwhile waits at most that. */
export const PRUNE_BATCH = 500
/** Pages given back per step of the vacuum (4 KiB each: 1 MiB). */
const VACUUM_PAGES = 256

export interface PrunerOptions {
  store: Store
  log: Logger
  now: () => number
  /** Raw payloads are kept this many days (0: forever). */
  payloadDays: number
  /** How often a pass runs (default hourly); the first runs a minute after start. */
  everyMs?: number
  timers?: Timers
}

export interface Pruner {
  /** One full pass: every payload due, then the vacuum. Resolves with how many payloads were dropped. */
  run(): Promise<number>
  stop(): Promise<void>
}

export function createPruner(opts: PrunerOptions): Pruner {
  const timers = opts.timers ?? realTimers
  const everyMs = opts.everyMs ?? 3600_000
  let stopped = false
  let running: Promise<number> | null = null
  let timer: unknown = null

  async function pass(): Promise<number> {
    let total = 0
    if (opts.payloadDays > 0) {
      const before = opts.now() - opts.payloadDays * DAY
      for (;;) {
        if (stopped) return total
        const { pruned, more } = prunePayloadsBatch(opts.store.db, before, PRUNE_BATCH)
        total += pruned
        if (!more) break
        await yieldToRequests()
      }
    }
    // With incremental auto-vacuum (store/retention.ts), the freed pages go back a step at a time.
    while (!stopped && vacuumStep(opts.store.sqlite, VACUUM_PAGES) > 0) await yieldToRequests()
    if (total > 0) opts.log.info('old event payloads dropped', { events: total, keptDays: opts.payloadDays })
    return total
  }

  function run(): Promise<number> {
    running ??= pass()
      .catch((err: Error) => {
        opts.log.error('pruning failed', { error: err.message })
        return 0
      })
      .finally(() => (running = null))
    return running
  }

  function schedule(ms: number) {
    if (stopped) return
    timer = timers.setTimeout(() => {
      void run().then(() => schedule(everyMs))
    }, ms)
    ;(timer as { unref?: () => void }).unref?.()
  }
  schedule(Math.min(60_000, everyMs))

  return {
    run,
    async stop() {
      stopped = true
      if (timer !== null) timers.clearTimeout(timer)
      await running
    },
  }
}
