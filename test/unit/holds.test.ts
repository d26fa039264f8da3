// Hold and release logic with a fake clock: every hold ends, the first answer wins.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decideHold, hookOutput, HOLD_MARGIN_MS, type HoldConfig } from '../../src/core/hold-policy.ts'
import { isAway, seen, goAway } from '../../src/core/presence.ts'
import { Holds } from '../../src/service/holds.ts'
import { FakeClock } from '../helpers/fake-clock.ts'

const config: HoldConfig = { permissionWindowMs: 900_000, stopWindowMs: 4 * 3600_000, stopBlockCap: 8 }
const base = { budgetSec: 86_400, away: false, consecutiveStopBlocks: 0, replyPath: 'hook' as const }

describe('decideHold', () => {
  it('holds a PermissionRequest whether or not the person is present (the dialog stays usable)', () => {
    assert.deepEqual(decideHold({ ...base, event: 'PermissionRequest', waitKind: 'permission' }, config), {
      hold: true,
      windowMs: 900_000,
    })
    assert.deepEqual(decideHold({ ...base, away: true, event: 'PermissionRequest', waitKind: 'permission' }, config), {
      hold: true,
      windowMs: 900_000,
    })
  })

  it('holds a Stop only while the person is away', () => {
    assert.equal(decideHold({ ...base, event: 'Stop', waitKind: 'done' }, config).hold, false)
    assert.deepEqual(decideHold({ ...base, away: true, event: 'Stop', waitKind: 'question' }, config), {
      hold: true,
      windowMs: 4 * 3600_000,
    })
  })

  it("never holds a Stop whose agent takes replies through tend's mod, away or not; permissions still are", () => {
    const mod = { ...base, replyPath: 'mod' as const }
    assert.deepEqual(decideHold({ ...mod, away: true, event: 'Stop', waitKind: 'question' }, config), {
      hold: false,
      why: "replies reach this agent through tend's mod",
    })
    assert.equal(decideHold({ ...mod, event: 'Stop', waitKind: 'done' }, config).hold, false)
    assert.equal(decideHold({ ...mod, event: 'PermissionRequest', waitKind: 'permission' }, config).hold, true)
  })

  it('never holds past the hook budget, nor without one, nor with no wait open', () => {
    const d = decideHold({ ...base, budgetSec: 60, event: 'PermissionRequest', waitKind: 'permission' }, config)
    assert.deepEqual(d, { hold: true, windowMs: 60_000 - HOLD_MARGIN_MS })
    assert.equal(
      decideHold({ ...base, budgetSec: 0, event: 'PermissionRequest', waitKind: 'permission' }, config).hold,
      false,
    )
    assert.equal(decideHold({ ...base, event: 'PermissionRequest', waitKind: null }, config).hold, false)
    assert.equal(
      decideHold({ ...base, away: true, event: 'Stop', waitKind: 'done' }, { ...config, stopWindowMs: 0 }).hold,
      false,
    )
  })

  it("respects Claude Code's cap of 8 consecutive Stop blocks", () => {
    assert.equal(
      decideHold({ ...base, away: true, consecutiveStopBlocks: 7, event: 'Stop', waitKind: 'done' }, config).hold,
      true,
    )
    const capped = decideHold(
      { ...base, away: true, consecutiveStopBlocks: 8, event: 'Stop', waitKind: 'done' },
      config,
    )
    assert.equal(capped.hold, false)
    assert.match((capped as { why: string }).why, /8 consecutive Stop blocks/)
  })
})

describe('hookOutput', () => {
  it('speaks the decision shapes Claude Code expects', () => {
    assert.deepEqual(hookOutput('Stop', { action: 'reply', text: 'run the tests' }), {
      decision: 'block',
      reason: 'run the tests',
    })
    assert.deepEqual(hookOutput('PermissionRequest', { action: 'approve' }), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    })
    assert.deepEqual(hookOutput('PermissionRequest', { action: 'deny', message: 'not in prod' }), {
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest',
        decision: { behavior: 'deny', message: 'not in prod' },
      },
    })
    assert.deepEqual(hookOutput('Stop', null), {})
  })
})

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
