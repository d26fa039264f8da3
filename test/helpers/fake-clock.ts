// A fake clock with timers that fire only when the test advances time.
import type { Timers } from '../../src/service/holds.ts'

export class FakeClock implements Timers {
  now: number
  #next = 1
  #timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = 1_800_000_000_000) {
    this.now = start
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.#next++
    this.#timers.set(id, { at: this.now + ms, fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.now + ms
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.#timers.delete(due[0])
      this.now = due[1].at
      due[1].fn()
    }
    this.now = end
  }

  pending(): number {
    return this.#timers.size
  }
}
