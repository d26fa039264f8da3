// The long-polls of tend's Claude Code mods, woken when a reply is queued for their session.
import { realTimers, type Timers } from './holds.ts'

/** A mod re-polls at once after each answer; one not heard from this long is gone (or its session). */
export const MOD_LIVE_MS = 45_000

export class ModInbox {
  /** Every open poll of a session: a session resumed in two terminals polls twice, and both stay open. */
  readonly #wakers = new Map<string, Set<() => void>>()
  readonly #lastSeen = new Map<string, number>()
  readonly #timers: Timers
  readonly #now: () => number

  constructor(opts: { timers?: Timers; now?: () => number } = {}) {
    this.#timers = opts.timers ?? realTimers
    this.#now = opts.now ?? Date.now
  }

  /** Waits until a reply is queued for the session, the window ends, or the poll goes away. */
  wait(sessionId: string, windowMs: number, signal?: AbortSignal): Promise<void> {
    this.#lastSeen.set(sessionId, this.#now())
    const wakers = this.#wakers.get(sessionId) ?? new Set<() => void>()
    this.#wakers.set(sessionId, wakers)
    return new Promise((resolve) => {
      const end = (gone: boolean) => {
        this.#timers.clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        wakers.delete(wake)
        if (wakers.size === 0) this.#wakers.delete(sessionId)
        // A poll the mod dropped (its Claude Code exited or died) is no sign of life; one answered is.
        if (gone) this.#lastSeen.delete(sessionId)
        else this.#lastSeen.set(sessionId, this.#now())
        resolve()
      }
      const wake = () => end(false)
      const onAbort = () => end(true)
      const timer = this.#timers.setTimeout(wake, windowMs)
      wakers.add(wake)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** A reply was queued: the session's open polls answer now (the store hands it to one of them). */
  wake(sessionId: string): void {
    for (const wake of [...(this.#wakers.get(sessionId) ?? [])]) wake()
  }

  /** Whether the session's mod is polling: a poll is open, or one was answered moments ago. */
  connected(sessionId: string): boolean {
    if (this.#wakers.has(sessionId)) return true
    const seen = this.#lastSeen.get(sessionId)
    return seen !== undefined && this.#now() - seen < MOD_LIVE_MS
  }

  /** Every open poll ends (the receiver is shutting down). */
  closeAll(): void {
    for (const session of [...this.#wakers.keys()]) this.wake(session)
  }
}
