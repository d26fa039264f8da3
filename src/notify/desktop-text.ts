// Desktop pings, the pure part: the types, and text and arguments that survive notify-send and
import type { DoctorCheck } from '../core/channel.ts'
// node-notifier (leading dashes, markup, backslashes, length). Tested directly.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export type Urgency = 'low' | 'normal' | 'critical'
export interface DesktopAction {
  key: string
  label: string
}
export interface DesktopPing {
  title: string
  body: string
  urgency: Urgency
  actions?: DesktopAction[]
  /** popup lifetime; 0 = until dismissed. Default: 0 for critical, 10 otherwise */
  timeoutSec?: number
  /** called at most once, with the key of the button the user pressed */
  onAction?: (key: string) => void
}
export interface DesktopResult {
  ok: boolean
  error?: string
  via: 'notify-send' | 'node-notifier' | 'none'
  /** the ping's actions are on screen as buttons */
  buttons: boolean
  id?: number
  /** with buttons: the key pressed, or null once dismissed, expired or no longer waited for */
  action?: Promise<string | null>
  ms: number
}
export interface DesktopChannelOptions {
  appName?: string
  /** bound for getting a ping onto the screen (node-notifier sets none; a hung server holds notify-send 75 s) */
  timeoutMs?: number
  /** bound for waiting on a button of a ping that never expires */
  actionWaitMs?: number
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}
export interface DesktopChannel {
  send(ping: DesktopPing): Promise<DesktopResult>
  check(): Promise<DoctorCheck>
  /** stop waiting for buttons (kills the notify-send processes still waiting) */
  close(): void
}

export const SUMMARY_MAX = 120,
  BODY_MAX = 1000,
  BODY_MAX_LINES = 12
const ZWSP = '\u200B'

/** Cut to `max` code points, at a word boundary when one is near the end, marked with '…'. */
export function truncate(text: string, max: number): string {
  const cps = Array.from(text)
  if (cps.length <= max) return text
  let cut = cps.slice(0, Math.max(0, max - 1)).join('')
  const space = cut.search(/\s\S*$/)
  if (space >= cut.length * 0.8) cut = cut.slice(0, space)
  return cut.trimEnd() + '…'
}

/** One line: control characters and whitespace runs (newlines too) become one space; never empty. */
export function cleanTitle(title: string, max = SUMMARY_MAX): string {
  return truncate(title.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim() || 'tend', max)
}

/** Keeps line breaks (up to BODY_MAX_LINES), tabs become spaces, other control characters go. */
export function cleanBody(body: string, max = BODY_MAX): string {
  const text = body
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '')
  let lines = text.split('\n').map((l) => l.trimEnd())
  if (lines.length > BODY_MAX_LINES) lines = [...lines.slice(0, BODY_MAX_LINES - 1), '…']
  return truncate(lines.join('\n').trim(), max)
}

/** The body is markup for servers with body-markup; an unescaped '&' makes dunst drop the markup of the whole popup. */
export function escapeMarkup(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** notify-send runs g_strcompress() on the body, which turns '\\' into '\' and '\t' into a tab. */
export function escapeBackslashes(s: string): string {
  return s.replace(/\\/g, '\\\\')
}

/** node-notifier puts no '--' before summary/body, so a leading '-' would be parsed as an option. */
export function guardDash(s: string): string {
  return s.startsWith('-') ? ZWSP + s : s
}

/** Summary (plain text by spec; dunst shows it literally) and body as notify-send must receive them. */
export function linuxText(ping: Pick<DesktopPing, 'title' | 'body'>): { summary: string; body: string } {
  return { summary: cleanTitle(ping.title), body: escapeBackslashes(escapeMarkup(cleanBody(ping.body))) }
}

export function expireSec(ping: Pick<DesktopPing, 'urgency' | 'timeoutSec'>): number {
  const t = ping.timeoutSec ?? (ping.urgency === 'critical' ? 0 : 10)
  return Number.isFinite(t) && t > 0 ? t : 0
}

/** notify-send splits --action at the first '=', so keys keep to a safe alphabet. */
export function wireKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_.:-]/g, '_') || '_'
}

/** argv for `notify-send` with buttons (execFile, no shell; '--' ends the options). */
export function notifySendArgs(ping: DesktopPing, appName: string): string[] {
  const { summary, body } = linuxText(ping)
  const args = [
    '--print-id',
    `--app-name=${appName}`,
    `--urgency=${ping.urgency}`,
    `--expire-time=${expireSec(ping) * 1000}`,
  ]
  for (const a of ping.actions ?? []) args.push(`--action=${wireKey(a.key)}=${cleanTitle(a.label || a.key, 40)}`)
  return [...args, '--', summary, body]
}

export interface NotifySendOptions {
  title: string
  message: string
  urgency: Urgency
  timeout: number
  'app-name': string
}

/** Options for node-notifier's NotifySend (it shell-quotes them, turns newlines into '\n' and seconds into ms). */
export function nodeNotifierOptions(ping: DesktopPing, appName: string): NotifySendOptions {
  const { summary, body } = linuxText(ping)
  return {
    title: guardDash(summary),
    message: guardDash(body) || ZWSP,
    urgency: ping.urgency,
    timeout: expireSec(ping),
    'app-name': appName,
  }
}

/** One line out of an exec error or stderr, with the likely cause in front. */
export function describeError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err)
  const lines = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Command failed:'))
  const msg = truncate(lines.at(-1) ?? 'unknown error', 300)
  if (/ServiceUnknown|not provided by any \.service/.test(msg)) return `no notification server is running (${msg})`
  if (/autolaunch|Could not connect|Failed to open connection/i.test(msg))
    return `cannot reach the session D-Bus (${msg})`
  if (/Timeout was reached|NoReply/.test(msg)) return `the notification server did not answer (${msg})`
  return msg
}

export function findOnPath(cmd: string, path = ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, cmd), constants.X_OK)
      return join(dir, cmd)
    } catch {
      /* next */
    }
  }
  return null
}
