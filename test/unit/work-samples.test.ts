import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  T_WORK_SAMPLES,
  T_WORK_WINDOW_MS,
  tWorkOf,
  withWorkSample,
  type WorkSample,
} from '../../src/core/work-samples.ts'

const MIN = 60_000
const NOW = 1_800_000_000_000

describe('work samples', () => {
  it('keeps the latest positive samples, newest first, at most T_WORK_SAMPLES', () => {
    let samples: WorkSample[] | null = null
    for (let i = 0; i < 30; i++) samples = withWorkSample(samples, NOW + i * MIN, (i + 1) * MIN)
    assert.equal(samples!.length, T_WORK_SAMPLES)
    assert.deepEqual(samples![0], [NOW + 29 * MIN, 30 * MIN])
    assert.deepEqual(samples!.at(-1), [NOW + 10 * MIN, 11 * MIN])
  })

  it('ignores a wait that followed no work', () => {
    assert.deepEqual(withWorkSample(null, NOW, 0), [])
    assert.deepEqual(withWorkSample([[NOW, MIN]], NOW + 1, null), [[NOW, MIN]])
  })

  it('orders a sample that arrives out of order by its time', () => {
    const samples = withWorkSample([[NOW + 2, 2 * MIN]], NOW + 1, MIN)
    assert.deepEqual(samples, [
      [NOW + 2, 2 * MIN],
      [NOW + 1, MIN],
    ])
  })

  it('T_work is the median of the samples within the week', () => {
    const samples: WorkSample[] = [
      [NOW - MIN, 10 * MIN],
      [NOW - 2 * MIN, 2 * MIN],
      [NOW - 3 * MIN, 4 * MIN],
      [NOW - T_WORK_WINDOW_MS - 1, 100 * MIN],
    ]
    assert.equal(tWorkOf(samples, NOW), 4 * MIN)
    assert.equal(tWorkOf(samples.slice(1, 3), NOW), 3 * MIN)
    assert.equal(tWorkOf([[NOW - T_WORK_WINDOW_MS - 1, MIN]], NOW), null)
    assert.equal(tWorkOf(null, NOW), null)
  })
})
