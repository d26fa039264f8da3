// Local fake of Slack (Web API over HTTP, Socket Mode over WebSocket) for the real @slack/web-api and socket-mode clients.
import {
  blockActions,
  botMessageEvent,
  eventCallback,
  findButton,
  messageChangedEvent,
  personMessageEvent,
  toSlackMessage,
  type FakeIdentity,
  type StoredMessage,
} from './slack-payloads.ts'
import {
  SocketModeServer,
  type AckRecord,
  type ConnectionRecord,
  type Delivery,
  type Envelope,
  type EnvelopeType,
  type SendOptions,
} from './slack-socket.ts'
import { WebApiServer, type ApiCall, type ApiDownMode, type ApiFault, type ResponseUrlCall } from './slack-web-api.ts'
import { Workspace } from './slack-workspace.ts'

export type { FakeIdentity, StoredMessage } from './slack-payloads.ts'
export type { AckRecord, ConnectionRecord, Delivery, Envelope, EnvelopeType, SendOptions } from './slack-socket.ts'
export type { ApiCall, ApiDownMode, ApiFault, ResponseUrlCall, TokenKind } from './slack-web-api.ts'

export interface SlackFakeOptions extends Partial<FakeIdentity> {
  /** Defaults: 'xoxb-fake-bot-token' and 'xapp-1-fake-app-token'. */
  botToken?: string
  appToken?: string
  /** user id → username for users.info and click payloads; other ids get their id lower-cased. */
  users?: Record<string, string>
  /** Default ack deadline for envelopes; Slack's is 3 s. */
  ackTimeoutMs?: number
}

/** Starts both servers on random loopback ports. Always `await fake.close()` (after disconnecting clients). */
export async function startSlackFake(opts: SlackFakeOptions = {}): Promise<SlackFake> {
  const identity: FakeIdentity = {
    teamId: opts.teamId ?? 'T0FAKETEAM',
    teamDomain: opts.teamDomain ?? 'fake-team',
    appId: opts.appId ?? 'A0FAKEAPP',
    botUserId: opts.botUserId ?? 'U0FAKEBOT',
    botId: opts.botId ?? 'B0FAKEBOT',
  }
  const tokens = { bot: opts.botToken ?? 'xoxb-fake-bot-token', app: opts.appToken ?? 'xapp-1-fake-app-token' }
  const socket = await SocketModeServer.start(identity.appId, opts.ackTimeoutMs ?? 3000)
  const workspace = new Workspace(identity, { [identity.botUserId]: 'tend', ...opts.users }, () => socket.issueUrl())
  const api = await WebApiServer.start(workspace, tokens)
  return new SlackFake(workspace, api, socket, tokens)
}

export class SlackFake {
  readonly identity: FakeIdentity
  readonly botToken: string
  readonly appToken: string

  constructor(
    private readonly workspace: Workspace,
    private readonly api: WebApiServer,
    private readonly socket: SocketModeServer,
    tokens: { bot: string; app: string },
  ) {
    this.identity = workspace.identity
    this.botToken = tokens.bot
    this.appToken = tokens.app
  }

  // --- Web API --------------------------------------------------------------------------------------------------

  /** `slackApiUrl` for WebClient, `clientOptions.slackApiUrl` for SocketModeClient; ends in `/api/`. */
  get apiUrl(): string {
    return this.api.url
  }
  /** Every Web API request, including failed and faulted ones, in arrival order. */
  get calls(): readonly ApiCall[] {
    return this.api.calls
  }
  get responseUrlCalls(): readonly ResponseUrlCall[] {
    return this.api.responseUrlCalls
  }
  /** Every message in the workspace: the bot's posts and the simulated person's. */
  get messages(): readonly StoredMessage[] {
    return this.workspace.messages
  }

  callsTo(method: string): ApiCall[] {
    return this.api.calls.filter((c) => c.method === method)
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.workspace.message(channel, ts)
  }

  /** The next `times` calls of `method` ('*' = any) fail with `fault`, before the token is even checked. */
  failNext(method: string, fault: ApiFault, times = 1): void {
    this.api.failNext(method, fault, times)
  }

  /** Take the whole Web API down ('refused' or 'unavailable' = 503) or bring it back (false), same port. */
  setApiDown(mode: ApiDownMode): Promise<void> {
    return this.api.setDown(mode)
  }

  // --- Socket Mode ----------------------------------------------------------------------------------------------

  get envelopes(): readonly Envelope[] {
    return this.socket.envelopes
  }
  get acks(): readonly AckRecord[] {
    return this.socket.acks
  }
  get connections(): readonly ConnectionRecord[] {
    return this.socket.connections
  }
  get openConnections(): number {
    return this.socket.openConnections
  }

  /** Push an envelope to the newest connection; resolves on its ack, rejects on timeout or with no connection. */
  sendEnvelope(type: EnvelopeType, payload: Record<string, unknown>, opts?: SendOptions): Delivery {
    return this.socket.send(type, payload, opts)
  }

  /** Slack's retry of an un-acked event: new envelope_id, same payload (so same event_id), retry_attempt + 1. */
  redeliver(envelope: Envelope, retryReason = 'timeout', opts: SendOptions = {}): Delivery {
    const retryAttempt = (envelope.retry_attempt ?? 0) + 1
    return this.socket.send(envelope.type, envelope.payload, { retryAttempt, retryReason, ...opts })
  }

  /** A person posts (top level, or in a thread with thread_ts): stored, then delivered as a message event. */
  userMessage(m: { user: string; channel: string; text: string; thread_ts?: string }, opts?: SendOptions): Delivery {
    const parent = m.thread_ts === undefined ? undefined : this.workspace.message(m.channel, m.thread_ts)
    const ts = this.workspace.nextTs()
    this.workspace.store({
      channel: m.channel,
      type: 'message',
      ts,
      text: m.text,
      user: m.user,
      team: this.identity.teamId,
      ...(m.thread_ts !== undefined && { thread_ts: m.thread_ts }),
    })
    const event = personMessageEvent(this.identity, { ...m, ts, parentUser: parent?.user })
    return this.sendEnvelope('events_api', eventCallback(this.identity, event), opts)
  }

  userReplyInThread(
    m: { user: string; channel: string; thread_ts: string; text: string },
    opts?: SendOptions,
  ): Delivery {
    return this.userMessage(m, opts)
  }

  /** A person clicks a button; block_id and value default to those of the button with `action_id` in the message. */
  clickButton(
    c: { user: string; channel: string; message_ts: string; action_id: string; value?: string; block_id?: string },
    opts?: SendOptions,
  ): Delivery {
    const message = this.workspace.message(c.channel, c.message_ts)
    const found = findButton(message, c.action_id)
    const value = c.value ?? found?.value
    const button = {
      ...found,
      action_id: c.action_id,
      block_id: c.block_id ?? found?.block_id ?? 'fake-block',
      ...(value !== undefined && { value }),
    }
    const payload = blockActions(
      this.identity,
      {
        ...c,
        username: this.workspace.username(c.user),
        button,
        message: message ? toSlackMessage(message) : { type: 'message', ts: c.message_ts },
      },
      this.api.responseUrl(),
    )
    return this.sendEnvelope('interactive', payload, opts)
  }

  /** The message event Slack sends back for the bot's own post (bot_id set); apps must ignore it. */
  echoBotMessage(ref: { channel: string; ts: string }, opts?: SendOptions): Delivery {
    const m = this.workspace.mustFind(ref.channel, ref.ts)
    return this.sendEnvelope('events_api', eventCallback(this.identity, botMessageEvent(m)), opts)
  }

  /** The `message_changed` event that follows a chat.update of the message. */
  echoMessageChanged(ref: { channel: string; ts: string }, opts?: SendOptions): Delivery {
    const m = this.workspace.mustFind(ref.channel, ref.ts)
    const event = messageChangedEvent(m, this.workspace.previousVersion(m), this.workspace.nextTs())
    return this.sendEnvelope('events_api', eventCallback(this.identity, event), opts)
  }

  /** Abrupt TCP close (no close frame), like a network drop: every connection, or only those with these ids. */
  dropConnections(ids?: readonly number[]): void {
    this.socket.dropConnections(ids)
  }

  /** `{"type":"disconnect","reason":…}`, then the fake closes whatever is still open after graceMs. */
  sendDisconnect(reason?: string, graceMs?: number): Promise<void> {
    return this.socket.sendDisconnect(reason, graceMs)
  }

  /** Resolves at once if a connection is open (hello already sent), otherwise on the next one. */
  waitForConnection(timeoutMs?: number): Promise<ConnectionRecord> {
    return this.socket.waitForConnection(timeoutMs)
  }

  /** Resolves once connection `id` is closed on the fake's side, with its close code. */
  waitForClose(id: number, timeoutMs?: number): Promise<ConnectionRecord> {
    return this.socket.waitForClose(id, timeoutMs)
  }

  /** Disconnect SDK clients first, or they keep trying to reconnect to a closed port. */
  async close(): Promise<void> {
    await this.socket.close()
    await this.api.close()
  }
}
