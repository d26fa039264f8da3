// A value that is costly to compute from the stored history (the attention measures, the capacity),
// kept and answered from a copy: recomputed off the request path when the history changed (a burst of
// changes: once, and at most once every `minGapMs`) or the copy grew old, and only on the request path
// the first time, or when nobody asked for so long that the copy is too old to show (or, if asked for,
// whenever the copy is stale).
import { realTimers, type Timers } from './holds.ts'

export interface KeptOptions<T> {
  /** The value as of `at` (ms): the same as any fresh computation at that time. */
  compute(at: number): T
  now: () => number
  timers?: Timers
  /** A change is taken in this long after it (a burst of changes makes one recomputation). */
  debounceMs: number
  /** At most one recomputation this often. */
  minGapMs: number
  /** With nothing changed, a copy asked for is recomputed (off the request path) once this old. */
  refreshAfterMs: number
  /** A copy older than this is not shown: the request computes afresh. Nobody asked meanwhile: no work. */
  maxAgeMs: number
  /**
   * A request finding the copy stale: answers it (and the recomputation follows off the request path),
   * or computes afresh when every change must be seen (the SessionStart check); default 'serve'.
   */
  onStale?: 'serve' | 'compute'
  /** A recomputation off the request path failed (the copy stays, marked stale). */
  onError?: (err: unknown) => void
}

export interface KeptValue<T> {
  value: T
  /** When it was computed (ms). */
  asOf: number
  /** The history changed since: a recomputation is due. */
  stale: boolean
}

export interface Kept<T> {
  get(): KeptValue<T>
  /** The history changed: the copy is stale, recomputed soon if someone asked for it lately. */
  changed(): void
  /** When it was last asked for (ms); null: never. */
  lastAsked(): number | null
  /** Stops a pending recomputation. */
  dispose(): void
}

export function createKept<T>(opts: KeptOptions<T>): Kept<T> {
  const timers = opts.timers ?? realTimers
  let copy: { value: T; asOf: number; stale: boolean } | null = null
  let asked: number | null = null
  let lastRun = -Infinity
  let timer: unknown = null

  function computeNow(): void {
    const at = opts.now()
    copy = { value: opts.compute(at), asOf: at, stale: false }
    lastRun = at
  }

  function run(): void {
    timer = null
    try {
      computeNow()
    } catch (err) {
      opts.onError?.(err)
    }
  }

  function schedule(): void {
    if (timer !== null) return
    const delay = Math.max(opts.debounceMs, lastRun + opts.minGapMs - opts.now())
    timer = timers.setTimeout(run, delay)
    ;(timer as { unref?: () => void }).unref?.()
  }

  return {
    get() {
      const t = opts.now()
      asked = t
      const kept = copy
      if (!kept || (kept.stale && opts.onStale === 'compute') || t - kept.asOf > opts.maxAgeMs || t < kept.asOf) {
        if (timer !== null) timers.clearTimeout(timer)
        timer = null
        computeNow()
      } else if (kept.stale || t - kept.asOf >= opts.refreshAfterMs) schedule()
      return { ...copy! }
    },
    changed() {
      if (!copy) return
      copy.stale = true
      if (asked !== null && opts.now() - asked <= opts.maxAgeMs) schedule()
    },
    lastAsked: () => asked,
    dispose() {
      if (timer !== null) timers.clearTimeout(timer)
      timer = null
    },
  }
}
