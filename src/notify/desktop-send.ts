// Desktop pings, the send part: put a ping on the screen within a bound, say why not when it can't,
// and on Linux wire its buttons (notify-send --action) to the ping's onAction.
//
// Linux (and the BSDs): notify-send itself, through execFile with its own env and timeout, '--'
// before the texts. node-notifier ran the same notify-send, but through a shell, with no env option
// (hence a process.env swap), no timeout (a hung server held it 75 s), no '--' and no actions.
// macOS: osascript's `display notification`, part of macOS on every architecture. node-notifier's
// only macOS path is its bundled terminal-notifier 1.7.2, an x86_64 binary (Rosetta on Apple
// Silicon), run with `-timeout 10`: it waits up to 10 s for a click before reporting, for buttons
// tend never showed on macOS. So node-notifier earns nothing on either: it is not a dependency.
import { execFile, type ChildProcess } from 'node:child_process'
import { findOnPath, run } from './desktop-exec.ts'
import {
  closeNotificationArgs,
  describeError,
  desktopBackend,
  expireSec,
  notifySendArgs,
  osascriptArgs,
  wireKey,
  type DesktopBackend,
  type DesktopPing,
  type DesktopResult,
  type DesktopSettings,
} from './desktop-text.ts'

export interface DesktopSender {
  send(ping: DesktopPing): Promise<DesktopResult>
  /** stop waiting for buttons, and end sends still in flight */
  close(): void
}

export function createDesktopSender(
  settings: DesktopSettings,
  hasActions: (notifySend: string) => Promise<boolean>,
): DesktopSender {
  const { appName, timeoutMs, actionWaitMs, env, platform } = settings
  const backend = desktopBackend(platform)
  const live = new Set<ChildProcess>()
  const hung = `the notification server did not answer within ${timeoutMs / 1000} s (hung?)`

  const fail = (t0: number, error: string, via: DesktopResult['via'] = 'none'): DesktopResult => ({
    ok: false,
    error,
    via,
    buttons: false,
    ms: Date.now() - t0,
  })

  /** One popup, no buttons: done once the program has handed it to the notification server. */
  async function plain(file: string, args: string[], via: DesktopBackend, t0: number): Promise<DesktopResult> {
    const r = await run(file, args, { env, timeoutMs, live })
    if (r.killed) return fail(t0, hung, via)
    if (r.error) return fail(t0, describeError(r.error), via)
    return { ok: true, via, buttons: false, ms: Date.now() - t0 }
  }

  /** A popup with buttons: resolves once it is on screen (its id printed); `action` settles on a click or its end. */
  function withButtons(ping: DesktopPing, ns: string, stdbuf: string, t0: number): Promise<DesktopResult> {
    const byWire = new Map((ping.actions ?? []).map((a) => [wireKey(a.key), a.key]))
    const exp = expireSec(ping)
    let settle: (key: string | null) => void = () => {}
    const action = new Promise<string | null>((r) => {
      settle = r
    })
    return new Promise((resolve) => {
      let id: number | undefined,
        chosen: string | null = null,
        buf = ''
      // stdbuf -oL: notify-send's id line would otherwise sit in a pipe buffer until it exits
      const child = execFile(
        stdbuf,
        ['-oL', ns, ...notifySendArgs(ping, appName, true)],
        { env, encoding: 'utf8', timeout: exp > 0 ? exp * 1000 + timeoutMs : actionWaitMs },
        (err, _stdout, stderr) => {
          clearTimeout(timer)
          live.delete(child)
          if (id === undefined) {
            resolve(
              fail(
                t0,
                err?.killed ? hung : describeError(stderr.trim() || err || 'notify-send printed no notification id'),
                'notify-send',
              ),
            )
          } else if (err?.killed && chosen === null) closePopup(id)
          settle(chosen)
        },
      )
      live.add(child)
      const timer = setTimeout(() => {
        if (id === undefined) child.kill()
      }, timeoutMs)
      child.stdout?.on('data', (chunk: string) => {
        buf += chunk
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl).trim()
          buf = buf.slice(nl + 1)
          if (id === undefined && /^[1-9]\d*$/.test(line)) {
            // it prints 0 when Notify failed
            id = Number(line)
            clearTimeout(timer)
            resolve({ ok: true, via: 'notify-send', buttons: true, id, action, ms: Date.now() - t0 })
          } else if (id !== undefined && line && chosen === null) {
            chosen = byWire.get(line) ?? line
            try {
              ping.onAction?.(chosen)
            } catch {
              /* the caller's problem, not the channel's */
            }
          }
        }
      })
    })
  }

  /** We stop listening: take the now-dead buttons off the screen (best effort). */
  function closePopup(id: number): void {
    const ds = findOnPath('dbus-send', env.PATH)
    if (ds) void run(ds, closeNotificationArgs(id), { env, timeoutMs: 2000 })
  }

  async function viaNotifySend(ping: DesktopPing, t0: number): Promise<DesktopResult> {
    const ns = findOnPath('notify-send', env.PATH)
    if (!ns) return fail(t0, 'notify-send is not installed (install libnotify-bin)')
    if (ping.actions?.length) {
      const stdbuf = findOnPath('stdbuf', env.PATH)
      if (stdbuf && (await hasActions(ns))) return withButtons(ping, ns, stdbuf, t0)
    }
    return plain(ns, notifySendArgs(ping, appName, false), 'notify-send', t0)
  }

  async function viaOsascript(ping: DesktopPing, t0: number): Promise<DesktopResult> {
    const osascript = findOnPath('osascript', env.PATH)
    if (!osascript) return fail(t0, 'osascript not found (it is part of macOS: is /usr/bin on PATH?)')
    return plain(osascript, osascriptArgs(ping, appName), 'osascript', t0)
  }

  return {
    send(ping) {
      const t0 = Date.now()
      if (backend === 'notify-send') return viaNotifySend(ping, t0)
      if (backend === 'osascript') return viaOsascript(ping, t0)
      return Promise.resolve(fail(t0, `no desktop notifications on ${platform}: tend pings Linux and macOS desktops`))
    },
    close() {
      for (const child of live) child.kill()
    },
  }
}
