// The attention measures, pure: which work makes one T_work sample, when the person could first answer,
// what counts as idle on them, and the window's edges.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { answerTime, lastSignBefore, measureHistory, type WaitRecord } from '../../src/core/metrics.ts'

const MIN = 60_000
const wait = (w: Partial<WaitRecord> & Pick<WaitRecord, 'id' | 'kind' | 'startedAt'>): WaitRecord => ({
  sessionId: 's1',
  project: '/p',
  endedAt: null,
  endedBy: null,
  workMs: null,
  ...w,
})
const opts = { from: 0, to: 1000 * MIN, breakAfterMs: 10 * MIN, minSamples: 1 }

describe('attention measures', () => {
  it('the last sign strictly before a time', () => {
    assert.equal(lastSignBefore([1, 5, 9], 5), 1)
    assert.equal(lastSignBefore([1, 5, 9], 6), 5)
    assert.equal(lastSignBefore([1, 5, 9], 1), null)
  })

  it('answer time: from the later of the wait start and the last sign; a reply counts when sent; a break is null', () => {
    const w = wait({ id: 'w', kind: 'done', startedAt: 10 * MIN, endedAt: 14 * MIN, endedBy: 'terminal' })
    assert.equal(answerTime(w, [0, 12 * MIN], 10 * MIN), 2 * MIN)
    assert.equal(answerTime(w, [0], 10 * MIN), 4 * MIN)
    assert.equal(answerTime({ ...w, answeredAt: 13 * MIN }, [0], 10 * MIN), 3 * MIN)
    assert.equal(answerTime({ ...w, endedAt: 40 * MIN }, [0], 10 * MIN), null)
  })

  it('work across waits the agent left by itself (resumed, superseded) is one sample; permissions split none', () => {
    const m = measureHistory(
      {
        waits: [
          wait({ id: '1', kind: 'done', startedAt: 10 * MIN, endedAt: 11 * MIN, endedBy: 'resumed', workMs: 10 * MIN }),
          wait({ id: '2', kind: 'permission', startedAt: 12 * MIN, endedAt: 13 * MIN, endedBy: 'terminal' }),
          wait({
            id: '3',
            kind: 'done',
            startedAt: 20 * MIN,
            endedAt: 21 * MIN,
            endedBy: 'superseded',
            workMs: 8 * MIN,
          }),
          wait({ id: '4', kind: 'error', startedAt: 21 * MIN, endedAt: 25 * MIN, endedBy: 'terminal', workMs: 0 }),
        ],
        signs: [0, 13 * MIN],
      },
      opts,
    )
    assert.equal(m.fleet.tWork.samples, 1)
    assert.equal(m.fleet.tWork.median, 18 * MIN)
    // Idle on the person: the permission (1 min) and the error until answered (4 min); not the self-resumed stop.
    assert.equal(m.fleet.idleMs, 5 * MIN)
    assert.equal(m.fleet.workedMs, 18 * MIN)
  })

  it('open waits are idle up to the window end; waits ended by the session or expiry are not idle on the person', () => {
    const m = measureHistory(
      {
        waits: [
          wait({ id: '1', kind: 'done', startedAt: 990 * MIN, workMs: MIN }),
          wait({ id: '2', sessionId: 's2', kind: 'done', startedAt: 0, endedAt: 500 * MIN, endedBy: 'session_end' }),
          wait({ id: '3', sessionId: 's3', kind: 'question', startedAt: 0, endedAt: 500 * MIN, endedBy: 'expired' }),
        ],
        signs: [],
      },
      opts,
    )
    assert.equal(m.fleet.idleMs, 10 * MIN)
  })

  it('the window clips idle time and counts an answer in the window it was given', () => {
    const history = {
      waits: [wait({ id: '1', kind: 'done', startedAt: 50 * MIN, endedAt: 110 * MIN, endedBy: 'terminal' as const })],
      signs: [105 * MIN],
    }
    const m = measureHistory(history, { ...opts, from: 100 * MIN, to: 200 * MIN })
    assert.equal(m.fleet.idleMs, 10 * MIN)
    assert.equal(m.fleet.tInstruct.median, 5 * MIN)
    const before = measureHistory(history, { ...opts, from: 0, to: 100 * MIN })
    assert.equal(before.fleet.tInstruct.samples, 0)
    assert.equal(before.fleet.idleMs, 50 * MIN)
  })
})
