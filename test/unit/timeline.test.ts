// The order an agent's timeline is shown in: a tool's result never before its call (async hooks race).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { orderTimeline } from '../../src/core/timeline.ts'

describe('timeline order', () => {
  it("never shows a tool's result before its call", () => {
    const e = (name: string, toolUseId: string | null = null) => ({ name, toolUseId })
    const events = [
      e('UserPromptSubmit'),
      e('PostToolUse', 't1'),
      e('PreToolUse', 't1'),
      e('PreToolUse', 't2'),
      e('PostToolUseFailure', 't2'),
      e('Stop'),
    ]
    assert.deepEqual(
      orderTimeline(events).map((x) => `${x.name}${x.toolUseId ?? ''}`),
      ['UserPromptSubmit', 'PreToolUset1', 'PostToolUset1', 'PreToolUset2', 'PostToolUseFailuret2', 'Stop'],
    )
  })
})
