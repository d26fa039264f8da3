// Ranking: every blocked agent, by urgency, none truncated.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rankAgents, type AgentView } from '../../src/core/ranking.ts'

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
