// The long-polls of tend's Claude Code mods: one open poll per session, woken when a reply is queued.
import { realTimers, type Timers } from './holds.ts'

/** A mod re-polls at once after each answer; one not heard from this long is gone (or its session). */
export const MOD_LIVE_MS = 45_000

export class ModInbox {
  readonly #wakers = new Map<string, () => void>()
  readonly #lastSeen = new Map<string, number>()
  readonly #timers: Timers
  readonly #now: () => number

  constructor(opts: { timers?: Timers; now?: () => number } = {}) {
    this.#timers = opts.timers ?? realTimers
    this.#now = opts.now ?? Date.now
  }

  /** Waits until a reply is queued for the session, the window ends, or the poll goes away. */
  wait(sessionId: string, windowMs: number, signal?: AbortSignal): Promise<void> {
    this.#wakers.get(sessionId)?.() // a newer poll replaces an older one (the mod restarted its loop)
    this.#lastSeen.set(sessionId, this.#now())
    return new Promise((resolve) => {
      const done = () => {
        this.#timers.clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        if (this.#wakers.get(sessionId) === done) this.#wakers.delete(sessionId)
        this.#lastSeen.set(sessionId, this.#now())
        resolve()
      }
      const timer = this.#timers.setTimeout(done, windowMs)
      this.#wakers.set(sessionId, done)
      if (signal?.aborted) done()
      else signal?.addEventListener('abort', done, { once: true })
    })
  }

  /** A reply was queued: the session's open poll (if any) answers now. */
  wake(sessionId: string): void {
    this.#wakers.get(sessionId)?.()
  }

  /** Whether the session's mod is polling: a poll is open, or one ended moments ago. */
  connected(sessionId: string): boolean {
    if (this.#wakers.has(sessionId)) return true
    const seen = this.#lastSeen.get(sessionId)
    return seen !== undefined && this.#now() - seen < MOD_LIVE_MS
  }

  /** Every open poll ends (the receiver is shutting down). */
  closeAll(): void {
    for (const wake of [...this.#wakers.values()]) wake()
  }
}
