// What `tend doctor` says about Slack: the bot token (auth.test), where pings go, who may answer, the socket.
import type { DoctorCheck } from '../core/channel.ts'
import type { Logger } from '../log.ts'
import { formatDuration } from '../core/duration.ts'
import type { SocketStatus } from './socket.ts'
import { answerers, destinationText, slackMissing, type SlackSettings } from './settings.ts'
import { createSlackWeb, describeSlackError, type SlackWeb } from './web.ts'

export interface AuthInfo {
  botUserId: string
  botName: string | null
  teamId: string | null
  team: string | null
}

/** auth.test, once, fast. */
export async function whoAmI(web: SlackWeb): Promise<AuthInfo> {
  const res = await web.call((c) => c.auth.test(), { attempts: 1, firstMs: 0, maxMs: 0, maxRateWaitMs: 0 })
  return {
    botUserId: res.user_id ?? '',
    botName: res.user ?? null,
    teamId: res.team_id ?? null,
    team: res.team ?? null,
  }
}

export function socketLine(s: SocketStatus, now = Date.now()): string {
  const ago = (t: number) => `${formatDuration(now - t)} ago`
  const error = s.lastError ? `; last error: ${s.lastError}` : ''
  switch (s.state) {
    case 'connected': {
      const reconnects = s.reconnects ? ` (${s.reconnects} reconnect${s.reconnects > 1 ? 's' : ''} so far)` : ''
      return `socket: connected ${s.connectedAt ? ago(s.connectedAt) : ''}${reconnects}`.trim()
    }
    case 'reconnecting': {
      const next = s.nextTryAt ? `, next try in ${formatDuration(Math.max(0, s.nextTryAt - now))}` : ''
      const failed = `${s.failures} failed attempt${s.failures === 1 ? '' : 's'}`
      return `socket: reconnecting since ${ago(s.since)} (${failed}${next})${error}`
    }
    case 'error':
      return `socket: not connected: ${s.lastError ?? 'unknown error'}`
    default:
      return `socket: ${s.state}${error}`
  }
}

export interface SlackCheckInput {
  settings: SlackSettings
  enabled: boolean
  web: SlackWeb
  /** null: this process doesn't own the socket (the receiver does). */
  socket: SocketStatus | null
}

export async function slackCheck(input: SlackCheckInput): Promise<DoctorCheck> {
  const lines: string[] = []
  let status: DoctorCheck['status'] = 'ok'
  const worst = (s: DoctorCheck['status']) => {
    if (s === 'fail' || (s === 'warn' && status === 'ok')) status = s
  }
  try {
    const me = await whoAmI(input.web)
    const team = `${me.team ?? 'team'} ${me.teamId ? `(${me.teamId})` : ''}`.trim()
    lines.push(`bot ${me.botName ? `@${me.botName} ` : ''}(${me.botUserId}) in ${team}`)
  } catch (err) {
    worst('fail')
    lines.push(`auth.test failed: ${describeSlackError(err)}`)
  }
  lines.push(destinationText(input.settings))
  const allowed = answerers(input.settings)
  if (allowed.size) lines.push(`answers accepted from ${[...allowed].join(', ')}`)
  else {
    worst('warn')
    lines.push('nobody may answer from Slack: set slack.user or slack.allowedUsers')
  }
  if (!input.enabled) {
    worst('warn')
    lines.push('notify.slack.enabled is false: Slack is never pinged')
  }
  if (input.socket) {
    lines.push(socketLine(input.socket))
    if (input.socket.state === 'error') worst('fail')
    else if (input.socket.state !== 'connected') worst('warn')
  } else {
    lines.push('socket: owned by the receiver (start `tend serve` for replies and buttons)')
  }
  return { name: 'slack', status, lines }
}

/** tend doctor without a receiver: what this terminal's settings would do. */
export async function slackCheckFromHere(settings: SlackSettings, enabled: boolean, log: Logger): Promise<DoctorCheck> {
  const missing = slackMissing(settings)
  if (!settings.botToken && !settings.appToken && !settings.user && !settings.channel) {
    return { name: 'slack', status: 'ok', lines: ['not set up (optional): run `tend slack setup`'] }
  }
  if (!settings.botToken)
    return { name: 'slack', status: 'fail', lines: [`not wired in: missing ${missing.join('; ')}`] }
  const web = createSlackWeb({ token: settings.botToken, apiUrl: settings.apiUrl, log, timeoutMs: 5000 })
  try {
    const check = await slackCheck({ settings, enabled, web, socket: null })
    if (missing.length) {
      check.status = 'fail'
      check.lines.push(`not wired in: missing ${missing.join('; ')}`)
    }
    return check
  } finally {
    web.close()
  }
}
