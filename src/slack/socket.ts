// The receiver's one Socket Mode connection: started in the background, reconnected with capped backoff, its state kept for doctor.
import { setTimeout as sleep } from 'node:timers/promises'
import { SlackSocketModeError, SocketModeClient } from '@slack/socket-mode'
import { SlackError, WebAPIPlatformError } from '@slack/web-api'
import type { Logger } from '../log.ts'
import { AUTH_ERRORS, describeSlackError, slackLogger } from './web.ts'

export type SocketState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'error'

export interface SocketStatus {
  state: SocketState
  since: number
  lastError: string | null
  connectedAt: number | null
  /** Connections made after the first one. */
  reconnects: number
  /** Failed attempts since the last connection. */
  failures: number
  nextTryAt: number | null
}

/** One delivery from Slack, already acked. */
export interface InboundEnvelope {
  type: string
  envelopeId: string
  body: Record<string, unknown>
  retryNum?: number
}

export interface SlackSocketOptions {
  appToken: string | undefined
  apiUrl?: string
  log: Logger
  onEnvelope(envelope: InboundEnvelope): Promise<void> | void
  /** Connected again after a drop that began at downSince (ms): a chance to catch up on what the gap hid. */
  onReconnected?(downSince: number): Promise<void> | void
  /** The SDK's ping watchdog (ms): a silent socket is dropped after this long. */
  clientPingTimeoutMs?: number
  /** Backoff between connection attempts: firstMs, doubling, capped at maxMs; forever. */
  reconnect?: { firstMs: number; maxMs: number }
}

export interface SlackSocket {
  /** Returns at once; the connection comes up in the background. */
  start(): void
  stop(): Promise<void>
  status(): SocketStatus
}

/** The checks a person can fix; retrying them only hammers apps.connections.open. */
function unrecoverable(err: unknown): boolean {
  return err instanceof WebAPIPlatformError && AUTH_ERRORS.has(err.data.error)
}

function isSlackOrigin(reason: unknown): boolean {
  return reason === undefined || reason instanceof SlackSocketModeError || reason instanceof SlackError
}

export function createSlackSocket(opts: SlackSocketOptions): SlackSocket {
  const { log } = opts
  const backoff = opts.reconnect ?? { firstMs: 1000, maxMs: 30_000 }
  const status: SocketStatus = {
    state: 'idle',
    since: Date.now(),
    lastError: null,
    connectedAt: null,
    reconnects: 0,
    failures: 0,
    nextTryAt: null,
  }
  let client: SocketModeClient | null = null
  let timer: NodeJS.Timeout | null = null
  let inflight: Promise<void> | null = null
  let stopping = false
  let everConnected = false
  let downSince: number | null = null

  function set(state: SocketState, error?: string) {
    if (error !== undefined) status.lastError = error
    if (status.state === state) return
    status.state = state
    status.since = Date.now()
    const fields = { state, ...(error ? { error } : {}) }
    if (state === 'error' || state === 'reconnecting') log.warn('slack socket', fields)
    else log.info('slack socket', fields)
  }

  // The SDK has raised unhandled rejections around reconnects and shutdown (node-slack-sdk#2656): log those, never crash.
  const guard = (reason: unknown) => {
    if (isSlackOrigin(reason)) {
      log.warn('slack socket: unhandled rejection in the SDK', { error: describeSlackError(reason) })
      return
    }
    if (process.listenerCount('unhandledRejection') === 1) throw reason // as Node would without us
  }

  type SdkDelivery = {
    ack(): Promise<void>
    envelope_id: string
    type: string
    body: Record<string, unknown>
    retry_num?: number
  }
  async function receive(e: SdkDelivery) {
    // Ack first, always (Slack retries after 3 s, and a clicker sees an error): slow work comes after.
    try {
      await e.ack()
    } catch (err) {
      log.warn('slack ack failed', { envelopeId: e.envelope_id, error: describeSlackError(err) })
    }
    try {
      await opts.onEnvelope({ type: e.type, envelopeId: e.envelope_id, body: e.body ?? {}, retryNum: e.retry_num })
    } catch (err) {
      log.error('slack event failed', { envelopeId: e.envelope_id, error: describeSlackError(err) })
    }
  }

  function schedule() {
    if (stopping || timer) return
    const delay = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, status.failures - 1))
    status.nextTryAt = Date.now() + delay
    timer = setTimeout(() => {
      timer = null
      status.nextTryAt = null
      connect()
    }, delay)
  }

  function connect() {
    if (stopping || !client || inflight) return
    set(everConnected || status.failures > 0 ? 'reconnecting' : 'connecting')
    const c = client
    inflight = c
      .start()
      .then(
        () => {
          if (stopping) return void c.disconnect().catch(() => {})
          if (everConnected) status.reconnects++
          everConnected = true
          status.failures = 0
          status.connectedAt = Date.now()
          set('connected')
          const since = downSince
          downSince = null
          if (since !== null && opts.onReconnected) {
            void Promise.resolve(opts.onReconnected(since)).catch((err: unknown) =>
              log.warn('slack catch-up after reconnect failed', { error: describeSlackError(err) }),
            )
          }
        },
        (err: unknown) => {
          if (stopping) return
          const error = err === undefined ? 'the connection closed before Slack said hello' : describeSlackError(err)
          if (unrecoverable(err)) return set('error', `${error}; fix the app-level token and restart the receiver`)
          status.failures++
          set('reconnecting', error)
          schedule()
        },
      )
      .finally(() => {
        inflight = null
      })
  }

  return {
    status: () => ({ ...status }),
    start() {
      if (client || stopping) return
      if (!opts.appToken) return set('error', 'no app-level token: set SLACK_APP_TOKEN or slack.appToken (xapp-…)')
      // A bot token here makes the SDK's start() hang for ever (not_allowed_token_type counts as recoverable).
      if (!opts.appToken.startsWith('xapp-')) {
        return set(
          'error',
          `the app-level token must start with xapp- (this one starts with ${opts.appToken.slice(0, 5)}…)`,
        )
      }
      process.on('unhandledRejection', guard)
      // Reconnects are ours, not the SDK's: its own path leaks rejections and backs off without a cap.
      client = new SocketModeClient({
        appToken: opts.appToken,
        autoReconnectEnabled: false,
        clientPingTimeout: opts.clientPingTimeoutMs ?? 5000,
        logger: slackLogger(log, 'slack socket'),
        clientOptions: {
          slackApiUrl: opts.apiUrl,
          timeout: 10_000,
          retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
        },
      })
      client.on('slack_event', (e) => void receive(e))
      client.on('error', (err: unknown) => {
        status.lastError = describeSlackError(err)
      })
      client.on('disconnected', () => {
        // A live connection dropped (a failed attempt is handled where it started).
        if (stopping || status.state !== 'connected') return
        downSince = Date.now()
        set('reconnecting')
        schedule()
      })
      connect()
    },
    async stop() {
      if (stopping) return
      stopping = true
      if (timer) clearTimeout(timer)
      timer = null
      status.nextTryAt = null
      const c = client
      if (c) {
        const bounded = (p: Promise<unknown>, ms: number) =>
          Promise.race([p.catch(() => {}), sleep(ms, undefined, { ref: false })])
        if (inflight) await bounded(inflight, 2000)
        await bounded(c.disconnect(), 3000)
      }
      set('disconnected')
      process.off('unhandledRejection', guard)
    },
  }
}
