// Desktop pings, the pure part: the channel's types, and the text and argv that survive notify-send
// (leading dashes, markup, backslashes, length), osascript and dbus-send. No I/O; tested directly.
import { clip } from '../core/clip.ts'
import type { DoctorCheck } from '../core/channel.ts'

// cli/doctor.ts looks curl up with this; it lives with the other process helpers now.
export { findOnPath } from './desktop-exec.ts'

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
/** The program that puts a ping on the screen. */
export type DesktopBackend = 'notify-send' | 'osascript'
export interface DesktopResult {
  ok: boolean
  error?: string
  via: DesktopBackend | 'none'
  /** the ping's actions are on screen as buttons */
  buttons: boolean
  id?: number
  /** with buttons: the key pressed, or null once dismissed, expired or no longer waited for */
  action?: Promise<string | null>
  ms: number
}
export interface DesktopChannelOptions {
  appName?: string
  /** bound for getting a ping onto the screen (a hung server holds notify-send 75 s) */
  timeoutMs?: number
  /** bound for waiting on a button of a ping that never expires */
  actionWaitMs?: number
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}
/** The options with their defaults filled in, as the send and doctor parts get them. */
export type DesktopSettings = Required<DesktopChannelOptions>
export interface DesktopChannel {
  send(ping: DesktopPing): Promise<DesktopResult>
  check(): Promise<DoctorCheck>
  /** stop waiting for buttons (kills the notify-send processes still waiting) */
  close(): void
}

/** notify-send where freedesktop notifications live (Linux, the BSDs), osascript on macOS, nothing elsewhere. */
export function desktopBackend(platform: NodeJS.Platform): DesktopBackend | null {
  if (platform === 'darwin') return 'osascript'
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd')
    return 'notify-send'
  return null
}

export const SUMMARY_MAX = 120,
  BODY_MAX = 1000,
  BODY_MAX_LINES = 12

/** Cut to `max` code points, at a word boundary when one is near the end, marked with '…'. */
export const truncate = (text: string, max: number): string => clip(text, max, { atWord: true })

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

/**
 * argv for `notify-send` (execFile, no shell). '--' ends the options, so a summary or body starting
 * with '-' (or a title "--help") is text, never a flag. With `buttons`, the ping's actions become
 * `--action`s and `--print-id` makes notify-send print the id, then wait and print the key pressed.
 */
export function notifySendArgs(ping: DesktopPing, appName: string, buttons = Boolean(ping.actions?.length)): string[] {
  const { summary, body } = linuxText(ping)
  const args = [`--app-name=${appName}`, `--urgency=${ping.urgency}`, `--expire-time=${expireSec(ping) * 1000}`]
  if (buttons) {
    args.unshift('--print-id')
    for (const a of ping.actions ?? []) args.push(`--action=${wireKey(a.key)}=${cleanTitle(a.label || a.key, 40)}`)
  }
  return [...args, '--', summary, body]
}

/**
 * argv for macOS's `osascript`: the texts travel as arguments of the run handler, never inside the
 * script, so no AppleScript quoting is involved. The first argument is a fixed word (the app name,
 * unused): osascript stops looking for options there, so a title starting with '-' stays text.
 * Plain text: no markup, and backslashes are not compressed.
 */
export function osascriptArgs(ping: Pick<DesktopPing, 'title' | 'body'>, appName: string): string[] {
  return [
    '-e',
    'on run argv',
    '-e',
    'display notification (item 3 of argv) with title (item 2 of argv)',
    '-e',
    'end run',
    appName.replace(/^-+/, '') || 'tend',
    cleanTitle(ping.title),
    cleanBody(ping.body),
  ]
}

/** argv for `dbus-send`: call `method` of the session bus service `dest` (at its conventional path). */
export function dbusCallArgs(dest: string, method: string, arg?: string): string[] {
  return [
    '--session',
    '--print-reply=literal',
    '--reply-timeout=2000',
    `--dest=${dest}`,
    `/${dest.replace(/\./g, '/')}`,
    `${dest}.${method}`,
    ...(arg ? [arg] : []),
  ]
}

/** argv for `dbus-send`: take popup `id` off the screen. */
export function closeNotificationArgs(id: number): string[] {
  return [
    '--session',
    '--type=method_call',
    '--dest=org.freedesktop.Notifications',
    '/org/freedesktop/Notifications',
    'org.freedesktop.Notifications.CloseNotification',
    `uint32:${id}`,
  ]
}

/** GetServerInformation as `dbus-send --print-reply=literal` prints it: name, vendor, version, spec version. */
export function parseServerInfo(stdout: string): { name: string; version: string } {
  const [name = '?', , version = ''] = stdout.trim().split(/\s{2,}/)
  return { name, version }
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
