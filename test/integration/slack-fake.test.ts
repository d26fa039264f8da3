// Proves the Slack fake against the real @slack/web-api WebClient and @slack/socket-mode SocketModeClient.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { LogLevel, SocketModeClient, type Logger } from '@slack/socket-mode'
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  WebClientEvent,
} from '@slack/web-api'
import { startSlackFake, type SlackFake } from '../fakes/slack-fake.ts'
import { waitFor } from '../helpers/wait-for.ts'

const HUMAN = 'U0HUMAN01'
const unhandled: unknown[] = []
process.on('unhandledRejection', (reason) => unhandled.push(reason))

after(() => assert.deepEqual(unhandled, [], 'no unhandled rejections from the SDK clients or the fake'))

/** Keeps SDK logs out of the test output but available for assertions. */
function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  let level = LogLevel.DEBUG
  const log =
    (lvl: string) =>
    (...msg: unknown[]) =>
      lines.push(`${lvl} ${msg.map(String).join(' ')}`)
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (l: LogLevel) => {
      level = l
    },
    getLevel: () => level,
    setName: () => {},
  }
}

const approvalBlocks = (reqId: string) => [
  { type: 'section', text: { type: 'mrkdwn', text: '*Tool:* `Bash`' } },
  {
    type: 'actions',
    block_id: `req:${reqId}`,
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        style: 'primary',
        value: reqId,
        text: { type: 'plain_text', text: 'Approve' },
      },
      { type: 'button', action_id: 'deny', style: 'danger', value: reqId, text: { type: 'plain_text', text: 'Deny' } },
    ],
  },
]

function webClient(fake: SlackFake, token: string | undefined = fake.botToken, extra = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: captureLogger(),
    ...extra,
  })
}

async function platformError(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => assert.fail('expected a WebAPIPlatformError'),
    (e: unknown) => e,
  )
  assert.ok(e instanceof WebAPIPlatformError, `expected WebAPIPlatformError, got ${String(e)}`)
  return e.data.error
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('slack fake: Web API through the real WebClient', () => {
  let fake: SlackFake
  let web: WebClient

  before(async () => {
    fake = await startSlackFake({ users: { [HUMAN]: 'ada' } })
    web = webClient(fake)
  })
  after(() => fake.close())

  it('auth.test answers with the bot identity and records the bot token', async () => {
    assert.match(fake.apiUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/$/)
    const res = await web.auth.test()
    assert.equal(res.user_id, fake.identity.botUserId)
    assert.equal(res.bot_id, fake.identity.botId)
    assert.equal(res.team_id, fake.identity.teamId)
    const call = fake.callsTo('auth.test').at(-1)
    assert.equal(call?.token, fake.botToken)
    assert.equal(call?.tokenKind, 'bot')
  })

  it('conversations.open gives one stable D… id per user', async () => {
    const a = await web.conversations.open({ users: HUMAN })
    const b = await web.conversations.open({ users: HUMAN })
    const other = await web.conversations.open({ users: 'U0OTHER01' })
    assert.match(a.channel?.id ?? '', /^D/)
    assert.equal(b.channel?.id, a.channel?.id)
    assert.equal(b.already_open, true)
    assert.notEqual(other.channel?.id, a.channel?.id)
  })

  it('chat.postMessage stores blocks sent as a JSON form field; threads, chat.update and replies work', async () => {
    const dm = (await web.conversations.open({ users: HUMAN })).channel?.id ?? ''
    const blocks = approvalBlocks('req-1')
    const parent = await web.chat.postMessage({ channel: dm, text: 'Agent waiting for you', blocks })
    assert.equal(parent.ok, true)
    assert.equal(parent.channel, dm)
    assert.match(parent.ts ?? '', /^\d{10}\.\d{6}$/)
    assert.equal(parent.message?.bot_id, fake.identity.botId)
    assert.deepEqual(fake.callsTo('chat.postMessage').at(-1)?.args.blocks, blocks)
    assert.deepEqual(fake.message(dm, parent.ts ?? '')?.blocks, blocks)

    const reply = await web.chat.postMessage({ channel: dm, thread_ts: parent.ts, text: 'Sent to the agent.' })
    assert.notEqual(reply.ts, parent.ts)
    assert.equal(reply.message?.thread_ts, parent.ts)

    const done = [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Approved by <@${HUMAN}>` }] }]
    const updated = await web.chat.update({ channel: dm, ts: parent.ts ?? '', text: 'Approved', blocks: done })
    assert.equal(updated.ts, parent.ts)
    assert.equal(fake.message(dm, parent.ts ?? '')?.text, 'Approved')
    assert.deepEqual(fake.message(dm, parent.ts ?? '')?.blocks, done)

    const thread = await web.conversations.replies({ channel: dm, ts: parent.ts ?? '' })
    assert.deepEqual(
      thread.messages?.map((m) => [m.ts, m.text, m.reply_count]),
      [
        [parent.ts, 'Approved', 1],
        [reply.ts, 'Sent to the agent.', undefined],
      ],
    )
    const later = await web.conversations.replies({ channel: dm, ts: parent.ts ?? '', oldest: reply.ts })
    assert.deepEqual(
      later.messages?.map((m) => m.ts),
      [parent.ts],
      'parent always first, oldest is exclusive',
    )
  })

  it('chat.update answers message_not_found, also for a U… id instead of the D… id', async () => {
    const posted = await web.chat.postMessage({ channel: HUMAN, text: 'to a user id' })
    assert.match(posted.channel ?? '', /^D/, 'posting to U… lands in the DM, and the answer names the D… channel')
    const unknownTs = web.chat.update({ channel: posted.channel ?? '', ts: '1.000000', text: 'x' })
    assert.equal(await platformError(unknownTs), 'message_not_found')
    const byUserId = web.chat.update({ channel: HUMAN, ts: posted.ts ?? '', text: 'x' })
    assert.equal(await platformError(byUserId), 'message_not_found')
  })

  it('rejects wrong, missing and wrong-type tokens, and unknown methods, like Slack', async () => {
    assert.equal(await platformError(webClient(fake, 'xoxb-wrong').auth.test()), 'invalid_auth')
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } })
    assert.equal(await platformError(anonymous.auth.test()), 'not_authed')
    assert.equal(fake.callsTo('auth.test').at(-1)?.tokenKind, 'none')
    const asApp = webClient(fake, fake.appToken).chat.postMessage({ channel: HUMAN, text: 'hi' })
    assert.equal(await platformError(asApp), 'not_allowed_token_type')
    assert.equal(await platformError(web.apps.connections.open({})), 'not_allowed_token_type')
    assert.equal(await platformError(web.apiCall('nope.nothing')), 'unknown_method')
  })

  it('a 429 with rejectRateLimitedCalls gives WebAPIRateLimitedError with retryAfter', async () => {
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSec: 7 })
    const strict = webClient(fake, fake.botToken, { rejectRateLimitedCalls: true })
    const e = await strict.chat.postMessage({ channel: HUMAN, text: 'x' }).catch((e: unknown) => e)
    assert.ok(e instanceof WebAPIRateLimitedError, String(e))
    assert.equal(e.retryAfter, 7)
    assert.equal(fake.callsTo('chat.postMessage').at(-1)?.status, 429)
    assert.equal((await strict.chat.postMessage({ channel: HUMAN, text: 'x' })).ok, true, 'only the next call fails')
  })

  it('a 429 without rejectRateLimitedCalls: rate_limited event, waits Retry-After, retries', async () => {
    fake.failNext('auth.test', { kind: 'rate_limited', retryAfterSec: 1 })
    const patient = webClient(fake, fake.botToken, { retryConfig: { retries: 1, minTimeout: 10 } })
    const seen: number[] = []
    patient.on(WebClientEvent.RATE_LIMITED, (secs: number) => seen.push(secs))
    const earlier = fake.callsTo('auth.test').length
    assert.equal((await patient.auth.test()).ok, true)
    assert.deepEqual(seen, [1])
    assert.deepEqual(
      fake
        .callsTo('auth.test')
        .slice(earlier)
        .map((c) => c.status),
      [429, 200],
      'told to wait, then retried once',
    )
  })

  it('injected 500s (for N calls) and ok:false errors surface as the SDK error classes', async () => {
    fake.failNext('auth.test', { kind: 'http', status: 500 }, 2)
    for (let i = 0; i < 2; i++) {
      const e = await web.auth.test().catch((e: unknown) => e)
      assert.ok(e instanceof WebAPIHTTPError, String(e))
      assert.equal(e.statusCode, 500)
    }
    assert.equal((await web.auth.test()).ok, true)
    fake.failNext('*', { kind: 'error', error: 'fatal_error' })
    assert.equal(await platformError(web.conversations.open({ users: HUMAN })), 'fatal_error')
  })

  it('the whole API can be down (503, or connection refused), then back on the same URL', async () => {
    await fake.setApiDown('unavailable')
    const e503 = await web.auth.test().catch((e: unknown) => e)
    assert.ok(e503 instanceof WebAPIHTTPError && e503.statusCode === 503, String(e503))
    await fake.setApiDown('refused')
    const refused = await web.auth.test().catch((e: unknown) => e)
    assert.ok(refused instanceof WebAPIRequestError, String(refused))
    await fake.setApiDown(false)
    assert.equal((await web.auth.test()).ok, true)
  })

  it('accepts JSON bodies with a Bearer token, as Slack does', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: HUMAN, text: 'json', blocks: approvalBlocks('req-j') }),
    })
    const body = (await res.json()) as { ok: boolean; message: { blocks: unknown } }
    assert.equal(body.ok, true)
    assert.deepEqual(body.message.blocks, approvalBlocks('req-j'))
  })
})

describe('slack fake: Socket Mode through the real SocketModeClient', () => {
  let fake: SlackFake
  let web: WebClient
  let client: SocketModeClient
  const logger = captureLogger()
  const lifecycle: string[] = []
  // The SDK types event bodies as any; so do these records.
  type Received = {
    kind: string
    envelope_id: string
    body: any
    event?: any
    retry_num?: number
    retry_reason?: string
  }
  /** Everything the app received; the listeners ack 'message' and 'interactive' as an app would. */
  const received: Received[] = []
  const got = (envelopeId: string) => received.find((r) => r.envelope_id === envelopeId)

  before(async () => {
    fake = await startSlackFake({ users: { [HUMAN]: 'ada' } })
    web = webClient(fake)
    client = new SocketModeClient({
      appToken: fake.appToken,
      logger,
      // The SDK waits clientPingTimeout × consecutive failures before a reconnect: 2 s, not its default 5 s.
      clientPingTimeout: 2000,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 200 } },
    })
    for (const state of [
      'connecting',
      'authenticated',
      'connected',
      'reconnecting',
      'disconnecting',
      'disconnected',
      'error',
    ]) {
      client.on(state, () => lifecycle.push(state))
    }
    for (const kind of ['message', 'interactive']) {
      client.on(kind, async (args: Received & { ack: () => Promise<void> }) => {
        received.push({ ...args, kind })
        await args.ack()
      })
    }
  })
  after(async () => {
    await client.disconnect()
    await fake.close()
  })

  async function postApproval(reqId: string) {
    const dm = (await web.conversations.open({ users: HUMAN })).channel?.id ?? ''
    const res = await web.chat.postMessage({ channel: dm, text: 'Agent waiting', blocks: approvalBlocks(reqId) })
    return { channel: dm, ts: res.ts ?? '' }
  }

  it('start() uses the app token on apps.connections.open and resolves on hello', async () => {
    const res = await client.start()
    assert.match(String(res.url), /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/)
    // The SDK emits 'authenticated' (apps.connections.open done) before 'connecting' (socket opening).
    assert.deepEqual(lifecycle, ['authenticated', 'connecting', 'connected'])
    assert.equal(fake.callsTo('apps.connections.open')[0]?.tokenKind, 'app')
    assert.equal(fake.openConnections, 1)
  })

  it('a thread reply arrives as a message event, and its ack reaches the fake', async () => {
    const parent = await postApproval('req-2')
    const delivery = fake.userReplyInThread({
      user: HUMAN,
      channel: parent.channel,
      thread_ts: parent.ts,
      text: 'use main',
    })
    const ack = await delivery
    assert.equal(ack.envelope_id, delivery.envelope.envelope_id)
    assert.deepEqual(ack.payload, {})
    assert.ok(fake.acks.some((a) => a.envelope_id === delivery.envelope.envelope_id))

    const r = got(delivery.envelope.envelope_id)
    assert.ok(r)
    assert.equal(r.kind, 'message')
    assert.equal(r.event.user, HUMAN)
    assert.equal(r.event.text, 'use main')
    assert.equal(r.event.thread_ts, parent.ts)
    assert.equal(r.event.channel, parent.channel)
    assert.equal(r.event.channel_type, 'im')
    assert.equal(r.event.parent_user_id, fake.identity.botUserId)
    assert.equal(r.event.bot_id, undefined)
    assert.equal(r.body.type, 'event_callback')
    assert.equal(r.body.api_app_id, fake.identity.appId)
    assert.equal(r.body.team_id, fake.identity.teamId)
    assert.match(r.body.event_id, /^Ev/)
    assert.equal(r.retry_num, undefined)

    // The reply is now part of the thread, and it is the person's, so the bot may not edit it.
    const thread = await web.conversations.replies({ channel: parent.channel, ts: parent.ts })
    assert.deepEqual(
      thread.messages?.map((m) => m.user),
      [fake.identity.botUserId, HUMAN],
    )
    const edit = web.chat.update({ channel: parent.channel, ts: r.event.ts, text: 'x' })
    assert.equal(await platformError(edit), 'cant_update_message')
  })

  it('a button click arrives as interactive with a Slack-shaped block_actions body', async () => {
    const parent = await postApproval('req-3')
    const delivery = fake.clickButton({
      user: HUMAN,
      channel: parent.channel,
      message_ts: parent.ts,
      action_id: 'approve',
    })
    await delivery
    const r = got(delivery.envelope.envelope_id)
    assert.equal(r?.kind, 'interactive')
    const body = r.body
    assert.equal(body.type, 'block_actions')
    assert.deepEqual(body.user, { id: HUMAN, username: 'ada', name: 'ada', team_id: fake.identity.teamId })
    assert.equal(body.team.id, fake.identity.teamId)
    assert.equal(body.api_app_id, fake.identity.appId)
    assert.equal(body.actions.length, 1)
    assert.equal(body.actions[0].action_id, 'approve')
    assert.equal(body.actions[0].block_id, 'req:req-3', 'defaults from the posted blocks')
    assert.equal(body.actions[0].value, 'req-3')
    assert.deepEqual(body.container, {
      type: 'message',
      message_ts: parent.ts,
      channel_id: parent.channel,
      is_ephemeral: false,
    })
    assert.equal(body.channel.id, parent.channel)
    assert.equal(body.message.ts, parent.ts)
    assert.deepEqual(body.message.blocks, approvalBlocks('req-3'))
    assert.equal(typeof body.trigger_id, 'string')

    assert.match(body.response_url, /^http:\/\/127\.0\.0\.1:/, 'response_url stays on the fake')
    const headers = { 'content-type': 'application/json' }
    await fetch(body.response_url, { method: 'POST', headers, body: '{"replace_original":true,"text":"ok"}' })
    assert.deepEqual(fake.responseUrlCalls.at(-1)?.body, { replace_original: true, text: 'ok' })
  })

  it('a redelivery has a new envelope_id, the same event_id and retry_num + 1', async () => {
    const parent = await postApproval('req-4')
    const first = fake.userReplyInThread({ user: HUMAN, channel: parent.channel, thread_ts: parent.ts, text: 'again?' })
    await first
    const again = fake.redeliver(first.envelope)
    await again
    const [a, b] = [got(first.envelope.envelope_id), got(again.envelope.envelope_id)]
    assert.ok(a && b)
    assert.notEqual(b.envelope_id, a.envelope_id)
    assert.equal(b.body.event_id, a.body.event_id)
    assert.equal(b.retry_num, 1)
    assert.equal(b.retry_reason, 'timeout')
    assert.equal(again.envelope.retry_attempt, 1)
  })

  it('the bot echo (bot_id) and message_changed after chat.update arrive as message events', async () => {
    const parent = await postApproval('req-5')
    await web.chat.update({ channel: parent.channel, ts: parent.ts, text: 'Approved', blocks: [] })
    const echo = fake.echoBotMessage(parent)
    const changed = fake.echoMessageChanged(parent)
    await Promise.all([echo, changed])
    const e = got(echo.envelope.envelope_id)?.event
    assert.equal(e.bot_id, fake.identity.botId)
    assert.equal(e.user, fake.identity.botUserId)
    const c = got(changed.envelope.envelope_id)?.event
    assert.equal(c.subtype, 'message_changed')
    assert.equal(c.message.ts, parent.ts)
    assert.equal(c.message.text, 'Approved')
    assert.equal(c.previous_message.text, 'Agent waiting')
  })

  it('an envelope nobody acks makes the delivery reject after the ack deadline', async () => {
    const payload = { type: 'event_callback', event_id: 'EvNOACK', event: { type: 'reaction_added', user: HUMAN } }
    await assert.rejects(fake.sendEnvelope('events_api', payload, { ackTimeoutMs: 200 }), /not acked within 200 ms/)
  })

  it(
    'after dropConnections() the client reconnects and later envelopes still arrive',
    { timeout: 15_000 },
    async (t) => {
      const before = fake.connections.length
      lifecycle.length = 0
      const t0 = Date.now()
      fake.dropConnections()
      assert.equal(fake.openConnections, 0)
      await assert.rejects(fake.sendEnvelope('events_api', { type: 'event_callback' }), /no Socket Mode connection/)
      const conn = await fake.waitForConnection(12_000)
      t.diagnostic(`reconnected ${Date.now() - t0} ms after an abrupt drop; client events: ${lifecycle.join(', ')}`)
      assert.equal(conn.id, before + 1)
      assert.equal((await fake.waitForClose(before)).closeCode, 1006, 'abnormal closure, no close frame')

      const parent = await postApproval('req-6')
      const d = fake.userReplyInThread({
        user: HUMAN,
        channel: parent.channel,
        thread_ts: parent.ts,
        text: 'still there?',
      })
      assert.equal((await d).connectionId, conn.id)
      assert.equal(got(d.envelope.envelope_id)?.event.text, 'still there?')
    },
  )

  it(
    'a disconnect message makes the client reconnect, riding out a 500 on apps.connections.open',
    { timeout: 15_000 },
    async (t) => {
      const before = fake.connections.length
      const opens = fake.callsTo('apps.connections.open').length
      fake.failNext('apps.connections.open', { kind: 'http', status: 500 })
      lifecycle.length = 0
      const t0 = Date.now()
      await fake.sendDisconnect('refresh_requested')
      assert.equal(fake.connections[before - 1]?.closeCode, 1000, 'the client closed the socket itself')
      const conn = await fake.waitForConnection(12_000)
      t.diagnostic(
        `reconnected ${Date.now() - t0} ms after a disconnect message; client events: ${lifecycle.join(', ')}`,
      )
      assert.equal(conn.id, before + 1)
      assert.deepEqual(
        fake
          .callsTo('apps.connections.open')
          .slice(opens)
          .map((c) => c.status),
        [500, 200],
        'retryConfig retried the failed open',
      )
      const parent = await postApproval('req-7')
      const click = fake.clickButton({ user: HUMAN, channel: parent.channel, message_ts: parent.ts, action_id: 'deny' })
      await click
      assert.equal(got(click.envelope.envelope_id)?.body.actions[0].action_id, 'deny')
    },
  )

  it('disconnect() closes cleanly, also while a reconnect is pending, with no unhandled rejection', async () => {
    // A second client with a short ping timeout: its reconnect delay is clientPingTimeout × consecutive failures.
    const secondLog = captureLogger()
    const second = new SocketModeClient({
      appToken: fake.appToken,
      logger: secondLog,
      clientPingTimeout: 600,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 200 } },
    })
    let disconnected = 0
    second.on('disconnected', () => disconnected++)
    await second.start()
    const first = fake.connections.at(-1)
    await second.disconnect()
    assert.equal(disconnected, 1)
    assert.equal((await fake.waitForClose(first?.id ?? -1)).closeCode, 1000, 'a clean close handshake')

    await second.start()
    const again = fake.connections.at(-1)
    const count = fake.connections.length
    fake.dropConnections([again?.id ?? -1]) // only this client's socket; the main client stays up
    // The client notices the drop and arms its reconnect timer.
    await waitFor(
      () => secondLog.lines.some((l) => l.includes('will wait for 600 milliseconds')),
      5000,
      'a reconnect pending when disconnect() is called',
    )
    const opens = fake.callsTo('apps.connections.open').length
    await second.disconnect()
    // Proving a reconnect does NOT happen: nothing positive follows it, so wait past the 600 ms delay
    // (a reconnect would call apps.connections.open at once, then connect).
    await sleep(1000)
    assert.equal(fake.callsTo('apps.connections.open').length, opens, 'no reconnect attempt after disconnect()')
    assert.equal(fake.connections.length, count, 'no reconnect after disconnect()')
    assert.equal(fake.openConnections, 1, 'only the main client is connected')
    assert.deepEqual(unhandled, [])
  })
})
