// Whether the person is away: by command, or after a quiet spell with no prompt typed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAway, seen, goAway } from '../../src/core/presence.ts'

describe('presence', () => {
  const policy = { autoAwayAfterMs: 15 * 60_000 }
  it('is away by command, or after a quiet spell with no prompt', () => {
    const p = { away: false, lastSeenAt: 0 }
    assert.equal(isAway(p, 15 * 60_000 - 1, policy), false)
    assert.equal(isAway(p, 15 * 60_000, policy), true)
    assert.equal(isAway(goAway(p), 1, policy), true)
    assert.equal(isAway(seen(goAway(p), 100), 200, policy), false)
    assert.equal(isAway(p, 10 ** 12, { autoAwayAfterMs: 0 }), false)
  })
})
