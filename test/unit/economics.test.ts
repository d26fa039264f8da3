// Attention economics, the pure parts: the README's worked example, spread, the practical limit and
// its warning, and what a recurring permission is.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backpressureMessage, capacity, capacityLine, idleCost } from '../../src/core/economics.ts'
import { measureHistory, type WaitRecord } from '../../src/core/metrics.ts'
import { permissionKey } from '../../src/core/report.ts'
import { measure, median, quantile, ratioOfMedians, seededRandom } from '../../src/core/spread.ts'

/** The textbook percentile bootstrap of median(a) / median(b), by resampling. */
function bruteForceInterval(a: number[], b: number[], rounds: number): [number, number] {
  const rand = seededRandom(99)
  const resample = (v: number[]) => v.map(() => v[Math.floor(rand() * v.length)]!)
  const ratios = Array.from({ length: rounds }, () => median(resample(a))! / median(resample(b))!).sort((x, y) => x - y)
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)]
}

const MIN = 60_000
const at = (hh: number, mm: number) => Date.UTC(2026, 10, 2, hh, mm)

describe('the README worked example', () => {
  // api: instruction 9:00, permission 9:04–9:07 (approved at the terminal), done 9:14, answered 9:17.
  // web: instruction 9:00, done 9:16, answered 9:18.
  const wait = (w: Partial<WaitRecord> & Pick<WaitRecord, 'id' | 'sessionId' | 'kind' | 'startedAt'>): WaitRecord => ({
    project: `/src/${w.sessionId}`,
    endedAt: null,
    endedBy: 'terminal',
    workMs: null,
    ...w,
  })
  const history = {
    waits: [
      wait({ id: '1', sessionId: 'api', kind: 'permission', startedAt: at(9, 4), endedAt: at(9, 7) }),
      wait({ id: '2', sessionId: 'api', kind: 'done', startedAt: at(9, 14), endedAt: at(9, 17), workMs: 11 * MIN }),
      wait({ id: '3', sessionId: 'web', kind: 'done', startedAt: at(9, 16), endedAt: at(9, 18), workMs: 16 * MIN }),
    ],
    // The two instructions at 9:00, the approval at 9:07, the answers at 9:17 and 9:18.
    signs: [at(9, 0), at(9, 0), at(9, 7), at(9, 17), at(9, 18)],
  }
  const m = measureHistory(history, { from: at(0, 0), to: at(12, 0), breakAfterMs: 10 * MIN, minSamples: 1 })

  it('T_instruct counts from when the person could first answer: 3 min for api, 1 min for web', () => {
    assert.equal(m.agents['api']!.tInstruct.median, 3 * MIN)
    assert.equal(m.agents['web']!.tInstruct.median, 1 * MIN)
    assert.equal(m.fleet.tPermission.median, 3 * MIN)
  })

  it('T_work 11 and 16 min, 8 idle agent-minutes, N ≈ 6.8 and the limit is the ceiling', () => {
    assert.deepEqual(m.fleet.tWork.iqr, [12.25 * MIN, 14.75 * MIN])
    assert.equal(m.fleet.idleMs, 8 * MIN)
    assert.equal(idleCost(m.fleet.idleMs, { pricePerAgentHour: 30 }), 4)
    assert.equal(m.fleet.n!.value, 6.75)
    assert.deepEqual(capacity(m.fleet.n, 5), { n: m.fleet.n, ceiling: 5, limit: 5, limitedBy: 'ceiling' })
  })
})

describe('spread', () => {
  it('quartiles by linear interpolation; under the minimum, no number', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75)
    assert.deepEqual(measure([5, 1, 4, 2, 3]), { samples: 5, median: 3, iqr: [2, 4] })
    assert.deepEqual(measure([1, 2, 3, 4]), { samples: 4, median: null, iqr: null })
  })

  it('the bootstrap interval is deterministic, holds the estimate, and widens with fewer samples', () => {
    const work = [8, 9, 10, 11, 12, 13, 9, 10, 14, 7].map((x) => x * MIN)
    const instruct = [2, 3, 2.5, 4, 3, 2, 3.5, 3, 2, 5].map((x) => x * MIN)
    const a = ratioOfMedians(work, instruct)!
    assert.deepEqual(ratioOfMedians(work, instruct), a)
    assert.ok(a.interval[0] <= a.value && a.value <= a.interval[1], JSON.stringify(a))
    assert.equal(a.value, 10 / 3)
    const few = ratioOfMedians(work.slice(0, 5), instruct.slice(0, 5))!
    assert.ok(few.interval[1] - few.interval[0] >= a.interval[1] - a.interval[0])
    assert.equal(ratioOfMedians(work, instruct.slice(0, 4)), null, 'not enough data on one side')
    // Large sides draw each median from its distribution instead of resampling: same interval, near enough.
    const rand = seededRandom(7)
    const bigWork = Array.from({ length: 2000 }, () => (5 + 10 * rand()) * MIN)
    const bigInstruct = Array.from({ length: 1500 }, () => (1 + 4 * rand()) * MIN)
    const drawn = ratioOfMedians(bigWork, bigInstruct)!
    const resampled = bruteForceInterval(bigWork, bigInstruct, 400)
    for (const i of [0, 1]) {
      assert.ok(
        Math.abs(drawn.interval[i]! - resampled[i]!) / resampled[i]! < 0.03,
        `${drawn.interval} vs ${resampled}`,
      )
    }
    assert.equal(ratioOfMedians(work, [0, 0, 0, 0, 0]), null, 'a zero T_instruct is no N')
  })
})

describe('the practical limit and the warning', () => {
  const n = { value: 3.4, interval: [2.9, 4.1] as [number, number] }

  it('beyond the measured N: "7 agents live; your measured N is 3.4 (2.9–4.1): agents will queue on you"', () => {
    const c = capacity(n, 5)
    assert.equal(c.limit, 3.4)
    assert.equal(backpressureMessage(7, c), '7 agents live; your measured N is 3.4 (2.9–4.1): agents will queue on you')
    assert.equal(backpressureMessage(3, c), null)
    assert.equal(capacityLine(3, c), '3 live · N 3.4 (2.9–4.1) · ceiling 5 · limit 3.4')
  })

  it('beyond the ceiling, measured or not', () => {
    assert.equal(
      backpressureMessage(6, capacity(null, 5)),
      '6 agents live; beyond your ceiling of 5 (N not measured yet): agents will queue on you',
    )
    assert.equal(
      backpressureMessage(6, capacity({ value: 12.3, interval: [9, 15.2] }, 5)),
      '6 agents live; beyond your ceiling of 5 (measured N 12 (9–15)): agents will queue on you',
    )
    assert.equal(backpressureMessage(5, capacity(null, 5)), null)
  })
})

describe('recurring permissions', () => {
  it('one key per kind of request: the command and its subcommand, the host, the tool', () => {
    const bash = (command: string) => permissionKey({ toolName: 'Bash', toolInput: { command } })
    assert.equal(bash('npm test -- --watch=false'), 'Bash(npm test)')
    assert.equal(bash('CI=1 npm test'), 'Bash(npm test)')
    assert.equal(bash('rm -rf dist'), 'Bash(rm)')
    assert.equal(bash('cat /etc/hosts'), 'Bash(cat)')
    assert.equal(
      permissionKey({ toolName: 'WebFetch', toolInput: { url: 'https://example.com/a' } }),
      'WebFetch(example.com)',
    )
    assert.equal(permissionKey({ toolName: 'Edit', toolInput: { file_path: '/a' } }), 'Edit')
    assert.equal(permissionKey({}), 'a tool')
  })
})
