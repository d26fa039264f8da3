// Slack as a ping channel: posts the card (DM or channel), updates it when the wait ends, owns the socket for answers.
import type { DigestPing, OutgoingPing, PingChannel, SendResult, WaitEnding } from '../core/channel.ts'
import type { Services } from '../service/services.ts'
import { cardFromPing, endedMessage, pingMessage } from './blocks.ts'
import { catchUp } from './catch-up.ts'
import { escapeMrkdwn } from './mrkdwn.ts'
import { slackCheck, whoAmI } from './doctor.ts'
import { createInbound, type SlackIdentity } from './inbound.ts'
import { createThreadIndex, isSlackRef, type SlackRef } from './refs.ts'
import { answerers, slackMissing } from './settings.ts'
import { createSlackSocket, type SlackSocket } from './socket.ts'
import { createSlackWeb, describeSlackError, UPDATE_POLICY, type RetryPolicy } from './web.ts'

export interface SlackChannelOptions {
  /** The SDK's ping watchdog; tests make it small so dropped sockets are noticed fast. */
  clientPingTimeoutMs?: number
  reconnect?: { firstMs: number; maxMs: number }
  /** Per Web API attempt. */
  timeoutMs?: number
  updatePolicy?: RetryPolicy
}

export interface SlackPings extends PingChannel {
  readonly socket: SlackSocket
}

/**
 * The Slack channel when config.json (or the environment) has set it up; null, with what is missing in
 * the log, when it is only half set up (the receiver calls this only when Slack is mentioned). Never throws.
 */
export function slackChannelFromConfig(services: Services, opts: SlackChannelOptions = {}): SlackPings | null {
  const missing = slackMissing(services.config.file.slack)
  if (missing.length) {
    services.log.warn('slack is not wired in', { missing })
    return null
  }
  try {
    return createSlackPings(services, opts)
  } catch (err) {
    services.log.error('slack channel failed to start', { error: describeSlackError(err) })
    return null
  }
}

export function createSlackPings(services: Services, opts: SlackChannelOptions = {}): SlackPings {
  const settings = services.config.file.slack
  const { log } = services
  if (!settings.botToken) throw new Error('slack: no bot token')
  const web = createSlackWeb({
    token: settings.botToken,
    apiUrl: settings.apiUrl,
    log,
    timeoutMs: opts.timeoutMs ?? 5000,
  })
  const threads = createThreadIndex(services.store.db)
  const allowed = answerers(settings)
  const identity: SlackIdentity = { botUserId: null, teamId: null }
  let dmChannel: string | null = null
  let closed = false

  // Who the bot is (to drop its own echoes and other teams' events): asked at start, again when it failed.
  let identifying: Promise<void> | null = null
  const identify = () =>
    (identifying ??= whoAmI(web).then(
      (me) => {
        identity.botUserId = me.botUserId
        identity.teamId = me.teamId
      },
      (err) => {
        identifying = null
        log.warn('slack auth.test failed', { error: describeSlackError(err) })
      },
    ))

  async function destination(): Promise<string> {
    if (settings.channel) return settings.channel
    // chat.update and thread matching need the D… id, not the user id.
    dmChannel ??= (await web.call((c) => c.conversations.open({ users: settings.user! }))).channel?.id ?? null
    if (!dmChannel) throw new Error('conversations.open returned no channel')
    return dmChannel
  }

  const post = async (channel: string, threadTs: string, text: string) => {
    if (closed) return
    await web.call((c) => c.chat.postMessage({ channel, thread_ts: threadTs, text }), UPDATE_POLICY)
  }

  const inbound = createInbound({
    services,
    log,
    allowed,
    identity: () => {
      if (!identity.botUserId) void identify()
      return identity
    },
    findThread: (channel, ts) => threads.find(channel, ts),
    post,
  })

  const socket = createSlackSocket({
    appToken: settings.appToken,
    apiUrl: settings.apiUrl,
    log,
    clientPingTimeoutMs: opts.clientPingTimeoutMs,
    reconnect: opts.reconnect,
    onEnvelope: (envelope) => (closed ? undefined : inbound.handle(envelope)),
    onReconnected: async (downSince) => {
      if (!closed) await catchUp({ web, threads, handle: inbound.handle, log }, downSince)
    },
  })
  void identify()
  socket.start()

  return {
    name: 'slack',
    socket,
    available: () => !closed,
    async send(ping: OutgoingPing): Promise<SendResult> {
      try {
        const card = cardFromPing(ping)
        const message = pingMessage(card)
        const channel = await destination()
        const res = await web.call((c) => c.chat.postMessage({ channel, text: message.text, blocks: message.blocks }))
        if (!res.channel || !res.ts) return { ok: false, error: 'chat.postMessage returned no channel or ts' }
        const ref: SlackRef = { channel: res.channel, ts: res.ts, card }
        threads.remember(ping.waitId, ref)
        return { ok: true, ref }
      } catch (err) {
        return { ok: false, error: describeSlackError(err) }
      }
    },
    async sendDigest(digest: DigestPing): Promise<SendResult> {
      try {
        const text = `${digest.title}: ${digest.body}`
        const blocks = [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${escapeMrkdwn(digest.title)}*: ${escapeMrkdwn(digest.body)}` },
          },
        ]
        const channel = await destination()
        const res = await web.call((c) => c.chat.postMessage({ channel, text, blocks }))
        if (!res.channel || !res.ts) return { ok: false, error: 'chat.postMessage returned no channel or ts' }
        return { ok: true, ref: { channel: res.channel, ts: res.ts } }
      } catch (err) {
        return { ok: false, error: describeSlackError(err) }
      }
    },
    async waitEnded(ref: unknown, _ping, ending: WaitEnding): Promise<void> {
      if (!isSlackRef(ref) || closed) return
      const message = endedMessage(ref.card, ending.text)
      const update = { channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }
      await web
        .call((c) => c.chat.update(update), opts.updatePolicy ?? UPDATE_POLICY)
        .catch((err: unknown) => {
          throw new Error(`chat.update failed: ${describeSlackError(err)}`)
        })
    },
    check: () =>
      slackCheck({ settings, enabled: services.config.file.notify.slack.enabled, web, socket: socket.status() }),
    async close() {
      if (closed) return
      closed = true
      web.close()
      await socket.stop()
    },
  }
}
