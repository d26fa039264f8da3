// Cutting text to a size for a person to read: one rule for every place tend shows text.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clip } from '../../src/core/clip.ts'

describe('clip', () => {
  it('cuts to a number of code points, marked with …', () => {
    assert.equal(clip('x'.repeat(10), 5), 'xxxx…')
    assert.equal(clip('😀'.repeat(3), 3), '😀😀😀', 'counts code points, not UTF-16 units')
  })
})
