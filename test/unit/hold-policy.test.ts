// When a synchronous hook may be held for a reply, for how long, and the JSON a held hook prints for Claude Code.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decideHold, hookOutput, HOLD_MARGIN_MS, type HoldConfig } from '../../src/core/hold-policy.ts'

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
