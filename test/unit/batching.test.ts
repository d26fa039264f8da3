// Review batching, the pure policy: finished agents gathered into one digest per slot, over simulated days.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  digestText,
  lastSlot,
  nextSlot,
  planDigest,
  urgentOnly,
  type BatchableWait,
  type BatchConfig,
  type DigestInput,
} from '../../src/core/batching.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const MIDNIGHT = Date.UTC(2026, 10, 2) // day 0, local midnight (UTC here)
const at = (day: number, hh: number, mm = 0) => MIDNIGHT + day * DAY + hh * HOUR + mm * MIN

const EVERY_HOUR: BatchConfig = { enabled: true, everyMs: HOUR, atMin: [] }
const NOON_AND_FIVE: BatchConfig = { enabled: true, everyMs: HOUR, atMin: [17 * 60, 12 * 60] }
const POLICY = { graceMs: 15_000, quietHours: { startMin: 22 * 60, endMin: 7 * 60 } }

const done = (name: string, startedAt: number): BatchableWait => ({
  waitId: `w-${name}-${startedAt}`,
  sessionId: `s-${name}`,
  name,
  kind: 'done',
  startedAt,
})

/** Runs the policy minute by minute over [from, to), delivering each digest as the notifier would. */
function simulate(config: BatchConfig, from: number, to: number, waitsAt: (now: number) => BatchableWait[]) {
  const digested = new Set<string>()
  let lastDigestAt: number | null = null
  const out: Array<{ at: number; title: string; body: string }> = []
  for (let now = from; now < to; now += MIN) {
    const dayStart = MIDNIGHT + Math.floor((now - MIDNIGHT) / DAY) * DAY
    const input: DigestInput = {
      now,
      localMidnight: dayStart,
      minuteOfDay: Math.floor((now - dayStart) / MIN),
      waits: waitsAt(now),
      digested,
      lastDigestAt,
      config,
      policy: POLICY,
    }
    const d = planDigest(input)
    if (!d) continue
    for (const i of d.items) digested.add(i.waitId)
    lastDigestAt = now
    out.push({ at: now, title: d.title, body: d.body })
  }
  return out
}

describe('review batching', () => {
  it('gathers finished agents into one digest at the next slot: "3 agents finished: api 12m, web 8m, cli 3m"', () => {
    const waits = [done('api', at(0, 9, 48)), done('web', at(0, 9, 52)), done('cli', at(0, 9, 57))]
    const digests = simulate(EVERY_HOUR, at(0, 9, 0), at(0, 11, 0), (now) => waits.filter((w) => w.startedAt <= now))
    assert.deepEqual(digests, [{ at: at(0, 10), title: '3 agents finished', body: 'api 12m, web 8m, cli 3m' }])
  })

  it('over a simulated day: each wait once, answered ones leave, quiet hours hold the digest until they end', () => {
    // api finishes at 8:10 and is answered at 9:05, finishes again at 9:30; web finishes at 8:20 and is
    // never answered; cli finishes at 21:30, in the evening, and waits overnight.
    const waitsAt = (now: number) =>
      [
        now >= at(0, 8, 10) && now < at(0, 9, 5) ? done('api', at(0, 8, 10)) : null,
        now >= at(0, 9, 30) && now < at(1, 12) ? done('api', at(0, 9, 30)) : null,
        now >= at(0, 8, 20) ? done('web', at(0, 8, 20)) : null,
        now >= at(0, 21, 30) ? done('cli', at(0, 21, 30)) : null,
      ].filter((w) => w !== null)
    const digests = simulate(EVERY_HOUR, at(0, 0), at(1, 12), waitsAt)
    assert.deepEqual(digests, [
      { at: at(0, 9), title: '2 agents finished', body: 'api 50m, web 40m' },
      { at: at(0, 10), title: '1 agent finished', body: 'api 30m' },
      // 22:00 to 7:00 is quiet: the 21:30 finish is told at 7:00, once.
      { at: at(1, 7), title: '1 agent finished', body: 'cli 9h30m' },
    ])
  })

  it('at chosen local times instead of a cadence, across midnight', () => {
    const waits = [done('api', at(0, 13)), done('web', at(0, 18)), done('cli', at(1, 11, 59) + 50_000)]
    const digests = simulate(NOON_AND_FIVE, at(0, 0), at(2, 0), (now) => waits.filter((w) => w.startedAt <= now))
    assert.deepEqual(
      digests.map((d) => [d.at, d.body]),
      [
        [at(0, 17), 'api 4h00m'],
        // web finished after 17:00: the next chosen time is tomorrow noon.
        [at(1, 12), 'web 18h00m'],
        // cli finished 10 s before noon, still in its grace period then: at 17:00.
        [at(1, 17), 'cli 5h00m'],
      ],
    )
  })

  it('slots: the last one at or before now (yesterday before the first of today), the next one after now', () => {
    assert.equal(lastSlot(at(0, 10, 30), MIDNIGHT, EVERY_HOUR), at(0, 10))
    assert.equal(lastSlot(at(0, 10), MIDNIGHT, EVERY_HOUR), at(0, 10))
    assert.equal(lastSlot(at(0, 9), MIDNIGHT, NOON_AND_FIVE), at(-1, 17))
    assert.equal(nextSlot(at(0, 17), MIDNIGHT, NOON_AND_FIVE), at(1, 12))
    assert.equal(nextSlot(at(0, 10, 30), MIDNIGHT, EVERY_HOUR), at(0, 11))
  })

  it('off: no digest, and every wait goes through the usual pings; on: done waits leave them', () => {
    const kinds = [{ kind: 'done' as const }, { kind: 'permission' as const }, { kind: 'question' as const }]
    assert.equal(urgentOnly(kinds, { ...EVERY_HOUR, enabled: false }).length, 3)
    assert.deepEqual(
      urgentOnly(kinds, EVERY_HOUR).map((k) => k.kind),
      ['permission', 'question'],
    )
    const off = simulate({ ...EVERY_HOUR, enabled: false }, at(0, 9), at(0, 12), () => [done('api', at(0, 9))])
    assert.deepEqual(off, [])
  })

  it('only done waits are batchable: a question in the list is never in a digest', () => {
    const q: BatchableWait = { ...done('web', at(0, 9)), kind: 'question' }
    const digests = simulate(EVERY_HOUR, at(0, 9), at(0, 11), () => [q, done('api', at(0, 9, 30))])
    assert.deepEqual(
      digests.map((d) => d.body),
      ['api 30m'],
    )
  })

  it('digest text: one agent, minutes without seconds, hours', () => {
    assert.deepEqual(digestText([{ name: 'api', waitedMs: 12 * MIN + 40_000 }]), {
      title: '1 agent finished',
      body: 'api 12m',
    })
    assert.equal(digestText([{ name: 'web', waitedMs: 45_000 }]).body, 'web 45s')
  })
})
