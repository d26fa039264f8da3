// Who a prompt came from: one definition for the state machine and the stats.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAtTerminal, isPersonsInstruction, promptOrigin, startOrigin } from '../../src/core/prompt-origin.ts'

describe('promptOrigin', () => {
  it('tells typed prompts from Claude Code task notifications and channel messages, leading space or not', () => {
    assert.equal(promptOrigin('fix the flaky test'), 'person')
    assert.equal(promptOrigin('<task-notification>\n<task-id>a1</task-id>…'), 'task')
    assert.equal(promptOrigin('\n  <task-notification>'), 'task')
    assert.equal(promptOrigin('<channel source="ci" run="42">build failed</channel>'), 'channel')
    assert.equal(promptOrigin('\n<channel>ping</channel>'), 'channel')
    // Mentioning the tags is not being one.
    assert.equal(promptOrigin('what is a <task-notification>?'), 'person')
    assert.equal(promptOrigin('<channels> are not supported here'), 'person')
  })

  it("a reply tend handed the session's mod is the person's, from elsewhere, whatever its text", () => {
    assert.equal(promptOrigin('yes, run it on staging', true), 'reply')
    assert.equal(promptOrigin('<task-notification> looks odd', true), 'reply')
  })

  it('replies count as instructions but not as being at the terminal', () => {
    assert.deepEqual(
      (['person', 'reply', 'task', 'channel'] as const).map((o) => [o, isPersonsInstruction(o), isAtTerminal(o)]),
      [
        ['person', true, true],
        ['reply', true, false],
        ['task', false, false],
        ['channel', false, false],
      ],
    )
  })

  it('a session started, resumed or cleared came from the person; a compaction from no one', () => {
    assert.deepEqual(
      ['startup', 'resume', 'clear', 'compact', undefined].map((s) => startOrigin(s)),
      ['person', 'person', 'person', null, null],
    )
  })
})
