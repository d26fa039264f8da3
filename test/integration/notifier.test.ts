// The notifier on a real store: the policy's pings reach a channel, and every decision is logged.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { OutgoingPing, PingChannel, WaitEnding } from '../../src/core/channel.ts'
import { createNotifier } from '../../src/service/notifier.ts'
import { recentPings } from '../../src/store/pings.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

let t: TestApp
afterEach(() => t?.close())

function recordingChannel(name: 'desktop' | 'slack', opts: { fail?: boolean } = {}) {
  const sent: OutgoingPing[] = []
  const ended: WaitEnding[] = []
  const channel: PingChannel = {
    name,
    available: () => true,
    async send(ping) {
      sent.push(ping)
      return opts.fail ? { ok: false, error: 'daemon gone' } : { ok: true, ref: { n: sent.length } }
    },
    async waitEnded(_ref, _ping, ending) {
      ended.push(ending)
    },
    check: async () => ({ name, status: 'ok', lines: [] }),
    close() {},
  }
  return { channel, sent, ended }
}

function setup() {
  // The presence hold (no desktop ping right after a typed prompt) has its own tests.
  t = makeApp({ now: 1_800_000_000_000, configFile: { notify: { presenceHoldSec: 0 } } })
  const feed = (key: string, sid: string, cwd: string, extra = {}) =>
    t.services.receive(payload(key, { session_id: sid, cwd, ...extra }), {
      occurredAt: t.clock.now,
      receivedAt: t.clock.now,
    })
  const at = (ms: number) => (t.clock.now = 1_800_000_000_000 + ms)
  return { feed, at }
}

describe('notifier', () => {
  it('pings the most blocked agent after the grace, once per step, and logs it', async () => {
    const { feed, at } = setup()
    const desk = recordingChannel('desktop')
    const notifier = createNotifier({ services: t.services, channels: [desk.channel], tickMs: 1e9 })
    feed('UserPromptSubmit', 'aaaa-1', '/w/api')
    feed('UserPromptSubmit', 'bbbb-2', '/w/web')
    at(1000)
    feed('Stop', 'aaaa-1', '/w/api', { last_assistant_message: 'Tests pass.' })
    at(2000)
    feed('PermissionRequest', 'bbbb-2', '/w/web', { tool_name: 'Bash', tool_input: { command: 'npm publish' } })
    at(10_000)
    await notifier.tick()
    assert.equal(desk.sent.length, 0, 'nothing within the grace period')
    at(17_500)
    await notifier.tick()
    await notifier.tick()
    assert.equal(desk.sent.length, 1)
    const ping = desk.sent[0]!
    assert.equal(ping.label, 'web·bbbb2')
    assert.equal(ping.kind, 'permission')
    assert.match(ping.title, /^web·bbbb2 needs your permission \(15s\)$/)
    assert.equal(ping.body, 'Bash: npm publish\n+1 more, longest 16s')
    const log = recentPings(t.services.store.db)
    assert.deepEqual(log.map((p) => [p.channel, p.outcome, p.reason]).sort(), [
      ['desktop', 'sent', null],
      ['desktop', 'suppressed', 'not_top'],
    ])
    await notifier.stop()
  })

  it('cancels a wait that ends within the grace, and tells the channel how a pinged wait ended', async () => {
    const { feed, at } = setup()
    const desk = recordingChannel('desktop')
    const notifier = createNotifier({ services: t.services, channels: [desk.channel], tickMs: 1e9 })
    feed('UserPromptSubmit', 'aaaa-1', '/w/api')
    feed('Stop', 'aaaa-1', '/w/api')
    at(5000)
    // A new prompt has a new prompt_id (the same one would be the late report of the first).
    feed('UserPromptSubmit', 'aaaa-1', '/w/api', { prompt_id: 'p2' })
    await notifier.tick()
    const cancelled = await waitFor(
      () => recentPings(t.services.store.db).find((p) => p.outcome === 'cancelled'),
      5000,
      'the cancelled ping',
    )
    assert.equal(cancelled.reason, 'resumed_in_grace')

    at(6000)
    feed('Stop', 'aaaa-1', '/w/api', { prompt_id: 'p2' })
    at(30_000)
    await notifier.tick()
    assert.equal(desk.sent.length, 1)
    at(3 * 60_000 + 12_000 + 6000)
    feed('UserPromptSubmit', 'aaaa-1', '/w/api', { prompt_id: 'p3' })
    await waitFor(() => desk.ended.length > 0, 20_000, 'the channel told how the wait ended')
    assert.equal(desk.ended.length, 1)
    assert.equal(desk.ended[0]!.text, 'answered at the terminal after 3m12s')
    await notifier.stop()
  })

  it('a failing channel is retried with backoff, and does not stop the other channel', async () => {
    const { feed, at } = setup()
    const broken = recordingChannel('slack', { fail: true })
    const desk = recordingChannel('desktop')
    t.services.setAway(true) // Slack goes at once when away
    const notifier = createNotifier({ services: t.services, channels: [desk.channel, broken.channel], tickMs: 1e9 })
    feed('UserPromptSubmit', 'aaaa-1', '/w/api')
    t.services.setAway(true)
    feed('Stop', 'aaaa-1', '/w/api')
    at(20_000)
    await notifier.tick()
    await notifier.tick()
    assert.equal(desk.sent.length, 1)
    assert.equal(broken.sent.length, 1, 'a retry waits for its backoff')
    at(31_000)
    await notifier.tick()
    assert.equal(broken.sent.length, 2)
    const failed = recentPings(t.services.store.db).filter((p) => p.outcome === 'failed')
    assert.equal(failed.length, 2)
    assert.equal(failed[0]!.detail, 'daemon gone')
    await notifier.stop()
  })

  it('an agent that goes away (process gone) ends its wait, and its ping is updated', async () => {
    const { feed, at } = setup()
    const desk = recordingChannel('desktop')
    const notifier = createNotifier({ services: t.services, channels: [desk.channel], tickMs: 1e9 })
    // Its Claude Code process, as the hook reported it.
    const ppid = { occurredAt: t.clock.now, receivedAt: t.clock.now, pid: 4_000_000 }
    t.services.receive(payload('UserPromptSubmit', { session_id: 'aaaa-1', cwd: '/w/api' }), ppid)
    feed('Stop', 'aaaa-1', '/w/api')
    at(30_000)
    await notifier.tick()
    assert.equal(desk.sent.length, 1)
    const { sweepAgents } = await import('../../src/store/agents.ts')
    const { DEFAULT_STALENESS } = await import('../../src/core/staleness.ts')
    // What serve.ts does with each sweep result.
    for (const c of sweepAgents(t.services.store.db, t.clock.now, DEFAULT_STALENESS, () => false)) {
      t.services.bus.emit('change', { sessionId: c.sessionId, cause: 'sweep', waitId: c.closedWaitId ?? undefined })
    }
    await waitFor(() => desk.ended.length > 0, 20_000, 'the channel told how the wait ended')
    assert.equal(desk.ended.length, 1)
    assert.match(desk.ended[0]!.text, /^the agent went away after/)
    await notifier.stop()
  })
})
