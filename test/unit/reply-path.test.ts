// How a reply reaches an agent, and whether the agent sits at its prompt for one. Pure.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { atPrompt, replyPath } from '../../src/core/reply-path.ts'

describe('replyPath', () => {
  it('the mod path needs an attended session whose mod is polling', () => {
    assert.equal(replyPath({ attended: true }, true), 'mod')
    assert.equal(replyPath({ attended: true }, false), 'hook')
    assert.equal(replyPath({ attended: false }, true), 'hook', 'claude -p')
    assert.equal(replyPath(undefined, true), 'hook', 'no mod announced')
  })
})

describe('atPrompt', () => {
  it('a stopped agent (done, a question in its last message, an error) sits at its prompt', () => {
    assert.ok(atPrompt({ kind: 'done', detail: { message: 'Done.' } }))
    assert.ok(atPrompt({ kind: 'question', detail: { message: 'Shall I run it?' } }))
    assert.ok(atPrompt({ kind: 'error', detail: { error: 'rate_limit' } }))
    assert.ok(atPrompt({ kind: 'done', detail: { message: 'waiting', fallback: true } }), 'idle_prompt')
  })

  it('a picker, a dialog or a permission is no prompt: text submitted there would land mid-dialog', () => {
    assert.ok(!atPrompt({ kind: 'question', detail: { toolName: 'AskUserQuestion', toolInput: {} } }))
    assert.ok(!atPrompt({ kind: 'question', detail: { message: 'Enter a value', fallback: true } }), 'elicitation')
    assert.ok(!atPrompt({ kind: 'permission', detail: { toolName: 'Bash' } }))
  })
})
