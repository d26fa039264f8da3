// Urgency's required properties, priorities by agent and path glob, and the config file.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig, ConfigError } from '../../src/config.ts'
import { globToRegExp, priorityFor } from '../../src/core/priority.ts'
import { rankAgents, type AgentView } from '../../src/core/ranking.ts'
import { urgency, type UrgencyInput } from '../../src/core/urgency.ts'

const NOW = 1_800_000_000_000
const MIN = 60_000
const base: UrgencyInput = { kind: 'done', waitStartedAt: NOW - 5 * MIN, priority: 3, tWorkMs: null }
const score = (over: Partial<UrgencyInput>) => urgency({ ...base, ...over }, NOW).score

describe('urgency', () => {
  it('grows with wait time', () => {
    assert.ok(score({ waitStartedAt: NOW - 10 * MIN }) > score({ waitStartedAt: NOW - 5 * MIN }))
    assert.ok(score({ waitStartedAt: NOW - 5 * MIN }) > score({ waitStartedAt: NOW }))
  })

  it('at equal wait: permission > question > error > done', () => {
    const kinds = ['permission', 'question', 'error', 'done'] as const
    const scores = kinds.map((kind) => score({ kind }))
    assert.deepEqual(
      [...scores].sort((a, b) => b - a),
      scores,
    )
    assert.equal(new Set(scores).size, 4)
  })

  it('priority multiplies; long work per instruction ranks sooner', () => {
    assert.ok(Math.abs(score({ priority: 5 }) / score({}) - 5 / 3) < 0.01)
    assert.ok(score({ priority: 1 }) < score({}))
    assert.ok(score({ tWorkMs: 20 * MIN }) > score({ tWorkMs: 1 * MIN }))
    assert.ok(score({ tWorkMs: 1 * MIN }) > score({ tWorkMs: null }))
  })

  it('explains itself', () => {
    const u = urgency(
      { kind: 'permission', waitStartedAt: NOW - 3 * MIN - 12_000, priority: 5, tWorkMs: 12 * MIN },
      NOW,
    )
    assert.equal(u.why, 'permission ×4 · waiting 3m12s · priority 5 ×1.67 · works ~12m00s per instruction ×2.2')
    assert.equal(u.score, Math.round((5 / 3) * 4 * (1 + 192 / 60) * 2.2 * 100) / 100)
  })

  it('ranks every blocked agent, oldest-and-most-urgent first, none truncated', () => {
    const view = (
      id: string,
      kind: AgentView['wait'] extends infer W ? (W extends { kind: infer K } ? K : never) : never,
      waited: number,
    ): AgentView => ({
      sessionId: id,
      project: id,
      cwd: `/w/${id}`,
      state: `blocked:${kind}`,
      stateSince: NOW - waited,
      lastEventAt: NOW - waited,
      priority: 3,
      tWorkMs: null,
      wait: { id: `w-${id}`, kind, startedAt: NOW - waited, detail: {} },
    })
    const views = Array.from({ length: 40 }, (_, i) => view(`a${i}`, i % 2 ? 'done' : 'question', i * MIN))
    const ranked = rankAgents(views, NOW)
    assert.equal(ranked.length, 40)
    assert.equal(ranked[0]!.sessionId, 'a38')
    assert.deepEqual(
      ranked.map((r) => r.rank),
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
  })
})

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

describe('config file', () => {
  const withFile = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-config-'))
    writeFileSync(join(dir, 'config.json'), content)
    return () => loadConfig({ TEND_HOME: dir, HOME: dir })
  }

  it('fills every default when absent, and reads what is given', () => {
    const c = withFile('{"notify": {"graceSec": 5, "quietHours": {"start": "22:00", "end": "07:30"}}}')()
    assert.equal(c.file.notify.graceSec, 5)
    assert.deepEqual(c.file.notify.escalationMin, [2, 10, 30])
    assert.equal(c.file.holds.stopBlockCap, 8)
  })

  it('refuses a bad value with an error naming the field', () => {
    assert.throws(
      withFile('{"notify": {"graceSec": -1}}'),
      (e: Error) => e instanceof ConfigError && /notify\.graceSec/.test(e.message),
    )
    assert.throws(
      withFile('{"notify": {"quietHours": {"start": "25:00", "end": "07:00"}}}'),
      /notify\.quietHours\.start/,
    )
    assert.throws(withFile('{"notfy": {}}'), /notfy/)
    assert.throws(withFile('{"slack": {"botToken": "xapp-wrong"}}'), /slack\.botToken/)
    assert.throws(withFile('{nope'), /not valid JSON/)
  })
})
