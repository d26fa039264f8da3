// Ranking: every blocked agent, by urgency, none truncated.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rankAgents, topChangeAt, type AgentView } from '../../src/core/ranking.ts'

const NOW = 1_800_000_000_000
const MIN = 60_000

describe('ranking', () => {
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

describe('topChangeAt', () => {
  const blocked = (id: string, kind: 'permission' | 'done', startedAt: number, priority = 3): AgentView => ({
    sessionId: id,
    project: id,
    cwd: `/w/${id}`,
    state: `blocked:${kind}`,
    stateSince: startedAt,
    lastEventAt: startedAt,
    priority,
    tWorkMs: null,
    wait: { id: `w-${id}`, kind, startedAt, detail: {} },
  })

  it('says when a faster-growing wait overtakes the top, and the ranking agrees then', () => {
    // A done wait of 10 min outranks a permission just asked; the permission grows 4× faster.
    const views = [blocked('old', 'done', NOW - 10 * MIN), blocked('new', 'permission', NOW)]
    const ranked = rankAgents(views, NOW)
    assert.equal(ranked[0]!.sessionId, 'old')
    const at = topChangeAt(ranked, NOW)!
    assert.ok(at > NOW)
    assert.equal(rankAgents(views, at - 2000)[0]!.sessionId, 'old', 'still the top just before')
    assert.equal(rankAgents(views, at)[0]!.sessionId, 'new', 'overtaken at the wake')
  })

  it('is null when no other wait grows faster than the top', () => {
    const views = [blocked('a', 'permission', NOW - MIN, 5), blocked('b', 'done', NOW - 2 * MIN)]
    assert.equal(topChangeAt(rankAgents(views, NOW), NOW), null)
    assert.equal(topChangeAt([], NOW), null)
  })
})
