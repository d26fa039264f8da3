// The notifier sleeps until a change or a timer it set: driven here by a fake clock, never by a poll.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { OutgoingPing, PingChannel } from '../../src/core/channel.ts'
import { createNotifier, type Notifier } from '../../src/service/notifier.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { FakeClock } from '../helpers/fake-clock.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

const T0 = 1_800_000_000_000
const MIN = 60_000
let t: TestApp
let notifier: Notifier | undefined
afterEach(async () => {
  await notifier?.stop()
  t?.close()
})

function setup(configFile: object = {}, minuteOfDay?: (now: number) => number) {
  t = makeApp({ now: T0, configFile: { notify: { presenceHoldSec: 0, slack: { enabled: false }, ...configFile } } })
  const clock = new FakeClock(T0)
  // The services read the same fake time the notifier's timers run on.
  Object.defineProperty(t.clock, 'now', { get: () => clock.now, set: (v: number) => (clock.now = v) })
  const sent: OutgoingPing[] = []
  const desk: PingChannel = {
    name: 'desktop',
    available: () => true,
    async send(ping) {
      sent.push(ping)
      return { ok: true, ref: null }
    },
    check: async () => ({ name: 'desktop', status: 'ok', lines: [] }),
    close() {},
  }
  notifier = createNotifier({ services: t.services, channels: [desk], timers: clock, minuteOfDay })
  const feed = (key: string, extra = {}) =>
    t.services.receive(payload(key, { session_id: 'aaaa-1', cwd: '/w/api', ...extra }), {
      occurredAt: clock.now,
      receivedAt: clock.now,
    })
  return { clock, sent, feed }
}

describe('notifier wakes', () => {
  it('sleeps while nobody waits, and pings when the grace and each step run out, by its own timers', async () => {
    const { clock, sent, feed } = setup({ escalationMin: [2] })
    feed('UserPromptSubmit')
    assert.equal(clock.pending(), 0, 'an agent at work sets no timer')
    feed('Stop', { last_assistant_message: 'Tests pass.' })
    // The change is planned (after a short real coalescing delay): the round sets a wake at the grace end.
    await waitFor(() => clock.pending() === 1, 5000, 'a wake at the end of the grace period')
    clock.advance(14_000)
    assert.equal(sent.length, 0, 'nothing within the grace')
    clock.advance(1_100)
    await waitFor(() => sent.length === 1, 5000, 'the ping at the grace end')
    assert.equal(sent[0]!.step, 0)
    await waitFor(() => clock.pending() === 1, 5000, 'a wake for the next step')
    clock.advance(2 * MIN - 15_000)
    await waitFor(() => sent.length === 2, 5000, 'the ping at the 2 min step')
    assert.equal(sent[1]!.step, 1)
    // Answered at the terminal: nobody waits, so no timer is left.
    clock.advance(10_000)
    feed('UserPromptSubmit', { prompt_id: 'p2' })
    await waitFor(() => clock.pending() === 0, 5000, 'no timer once nobody waits')
  })

  it('a wait held back by quiet hours is pinged when they end', async () => {
    // Local time 06:59:00 at T0 (the start of a minute); quiet until 07:00.
    const minuteOfDay = (now: number) => (6 * 60 + 59 + Math.floor((now - T0) / MIN)) % 1440
    const { clock, sent, feed } = setup({ quietHours: { start: '22:00', end: '07:00' } }, minuteOfDay)
    feed('Stop', { last_assistant_message: 'Tests pass.' })
    await waitFor(() => clock.pending() === 1, 5000, 'a wake at the end of the grace period')
    clock.advance(15_100)
    await waitFor(
      () => t.services.store.sqlite.prepare("select reason from pings where reason = 'quiet_hours'").get(),
      5000,
      'held back',
    )
    assert.equal(sent.length, 0)
    clock.advance(MIN - 15_000)
    await waitFor(() => sent.length === 1, 5000, 'the ping at 07:00')
  })
})
