// Priorities by agent and by path glob, most specific first.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { globToRegExp, priorityFor } from '../../src/core/priority.ts'

describe('priorities', () => {
  it('matches path globs, most specific first; an agent rule beats them', () => {
    const rules = [
      { target: '/home/me/work/**', kind: 'path' as const, priority: 4 },
      { target: '/home/me/work/legacy', kind: 'path' as const, priority: 1 },
      { target: 'sess-1', kind: 'agent' as const, priority: 5 },
    ]
    assert.equal(priorityFor({ sessionId: 'x', cwd: '/home/me/work/api' }, rules), 4)
    assert.equal(priorityFor({ sessionId: 'x', cwd: '/home/me/work/legacy/sub' }, rules), 1)
    assert.equal(priorityFor({ sessionId: 'sess-1', cwd: '/home/me/work/legacy' }, rules), 5)
    assert.equal(priorityFor({ sessionId: 'x', cwd: '/tmp' }, rules), 3)
    assert.equal(globToRegExp('/a/*/c').test('/a/b/c'), true)
    assert.equal(globToRegExp('/a/*/c').test('/a/b/x/c'), false)
    assert.equal(globToRegExp('/a/**/c').test('/a/c'), true)
  })
})
