// What the clock alone says about an agent: Esc fires no hook, so silence makes it stale; a gone process ends it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { reduce } from '../../src/core/agent-state.ts'
import { DEFAULT_STALENESS, sweep } from '../../src/core/staleness.ts'
import { payload } from '../helpers/payloads.ts'

const T0 = 1_800_000_000_000

describe('staleness (Esc fires no hook)', () => {
  const working = reduce(null, payload('UserPromptSubmit'), T0).agent

  it('a working agent silent past the limit becomes stale, and its next event revives it', () => {
    assert.equal(sweep(working, T0 + DEFAULT_STALENESS.staleAfterMs - 1, DEFAULT_STALENESS), null)
    const stale = sweep(working, T0 + DEFAULT_STALENESS.staleAfterMs, DEFAULT_STALENESS)!
    assert.equal(stale.agent.state, 'stale')
    assert.equal(stale.openWait, null, 'stale is not a wait: nobody knows it is blocked')
    const revived = reduce(stale.agent, payload('UserPromptSubmit'), T0 + DEFAULT_STALENESS.staleAfterMs + 1000)
    assert.equal(revived.agent.state, 'working')
  })

  it('a long-running tool gets longer before it counts as stale', () => {
    const inTool = reduce(
      working,
      payload('PreToolUse', { tool_input: { command: 'npm test', timeout: 3_600_000 } }),
      T0 + 1,
    ).agent
    assert.equal(sweep(inTool, T0 + DEFAULT_STALENESS.toolStaleAfterMs, DEFAULT_STALENESS), null)
    assert.equal(
      sweep(inTool, T0 + 3_600_000 + DEFAULT_STALENESS.staleAfterMs + 10, DEFAULT_STALENESS)!.agent.state,
      'stale',
    )
  })

  it('a gone process ends the agent and its wait', () => {
    const blocked = reduce(working, payload('Stop'), T0 + 10).agent
    const t = sweep(blocked, T0 + 20, DEFAULT_STALENESS, false)!
    assert.equal(t.agent.state, 'ended')
    assert.equal(t.closeWait!.reason, 'expired')
    assert.equal(sweep(blocked, T0 + 20, DEFAULT_STALENESS, true), null)
  })
})
