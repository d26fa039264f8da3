// Attention economics: T_work, waiting, T_instruct from the person's rhythm, and N.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { attentionMetrics, instructGaps } from '../../src/core/metrics.ts'

const MIN = 60_000

describe('attention metrics', () => {
  it('N = T_work / T_instruct, from medians', () => {
    const m = attentionMetrics({
      workSpans: [10 * MIN, 12 * MIN, 14 * MIN],
      waitDurations: [1 * MIN, 3 * MIN],
      // Prompts 2 min apart while working through the queue, then a lunch break.
      promptTimes: [0, 2 * MIN, 4 * MIN, 6 * MIN, 90 * MIN, 92 * MIN],
      breakAfterMs: 10 * MIN,
    })
    assert.equal(m.tWorkMs, 12 * MIN)
    assert.equal(m.tWaitMs, 2 * MIN)
    assert.equal(m.waitTotalMs, 4 * MIN)
    assert.equal(m.tInstructMs, 2 * MIN)
    assert.equal(m.n, 6)
    assert.deepEqual(m.samples, { instructions: 3, waits: 2, promptGaps: 4 })
  })

  it('says nothing it cannot know', () => {
    const m = attentionMetrics({ workSpans: [], waitDurations: [], promptTimes: [5], breakAfterMs: MIN })
    assert.deepEqual([m.tWorkMs, m.tWaitMs, m.tInstructMs, m.n], [null, null, null, null])
  })

  it('breaks and simultaneous prompts are not instruction time', () => {
    assert.deepEqual(instructGaps([30 * MIN, 0, MIN, MIN], 10 * MIN), [MIN])
  })
})
