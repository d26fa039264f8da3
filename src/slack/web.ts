// Slack's Web API for tend: bounded calls (timeout, capped retries, Retry-After honoured), errors said in one redacted line.
import { setTimeout as sleep } from 'node:timers/promises'
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type Logger as SlackLogger,
} from '@slack/web-api'
import type { Logger } from '../log.ts'

/** How hard one call tries. Sends fail fast (the notifier retries them with its own backoff); updates try longer. */
export interface RetryPolicy {
  attempts: number
  firstMs: number
  maxMs: number
  /** Wait out a Retry-After up to this long; longer (or 0) fails the call at once. */
  maxRateWaitMs: number
  /** Fail at once while Slack is known to hang (a recent timeout): the notifier sends in series, desktop included. */
  failFast?: boolean
}

export const SEND_POLICY: RetryPolicy = { attempts: 2, firstMs: 500, maxMs: 2000, maxRateWaitMs: 0, failFast: true }
export const UPDATE_POLICY: RetryPolicy = { attempts: 5, firstMs: 1000, maxMs: 15_000, maxRateWaitMs: 60_000 }
/** After a timeout, fail-fast calls don't try Slack for this long. */
export const HANG_COOLDOWN_MS = 15_000

const isTimeout = (err: unknown) =>
  err instanceof WebAPIRequestError && /^(TimeoutError|AbortError)$/.test(err.original?.name ?? '')

/** Tokens must never reach a log line or an error shown to anyone. */
export function redact(text: string): string {
  return text.replace(/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, 'x***-[redacted]')
}

/** One line a person can act on. */
export function describeSlackError(err: unknown): string {
  if (err instanceof WebAPIRateLimitedError) return `rate limited by Slack (retry after ${err.retryAfter}s)`
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error
    const hint = AUTH_ERRORS.has(code) ? ' (check the token: SLACK_BOT_TOKEN / slack.botToken)' : ''
    return redact(`Slack said ${code}${hint}`)
  }
  if (err instanceof WebAPIHTTPError) return `Slack answered HTTP ${err.statusCode}`
  if (isTimeout(err)) return 'Slack did not answer in time'
  if (err instanceof WebAPIRequestError) return redact(`cannot reach Slack: ${err.original?.message ?? err.message}`)
  if (err instanceof Error && err.name === 'AbortError') return 'stopped'
  return redact(err instanceof Error ? err.message : String(err))
}

export const AUTH_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'user_removed_from_team',
  'team_disabled',
  'not_allowed_token_type',
])

/** The SDKs' own logging, through ours: warnings and errors only (their debug lines echo payloads). */
export function slackLogger(log: Logger, name: string): SlackLogger {
  let level = LogLevel.WARN
  const line = (...msg: unknown[]) => redact(msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '))
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => log.warn(`${name}: ${line(...msg)}`),
    error: (...msg: unknown[]) => log.warn(`${name}: ${line(...msg)}`),
    setLevel: (l: LogLevel) => {
      level = l
    },
    getLevel: () => level,
    setName() {},
  }
}

export interface SlackWeb {
  readonly client: WebClient
  /** Runs one Web API call under a retry policy; rejects with the last error. */
  call<T>(fn: (client: WebClient) => Promise<T>, policy?: RetryPolicy): Promise<T>
  /** Ends pending waits (receiver shutdown). */
  close(): void
}

export interface SlackWebOptions {
  token: string
  apiUrl?: string
  log: Logger
  /** Per attempt. */
  timeoutMs?: number
}

export function createSlackWeb(opts: SlackWebOptions): SlackWeb {
  // The SDK's own retries (default: ten over about 30 minutes) would hold a ping for half an hour: off; ours are bounded.
  const client = new WebClient(opts.token, {
    slackApiUrl: opts.apiUrl,
    timeout: opts.timeoutMs ?? 5000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: slackLogger(opts.log, 'slack web'),
  })
  const stop = new AbortController()
  /** After a 429, nothing is sent before Slack's Retry-After has passed. */
  let pausedUntil = 0
  let hungUntil = 0

  async function call<T>(fn: (c: WebClient) => Promise<T>, policy: RetryPolicy = SEND_POLICY): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (policy.failFast && hungUntil > Date.now())
        throw new Error('Slack did not answer in time just now; not trying again yet')
      const pause = pausedUntil - Date.now()
      if (pause > 0) {
        if (pause > policy.maxRateWaitMs)
          throw new Error(`rate limited by Slack for another ${Math.ceil(pause / 1000)}s`)
        await sleep(pause, undefined, { signal: stop.signal })
      }
      try {
        return await fn(client)
      } catch (err) {
        if (err instanceof WebAPIRateLimitedError)
          pausedUntil = Math.max(pausedUntil, Date.now() + err.retryAfter * 1000)
        if (isTimeout(err)) hungUntil = Date.now() + HANG_COOLDOWN_MS
        if (attempt >= policy.attempts || stop.signal.aborted || (policy.failFast && isTimeout(err))) throw err
        if (err instanceof WebAPIRateLimitedError) {
          if (err.retryAfter * 1000 > policy.maxRateWaitMs) throw err
          continue // the pause above waits it out
        }
        if (!(err instanceof WebAPIRequestError || err instanceof WebAPIHTTPError)) throw err
        await sleep(Math.min(policy.maxMs, policy.firstMs * 2 ** (attempt - 1)), undefined, { signal: stop.signal })
      }
    }
  }

  return { client, call, close: () => stop.abort() }
}
