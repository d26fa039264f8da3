// Review batching through the notifier on a real store and the fake clock: finished agents wait for one
// digest ping per slot on each channel; a permission still pings at once; the ping log says what went.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { DigestPing, OutgoingPing, PingChannel } from '../../src/core/channel.ts'
import { createNotifier } from '../../src/service/notifier.ts'
import { recentPings } from '../../src/store/pings.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { FakeClock } from '../helpers/fake-clock.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const MIDNIGHT = Date.UTC(2026, 10, 2)
let t: TestApp
afterEach(() => t?.close())

function channel(name: 'desktop' | 'slack') {
  const pings: OutgoingPing[] = []
  const digests: DigestPing[] = []
  const c: PingChannel = {
    name,
    available: () => true,
    async send(ping) {
      pings.push(ping)
      return { ok: true }
    },
    async sendDigest(digest) {
      digests.push(digest)
      return { ok: true, ref: { n: digests.length } }
    },
    check: async () => ({ name, status: 'ok', lines: [] }),
    close() {},
  }
  return { c, pings, digests }
}

function setup(batch: object) {
  const clock = new FakeClock(MIDNIGHT + 8 * HOUR)
  t = makeApp({
    now: clock.now,
    configFile: { notify: { presenceHoldSec: 0, batch: { enabled: true, ...batch }, slack: { afterMin: 0 } } },
  })
  // The services read the fake clock's time.
  Object.defineProperty(t.clock, 'now', { get: () => clock.now, set: (v: number) => (clock.now = v) })
  const desk = channel('desktop')
  const slack = channel('slack')
  const notifier = createNotifier({
    services: t.services,
    channels: [desk.c, slack.c],
    timers: clock,
    minuteOfDay: (now) => Math.floor(((now - MIDNIGHT) % (24 * HOUR)) / MIN),
    localMidnight: (now) => now - ((now - MIDNIGHT) % (24 * HOUR)),
  })
  const feed = (key: string, sid: string, project: string, extra = {}) =>
    t.services.receive(payload(key, { session_id: sid, cwd: `/w/${project}`, ...extra }), {
      occurredAt: clock.now,
      receivedAt: clock.now,
    })
  /** Moves the clock to hh:mm, firing the notifier's timers on the way, then lets its round finish. */
  const until = async (hh: number, mm = 0) => {
    clock.advance(MIDNIGHT + hh * HOUR + mm * MIN - clock.now)
    await notifier.tick()
  }
  return { clock, notifier, desk, slack, feed, until }
}

describe('review batching in the notifier', () => {
  it('three finished agents: one digest per channel at the slot, not three pings; a permission pings at once', async () => {
    const { clock, notifier, desk, slack, feed, until } = setup({ everyMin: 60 })
    for (const [sid, project] of [
      ['aaaa-1', 'api'],
      ['bbbb-2', 'web'],
      ['cccc-3', 'cli'],
      ['dddd-4', 'ops'],
    ] as const)
      feed('UserPromptSubmit', sid, project, { prompt_id: `${sid}-1` })
    await until(8, 48)
    feed('Stop', 'aaaa-1', 'api', { prompt_id: 'aaaa-1-1', last_assistant_message: 'Finished.' })
    await until(8, 52)
    feed('Stop', 'bbbb-2', 'web', { prompt_id: 'bbbb-2-1', last_assistant_message: 'Finished.' })
    await until(8, 57)
    feed('Stop', 'cccc-3', 'cli', { prompt_id: 'cccc-3-1', last_assistant_message: 'Finished.' })
    await until(8, 58)
    feed('PermissionRequest', 'dddd-4', 'ops', { tool_name: 'Bash', tool_input: { command: 'kubectl apply' } })
    await until(8, 59)
    // The permission went at once (after its grace), on both channels; the finished ones did not.
    assert.deepEqual(
      desk.pings.map((p) => p.kind),
      ['permission'],
    )
    assert.equal(desk.digests.length, 0)
    // What the dashboard shows meanwhile: the batch and when it goes.
    const batch = (await (await t.get('/v1/batch')).json()) as any
    assert.equal(batch.enabled, true)
    // The next slot of the hourly cadence (counted from the machine's local midnight).
    assert.ok(batch.nextAt > t.clock.now && batch.nextAt <= t.clock.now + HOUR, String(batch.nextAt))
    assert.deepEqual(
      batch.waits.map((w: any) => [w.project, w.waitedMs / MIN]),
      [
        ['api', 11],
        ['web', 7],
        ['cli', 2],
      ],
    )

    // 9:00: the notifier's own timer (the fake clock's) brings the digest; no tick from the test.
    clock.advance(MIDNIGHT + 9 * HOUR - clock.now)
    await waitFor(() => desk.digests.length === 1 && slack.digests.length === 1, 5000, 'the digest on both channels')
    assert.equal(desk.digests[0]!.title, '3 agents finished')
    assert.equal(desk.digests[0]!.body, 'api 12m, web 8m, cli 3m')
    assert.deepEqual(slack.digests[0], desk.digests[0])
    const log = recentPings(t.services.store.db).filter((p) => p.reason === 'digest')
    assert.equal(log.length, 6, 'one row per wait per channel')
    assert.ok(log.every((p) => p.outcome === 'digest' && p.title === '3 agents finished'))

    assert.deepEqual(((await (await t.get('/v1/batch')).json()) as any).waits, [])
    // The next slot brings nothing new: each wait is in one digest only.
    await until(10, 0)
    await until(10, 1)
    assert.equal(desk.digests.length, 1)
    assert.ok(
      desk.pings.every((p) => p.kind === 'permission'),
      'no single ping about a finished agent',
    )
    await notifier.stop()
  })

  it('at chosen times: a finish at 12:10 waits for 17:00', async () => {
    const { notifier, desk, feed, until } = setup({ at: ['12:00', '17:00'] })
    feed('UserPromptSubmit', 'aaaa-1', 'api', { prompt_id: 'p1' })
    await until(12, 10)
    feed('Stop', 'aaaa-1', 'api', { prompt_id: 'p1', last_assistant_message: 'Finished.' })
    await until(16, 59)
    assert.equal(desk.digests.length, 0)
    await until(17, 0)
    await waitFor(() => desk.digests.length === 1, 5000, 'the 17:00 digest')
    assert.equal(desk.digests[0]!.body, 'api 4h50m')
    await notifier.stop()
  })

  it('once in a while a digest carries one learned suggestion: not again within 3 days, then again', async () => {
    const { notifier, desk, slack, feed, until } = setup({ at: ['17:00'] })
    feed('UserPromptSubmit', 'aaaa-1', 'api', { prompt_id: 'p1' })
    // Three times the person let npm test run (answered at the terminal: the tool ran).
    for (let i = 0; i < 3; i++) {
      await until(9 + i, 0)
      const call = { tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: `toolu_t${i}` }
      feed('PermissionRequest', 'aaaa-1', 'api', call)
      await until(9 + i, 1)
      feed('PostToolUse', 'aaaa-1', 'api', call)
    }
    const finish = async (day: number, prompt: string) => {
      await until(24 * day + 12, 0)
      feed('UserPromptSubmit', 'aaaa-1', 'api', { prompt_id: prompt })
      await until(24 * day + 12, 10)
      feed('Stop', 'aaaa-1', 'api', { prompt_id: prompt, last_assistant_message: 'Finished.' })
      await until(24 * day + 17, 0)
    }
    await finish(0, 'p2')
    await waitFor(() => desk.digests.length === 1 && slack.digests.length === 1, 5000, 'the first digest')
    assert.equal(
      desk.digests[0]!.body,
      'api 4h50m\nyou approved Bash(npm test) in /w/api 3 of 3 times over 1 day — `tend rules accept 1`',
    )
    assert.deepEqual(slack.digests[0], desk.digests[0])
    // The next day: the digest alone.
    await finish(1, 'p3')
    await waitFor(() => desk.digests.length === 2, 5000, 'the second digest')
    assert.equal(desk.digests[1]!.body, 'api 4h50m')
    // Three days after it was shown, it is offered again.
    await finish(3, 'p4')
    await waitFor(() => desk.digests.length === 3, 5000, 'the third digest')
    assert.match(desk.digests[2]!.body, /\nyou approved Bash\(npm test\) in \/w\/api 3 of 3 times/)
    await notifier.stop()
  })
})
