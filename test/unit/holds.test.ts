// Hold and release logic with a fake clock: every hold ends, the first answer wins.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Holds } from '../../src/service/holds.ts'
import { FakeClock } from '../helpers/fake-clock.ts'

describe('Holds', () => {
  const hold = { waitId: 'w_1', sessionId: 's', event: 'Stop', windowMs: 60_000 }

  it('delivers the first answer; a second finds no hold', async () => {
    const clock = new FakeClock()
    const holds = new Holds({ timers: clock, now: () => clock.now })
    const pending = holds.open(hold)
    assert.ok(holds.get('w_1'))
    assert.equal(holds.answer('w_1', { action: 'reply', text: 'go on' }), true)
    assert.equal(holds.answer('w_1', { action: 'reply', text: 'too late' }), false)
    assert.deepEqual(await pending, { answer: { action: 'reply', text: 'go on' }, reason: 'answered' })
    assert.equal(clock.pending(), 0, 'the window timer is cleared')
  })

  it('ends at the window with no decision', async () => {
    const clock = new FakeClock()
    const holds = new Holds({ timers: clock, now: () => clock.now })
    const pending = holds.open(hold)
    clock.advance(59_999)
    assert.ok(holds.get('w_1'))
    clock.advance(1)
    assert.deepEqual(await pending, { answer: null, reason: 'window' })
    assert.equal(holds.get('w_1'), undefined)
  })

  it('ends when the hook connection goes (Esc, or answered in the terminal)', async () => {
    const clock = new FakeClock()
    const holds = new Holds({ timers: clock, now: () => clock.now })
    const ac = new AbortController()
    const pending = holds.open(hold, ac.signal)
    ac.abort()
    assert.deepEqual(await pending, { answer: null, reason: 'aborted' })
    assert.equal(clock.pending(), 0)
  })

  it('releases every held Stop on the way back, and leaves permission holds alone', async () => {
    const clock = new FakeClock()
    const holds = new Holds({ timers: clock, now: () => clock.now })
    const stops = [holds.open({ ...hold, waitId: 'a' }), holds.open({ ...hold, waitId: 'b' })]
    const perm = holds.open({ ...hold, waitId: 'c', event: 'PermissionRequest' })
    assert.equal(
      holds.releaseWhere((h) => h.event === 'Stop', 'back'),
      2,
    )
    assert.deepEqual(await Promise.all(stops), [
      { answer: null, reason: 'back' },
      { answer: null, reason: 'back' },
    ])
    assert.deepEqual(
      holds.list().map((h) => h.waitId),
      ['c'],
    )
    holds.release('c', 'shutdown')
    assert.equal((await perm).reason, 'shutdown')
  })
})
