// Held hook calls: a Stop or PermissionRequest kept open until an answer, the window's end, or release.
import type { Answer } from '../core/answer.ts'

export type ReleaseReason = 'answered' | 'window' | 'aborted' | 'wait_ended' | 'back' | 'shutdown'

export interface HoldOutcome {
  answer: Answer | null
  reason: ReleaseReason
}

export interface Hold {
  waitId: string
  sessionId: string
  event: string
  startedAt: number
  windowMs: number
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

interface Entry extends Hold {
  settle(outcome: HoldOutcome): void
}

/** One open hold per wait. Every hold ends: answered, released, aborted, or at its window's end. */
export class Holds {
  readonly #entries = new Map<string, Entry>()
  readonly #timers: Timers
  readonly #now: () => number

  constructor(opts: { timers?: Timers; now?: () => number } = {}) {
    this.#timers = opts.timers ?? realTimers
    this.#now = opts.now ?? Date.now
  }

  /** Holds until settled. `signal` aborts when the hook's connection goes (Esc, or answered in the terminal). */
  open(hold: Omit<Hold, 'startedAt'>, signal?: AbortSignal): Promise<HoldOutcome> {
    this.release(hold.waitId, 'wait_ended') // a wait has one hold; a stale one gives way
    return new Promise((resolve) => {
      const onAbort = () => this.#settle(hold.waitId, { answer: null, reason: 'aborted' })
      const timer = this.#timers.setTimeout(
        () => this.#settle(hold.waitId, { answer: null, reason: 'window' }),
        hold.windowMs,
      )
      const entry: Entry = {
        ...hold,
        startedAt: this.#now(),
        settle: (outcome) => {
          this.#timers.clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          resolve(outcome)
        },
      }
      this.#entries.set(hold.waitId, entry)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  get(waitId: string): Hold | undefined {
    const e = this.#entries.get(waitId)
    return (
      e && { waitId: e.waitId, sessionId: e.sessionId, event: e.event, startedAt: e.startedAt, windowMs: e.windowMs }
    )
  }

  /** Delivers an answer to the held hook; false when no hold is open for that wait. */
  answer(waitId: string, answer: Answer): boolean {
    return this.#settle(waitId, { answer, reason: 'answered' })
  }

  release(waitId: string, reason: ReleaseReason): boolean {
    return this.#settle(waitId, { answer: null, reason })
  }

  /** Releases every hold that matches, with no decision; returns how many. */
  releaseWhere(match: (hold: Hold) => boolean, reason: ReleaseReason): number {
    let n = 0
    for (const entry of [...this.#entries.values()]) if (match(entry) && this.release(entry.waitId, reason)) n++
    return n
  }

  list(): Hold[] {
    return [...this.#entries.keys()].map((id) => this.get(id)!)
  }

  #settle(waitId: string, outcome: HoldOutcome): boolean {
    const entry = this.#entries.get(waitId)
    if (!entry) return false
    this.#entries.delete(waitId)
    entry.settle(outcome)
    return true
  }
}
