// A kept value (service/kept.ts): computed once on first request, answered from the copy after, stale
// on a change and recomputed off the request path (debounced, at most every minGapMs), and computed
// afresh on the request when too old to show, or when stale and every change must be seen.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createKept, type KeptOptions } from '../../src/service/kept.ts'

function harness(overrides: Partial<KeptOptions<number>> = {}) {
  const clock = { now: 1_000_000 }
  const pending: Array<{ fn: () => void; at: number }> = []
  const computedAt: number[] = []
  const kept = createKept<number>({
    compute: (at) => (computedAt.push(at), computedAt.length),
    now: () => clock.now,
    timers: {
      setTimeout: (fn, ms) => {
        const t = { fn, at: clock.now + ms }
        pending.push(t)
        return t
      },
      clearTimeout: (t) => void pending.splice(pending.indexOf(t as (typeof pending)[number]), 1),
    },
    debounceMs: 1000,
    minGapMs: 10_000,
    refreshAfterMs: 60_000,
    maxAgeMs: 600_000,
    ...overrides,
  })
  /** Moves the clock and runs the timers due by then. */
  const advance = (ms: number) => {
    clock.now += ms
    for (const t of pending.filter((p) => p.at <= clock.now)) {
      pending.splice(pending.indexOf(t), 1)
      t.fn()
    }
  }
  return { kept, clock, pending, computedAt, advance }
}

describe('a kept value', () => {
  it('computes on the first request only, then answers the copy with its time', () => {
    const h = harness()
    const start = h.clock.now
    assert.deepEqual(h.kept.get(), { value: 1, asOf: start, stale: false })
    h.advance(5000)
    assert.deepEqual(h.kept.get(), { value: 1, asOf: start, stale: false })
    assert.equal(h.computedAt.length, 1)
    assert.equal(h.pending.length, 0, 'nothing changed, nothing scheduled')
  })

  it('a change makes it stale; a burst of changes is recomputed once, off the request path', () => {
    const h = harness()
    h.kept.get()
    h.advance(20_000)
    for (let i = 0; i < 50; i++) h.kept.changed()
    assert.equal(h.pending.length, 1)
    assert.equal(h.kept.get().stale, true, 'answered from the copy meanwhile, marked stale')
    assert.equal(h.computedAt.length, 1)
    h.advance(1000)
    assert.deepEqual(h.kept.get(), { value: 2, asOf: h.clock.now, stale: false })
  })

  it('at most one recomputation every minGapMs, however many changes', () => {
    const h = harness()
    h.kept.get()
    h.kept.changed()
    h.advance(1000)
    assert.equal(h.computedAt.length, 1, 'the first recomputation waits for the gap since the first computation')
    h.advance(9000)
    assert.equal(h.computedAt.length, 2)
    h.kept.changed()
    h.advance(5000)
    assert.equal(h.computedAt.length, 2)
    h.advance(5000)
    assert.equal(h.computedAt.length, 3)
  })

  it('unchanged, a copy asked for is refreshed once old; one nobody asked for costs nothing', () => {
    const h = harness()
    h.kept.get()
    h.advance(61_000)
    assert.equal(h.kept.get().value, 1, 'the old copy answers, the refresh follows')
    h.advance(1000)
    assert.equal(h.kept.get().value, 2)
    h.advance(700_000)
    h.kept.changed()
    assert.equal(h.pending.length, 0, 'nobody asked for it lately: no recomputation')
    assert.deepEqual(h.kept.get(), { value: 3, asOf: h.clock.now, stale: false }, 'too old to show: computed now')
  })

  it("onStale 'compute': a stale copy is never answered", () => {
    const h = harness({ onStale: 'compute' })
    h.kept.get()
    h.kept.changed()
    assert.deepEqual(h.kept.get(), { value: 2, asOf: h.clock.now, stale: false })
    assert.equal(h.pending.length, 0, 'the pending recomputation is dropped')
  })

  it('a failed recomputation keeps the copy, stale, and reports the error', () => {
    const errors: unknown[] = []
    let fail = false
    const h = harness({
      compute: (at) => {
        if (fail) throw new Error('disk gone')
        return at
      },
      onError: (e) => errors.push(e),
    })
    const first = h.kept.get()
    fail = true
    h.kept.changed()
    h.advance(10_000)
    assert.equal(errors.length, 1)
    assert.deepEqual(h.kept.get(), { ...first, stale: true })
  })
})
