// Slack down, rate-limited or disconnected: desktop pings go on, retries stay bounded, the socket comes back, doctor says so.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, afterEach, describe, it } from 'node:test'
import { silentLogger } from '../../src/log.ts'
import type { OutgoingPing, PingChannel } from '../../src/core/channel.ts'
import { recentPings } from '../../src/store/pings.ts'
import { createSlackSocket } from '../../src/slack/socket.ts'
import { createSlackWeb, describeSlackError, SEND_POLICY } from '../../src/slack/web.ts'
import { startSlackFake } from '../fakes/slack-fake.ts'
import { runTend } from '../helpers/cli.ts'
import { runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { HUMAN, startSlackRig, type RigOptions, type SlackRig } from '../helpers/slack.ts'
import { waitFor } from '../helpers/wait-for.ts'

const SID = '5e55a0b1-aaaa-4bbb-8ccc-000000000001'
const ev = (key: string, extra = {}) => payload(key, { session_id: SID, cwd: '/home/me/projects/shop', ...extra })

const unhandled: unknown[] = []
process.on('unhandledRejection', (reason) => unhandled.push(reason))
after(() => assert.deepEqual(unhandled, [], 'no unhandled rejections from the SDK or tend'))

let rig: SlackRig | null = null
afterEach(async () => {
  await rig?.close() // fails if a token reached any log line
  rig = null
})

function recordingDesktop() {
  const sent: OutgoingPing[] = []
  const channel: PingChannel = {
    name: 'desktop',
    available: () => true,
    async send(ping) {
      sent.push(ping)
      return { ok: true, ref: { n: sent.length } }
    },
    check: async () => ({ name: 'desktop', status: 'ok', lines: [] }),
    close() {},
  }
  return { channel, sent }
}

async function setup(opts: RigOptions = {}) {
  rig = await startSlackRig(opts)
  const r = rig
  await r.socketConnected()
  await runHook(ev('UserPromptSubmit'), r.env)
  return r
}

/** Away, a held Stop, its ping: then a thread reply must reach it. */
async function replyReaches(r: SlackRig, text: string) {
  r.server.services.setAway(true)
  const hook = runHook(ev('Stop', { last_assistant_message: `Shall I ${text}?` }), r.env, ['hold', '60'])
  await waitFor(() => r.server.services.holds.list()[0], 20_000, 'a held Stop')
  const ping = await waitFor(
    async () => {
      await r.server.notifier.tick()
      return r.pings().find((p) => p.text.includes(text))
    },
    5000,
    `the ping about ${text}`,
  )
  await r.fake.userReplyInThread({ user: HUMAN, channel: ping.channel, thread_ts: ping.ts, text })
  assert.equal(JSON.parse((await hook).stdout).reason, text)
  await runHook(ev('UserPromptSubmit', { prompt: `after ${text}` }), r.env) // back at work; present again
}

describe('slack resilience', () => {
  it('the socket drops and reconnects (network drop, then a refresh): later replies still arrive, on one connection', async () => {
    const r = await setup()
    await replyReaches(r, 'run the migration')
    r.fake.dropConnections()
    await waitFor(
      () => r.slack.socket.status().reconnects === 1 && r.slack.socket.status().state === 'connected',
      5000,
      'a reconnect',
    )
    await replyReaches(r, 'deploy to staging')
    await r.fake.sendDisconnect('refresh_requested', 200)
    await waitFor(
      () => r.slack.socket.status().reconnects === 2 && r.slack.socket.status().state === 'connected',
      5000,
      'a second reconnect',
    )
    await replyReaches(r, 'tag the release')
    assert.equal(r.fake.openConnections, 1, 'one connection, owned by the receiver')
    assert.equal(r.fake.connections.length, 3)
  })

  it('a reply posted while the socket was down is read from the thread after the reconnect, and answers once', async () => {
    const r = await setup()
    r.server.services.setAway(true)
    const hook = runHook(ev('Stop', { last_assistant_message: 'Shall I merge?' }), r.env, ['hold', '60'])
    await waitFor(() => r.server.services.holds.list()[0], 20_000, 'a held Stop')
    const ping = await r.pinged()
    r.fake.failNext('apps.connections.open', { kind: 'http', status: 500 }, 3) // keeps the socket down for a while
    r.fake.dropConnections()
    await waitFor(() => r.slack.socket.status().state === 'reconnecting', 20_000, 'reconnecting')
    const lost = r.fake.userReplyInThread({ user: HUMAN, channel: ping.channel, thread_ts: ping.ts, text: 'merge it' })
    await assert.rejects(lost, /no Socket Mode connection/, 'Slack could not deliver it live')
    assert.equal(JSON.parse((await hook).stdout).reason, 'merge it')
    assert.ok(r.fake.callsTo('conversations.replies').length >= 1)
    // Slack's own redelivery of the same event, later: already answered, dropped.
    await r.fake.redeliver(lost.envelope)
    await waitFor(
      () => r.logs.some((line) => line.includes('slack: duplicate delivery ignored')),
      5000,
      'the redelivery to be recognised',
    )
    assert.deepEqual(
      r.thread(ping).map((m) => m.text),
      [':white_check_mark: Sent to shop·5e55a0b1: it goes on with your reply.'],
    )
  })

  it('Slack hanging: a send gives up after its timeout, and the next ones fail at once instead of holding up the round', async () => {
    let connections = 0
    const hung = createServer(() => {}) // accepts, never answers
    hung.on('connection', () => connections++)
    await new Promise<void>((res) => hung.listen(0, '127.0.0.1', res))
    const web = createSlackWeb({
      token: 'xoxb-x',
      apiUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/`,
      log: silentLogger,
      timeoutMs: 200,
    })
    try {
      const first = await web.call((c) => c.auth.test(), SEND_POLICY).catch((e: unknown) => describeSlackError(e))
      assert.equal(first, 'Slack did not answer in time')
      // Every attempt of the call connected before it returned; the accepts may be one turn behind.
      await waitFor(() => connections > 0, 20_000, 'the connection to the hung server')
      assert.equal(connections, 1, 'one timeout, not retried')
      const second = await web.call((c) => c.auth.test(), SEND_POLICY).catch((e: unknown) => describeSlackError(e))
      assert.match(second as string, /not trying again yet/)
      await new Promise((res) => setImmediate(res))
      assert.equal(connections, 1, 'failed at once: Slack was not asked again')
    } finally {
      web.close()
      hung.closeAllConnections()
      hung.close()
    }
  })

  it('apps.connections.open failing during a reconnect (HTTP 500, then 429) is retried until it works', async () => {
    const r = await setup()
    // Three 500s outlast the SDK's own tries (three): tend's reconnect loop takes over, then meets the 429.
    r.fake.failNext('apps.connections.open', { kind: 'http', status: 500 }, 3)
    r.fake.failNext('apps.connections.open', { kind: 'rate_limited', retryAfterSec: 1 }, 1)
    r.fake.dropConnections()
    await waitFor(() => r.slack.socket.status().state === 'reconnecting', 20_000, 'reconnecting')
    const check = await r.slack.check()
    assert.equal(check.status, 'warn')
    assert.match(check.lines.join('\n'), /socket: reconnecting since/)
    await waitFor(() => r.slack.socket.status().state === 'connected', 20_000, 'connected again')
    const statuses = r.fake.callsTo('apps.connections.open').map((c) => c.status)
    assert.deepEqual(statuses.slice(1), [500, 500, 500, 429, 200])
    await replyReaches(r, 'carry on')
  })

  it('Slack down: the desktop ping goes out at once, the Slack send fails fast and is retried after backoff', async () => {
    const desktop = recordingDesktop()
    const r = await setup({ others: [desktop.channel] })
    await r.fake.setApiDown('refused')
    await runHook(ev('Stop', { last_assistant_message: 'Done.' }), r.env)
    // One round: the desktop ping goes out, and the Slack send fails within it (its two quick tries);
    // the notifier retries it later, after its backoff (below).
    await r.server.notifier.tick()
    assert.equal(desktop.sent.length, 1, 'the desktop ping went out')
    const failed = recentPings(r.server.services.store.db).filter((p) => p.channel === 'slack')
    assert.deepEqual(
      failed.map((p) => p.outcome),
      ['failed'],
    )
    assert.match(failed[0]!.detail!, /^cannot reach Slack/)

    await r.fake.setApiDown('unavailable')
    r.skew(11_000)
    await r.server.notifier.tick()
    assert.match(
      recentPings(r.server.services.store.db).find((p) => p.channel === 'slack')!.detail!,
      /Slack answered HTTP 503/,
    )

    await r.fake.setApiDown(false)
    await r.server.notifier.tick()
    assert.equal(r.pings().length, 0, 'the next retry waits for its backoff (20 s)')
    r.skew(21_000)
    await r.pinged()
    assert.equal(desktop.sent.length, 1, 'no extra desktop ping because of Slack')
  })

  it('rate-limited: the send fails at once with Retry-After, and nothing is sent to Slack before it has passed', async () => {
    const desktop = recordingDesktop()
    const r = await setup({ others: [desktop.channel] })
    r.fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSec: 30 })
    await runHook(ev('Stop', { last_assistant_message: 'Done.' }), r.env)
    await r.server.notifier.tick()
    const slack = () => recentPings(r.server.services.store.db).filter((p) => p.channel === 'slack')
    assert.equal(slack()[0]!.detail, 'rate limited by Slack (retry after 30s)')
    r.skew(11_000)
    await r.server.notifier.tick()
    assert.match(slack()[0]!.detail!, /^rate limited by Slack for another (29|30)s$/)
    assert.equal(r.fake.callsTo('chat.postMessage').length, 1, 'no request inside the Retry-After window')
    assert.equal(desktop.sent.length, 1)
  })

  it('doctor: auth.test and the socket, through the receiver and `tend doctor`', async () => {
    const r = await setup()
    const check = await r.slack.check()
    assert.equal(check.status, 'ok')
    assert.match(check.lines[0]!, /^bot @tend \(U0FAKEBOT\) in Fake Team \(T0FAKETEAM\)$/)
    assert.ok(check.lines.includes(`pings go to a DM with ${HUMAN}`))
    assert.ok(check.lines.includes(`answers accepted from ${HUMAN}`))
    assert.match(check.lines.at(-1)!, /^socket: connected \d+s ago$/)
    const out = await runTend(['doctor'], r.env)
    assert.match(out.stdout, /✓ slack \(as the receiver sees it\)\n {4}bot @tend/)
    assert.match(out.stdout, /socket: connected/)
    assert.doesNotMatch(out.stdout + out.stderr, /xoxb-|xapp-1/)
  })

  it('a wrong app-level token: an error doctor shows, not a hang or a retry storm', async () => {
    const bad = await startSlackRig({ config: { slack: { appToken: 'xapp-1-not-the-right-one' } } })
    rig = bad
    await waitFor(() => bad.slack.socket.status().state === 'error', 20_000, 'the socket error')
    const check = await bad.slack.check()
    assert.equal(check.status, 'fail')
    assert.match(check.lines.at(-1)!, /^socket: not connected: Slack said invalid_auth .*fix the app-level token/)
    // No retry is scheduled (a recoverable failure sets nextTryAt and arms a timer; this one does not).
    assert.equal(bad.slack.socket.status().nextTryAt, null, 'not retried')
    assert.equal(bad.fake.callsTo('apps.connections.open').length, 1, 'not retried')
    assert.equal(check.lines[0]!.startsWith('bot @tend'), true, 'the bot token itself is fine')
  })

  it('a bot token given as the app-level token is refused before the SDK can hang on it', async () => {
    const fake = await startSlackFake()
    const socket = createSlackSocket({
      appToken: fake.botToken,
      apiUrl: fake.apiUrl,
      log: silentLogger,
      onEnvelope: () => {},
    })
    socket.start()
    assert.equal(socket.status().state, 'error')
    assert.match(socket.status().lastError!, /must start with xapp- \(this one starts with xoxb-…\)/)
    assert.doesNotMatch(socket.status().lastError!, /fake-bot-token/)
    await socket.stop()
    assert.equal(fake.calls.length, 0)
    await fake.close()
  })
})
