// Whether the agent's last message asks the person something (blocked:question) or reports (blocked:done).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isQuestion } from '../../src/core/question.ts'

describe('question detection', () => {
  it('tells questions from reports', () => {
    assert.equal(isQuestion('Done. Want me to do more?'), true)
    assert.equal(isQuestion('I updated the schema.\n\nShould I also migrate the data'), true)
    assert.equal(isQuestion('Which option do you prefer?**'), true)
    assert.equal(isQuestion('All 12 tests pass.'), false)
    assert.equal(isQuestion('Why did it fail? The cache was stale.\n\nFixed and verified.'), false)
    assert.equal(isQuestion('```\nwhat?\n```\nDone.'), false)
    assert.equal(isQuestion(''), false)
  })
})
