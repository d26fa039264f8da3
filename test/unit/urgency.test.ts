// Urgency's required properties: it grows with the wait, weighs the kind, the priority and T_work, and explains itself.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { overtakesAt, urgency, type UrgencyInput } from '../../src/core/urgency.ts'

const NOW = 1_800_000_000_000
const MIN = 60_000
const base: UrgencyInput = { kind: 'done', waitStartedAt: NOW - 5 * MIN, priority: 3, tWorkMs: null }
const score = (over: Partial<UrgencyInput>) => urgency({ ...base, ...over }, NOW).score

describe('urgency', () => {
  it('grows with wait time', () => {
    assert.ok(score({ waitStartedAt: NOW - 10 * MIN }) > score({ waitStartedAt: NOW - 5 * MIN }))
    assert.ok(score({ waitStartedAt: NOW - 5 * MIN }) > score({ waitStartedAt: NOW }))
  })

  it('at equal wait: permission > question > error > done', () => {
    const kinds = ['permission', 'question', 'error', 'done'] as const
    const scores = kinds.map((kind) => score({ kind }))
    assert.deepEqual(
      [...scores].sort((a, b) => b - a),
      scores,
    )
    assert.equal(new Set(scores).size, 4)
  })

  it('priority multiplies; long work per instruction ranks sooner', () => {
    assert.ok(Math.abs(score({ priority: 5 }) / score({}) - 5 / 3) < 0.01)
    assert.ok(score({ priority: 1 }) < score({}))
    assert.ok(score({ tWorkMs: 20 * MIN }) > score({ tWorkMs: 1 * MIN }))
    assert.ok(score({ tWorkMs: 1 * MIN }) > score({ tWorkMs: null }))
  })

  it('explains itself', () => {
    const u = urgency(
      { kind: 'permission', waitStartedAt: NOW - 3 * MIN - 12_000, priority: 5, tWorkMs: 12 * MIN },
      NOW,
    )
    assert.equal(u.why, 'permission ×4 · waiting 3m12s · priority 5 ×1.67 · works ~12m00s per instruction ×2.2')
    assert.equal(u.score, Math.round((5 / 3) * 4 * (1 + 192 / 60) * 2.2 * 100) / 100)
  })
})

describe('overtakesAt', () => {
  it('is where two scores cross, and the scores agree on either side', () => {
    const a = { ...base, kind: 'done' as const, waitStartedAt: NOW - 10 * MIN }
    const b = { ...base, kind: 'question' as const, waitStartedAt: NOW }
    const at = overtakesAt(a, b, NOW)!
    // done ×1 from 10 min ago, question ×3 from now: 1·(1 + 10 + x) = 3·(1 + x) → x = 4 min.
    assert.equal(at, NOW + 4 * MIN)
    assert.ok(urgency(b, at + 1000).score > urgency(a, at + 1000).score)
    assert.ok(urgency(b, at - 1000).score < urgency(a, at - 1000).score)
    assert.equal(overtakesAt(b, a, NOW), null, 'a slower line never catches up')
  })
})
