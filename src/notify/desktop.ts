// Desktop channel: node-notifier, hardened (bounded time, safe text, surfaced errors), plus notify-send buttons on Linux.
import { execFile, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import notifier from 'node-notifier'
import {
  cleanBody,
  cleanTitle,
  describeError,
  expireSec,
  findOnPath,
  nodeNotifierOptions,
  notifySendArgs,
  wireKey,
  type DesktopChannel,
  type DesktopChannelOptions,
  type DesktopPing,
  type DesktopResult,
} from './desktop-text.ts'
import type { DoctorCheck } from '../core/channel.ts'

// ---------------------------------------------------------------- processes
interface RunResult {
  stdout: string
  stderr: string
  error?: string
}
function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const killed = err && (err as { killed?: boolean }).killed
      const error = !err ? undefined : killed ? `no answer within ${timeoutMs} ms` : describeError(stderr.trim() || err)
      resolve({ stdout, stderr, error })
    })
  })
}

const SUPPRESS_WHICH = { suppressOsdCheck: true } as notifier.Option // we look notify-send up ourselves, per call

/** node-notifier execs with process.env and has no env option; exec copies it synchronously, so lend ours for the call. */
function withEnv(env: NodeJS.ProcessEnv, fn: () => void): void {
  if (env === process.env) return fn()
  const saved = process.env
  process.env = env
  try {
    fn()
  } finally {
    process.env = saved
  }
}

export function createDesktopChannel(opts: DesktopChannelOptions = {}): DesktopChannel {
  const appName = opts.appName ?? 'tend'
  const timeoutMs = opts.timeoutMs ?? 5000
  const actionWaitMs = opts.actionWaitMs ?? 30 * 60_000
  const env = opts.env ?? process.env
  const platform = opts.platform ?? process.platform
  const nn = new notifier.NotifySend(SUPPRESS_WHICH)
  const live = new Set<ChildProcess>()
  const helpCache = new Map<string, Promise<boolean>>()
  let hanging = 0 // node-notifier calls past our timeout: their notify-send cannot be killed, so don't pile more up

  const fail = (t0: number, error: string, via: DesktopResult['via'] = 'none'): DesktopResult => ({
    ok: false,
    error,
    via,
    buttons: false,
    ms: Date.now() - t0,
  })

  function hasActionFlag(ns: string): Promise<boolean> {
    let p = helpCache.get(ns)
    if (!p) {
      p = run(ns, ['--help'], env, 2000).then((r) => {
        if (r.error) helpCache.delete(ns) // ask again next time rather than remember a failure
        return /--action\b/.test(r.stdout)
      })
      helpCache.set(ns, p)
    }
    return p
  }

  function viaNodeNotifier(ping: DesktopPing, t0: number): Promise<DesktopResult> {
    const via = 'node-notifier'
    if (hanging > 0)
      return Promise.resolve(
        fail(t0, 'an earlier notification is still hanging: the notification server is not answering', via),
      )
    const options =
      platform === 'linux'
        ? nodeNotifierOptions(ping, appName)
        : { title: cleanTitle(ping.title), message: cleanBody(ping.body) || ' ', timeout: expireSec(ping) || 10 }
    return new Promise((resolve) => {
      let done = false,
        late = false
      const finish = (r: DesktopResult) => {
        if (!done) {
          done = true
          clearTimeout(timer)
          resolve(r)
        }
      }
      const timer = setTimeout(() => {
        late = true
        hanging++
        finish(fail(t0, `the notification server did not answer within ${timeoutMs / 1000} s (hung?)`, via))
      }, timeoutMs)
      // on Linux the callback's err is '' on success and may come synchronously
      const cb = (err: unknown) => {
        if (late) hanging--
        finish(err ? fail(t0, describeError(err), via) : { ok: true, via, buttons: false, ms: Date.now() - t0 })
      }
      try {
        if (platform === 'linux') withEnv(env, () => nn.notify(options, cb))
        else notifier.notify(options, cb)
      } catch (err) {
        finish(fail(t0, describeError(err), via))
      }
    })
  }

  function viaNotifySend(ping: DesktopPing, ns: string, stdbuf: string, t0: number): Promise<DesktopResult> {
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
        ['-oL', ns, ...notifySendArgs(ping, appName)],
        { env, encoding: 'utf8', timeout: exp > 0 ? exp * 1000 + timeoutMs : actionWaitMs },
        (err, _stdout, stderr) => {
          clearTimeout(timer)
          live.delete(child)
          if (id === undefined) {
            resolve(
              fail(
                t0,
                err?.killed
                  ? `the notification server did not answer within ${timeoutMs / 1000} s (hung?)`
                  : describeError(stderr.trim() || err || 'notify-send printed no notification id'),
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
    if (ds)
      void run(
        ds,
        [
          '--session',
          '--type=method_call',
          '--dest=org.freedesktop.Notifications',
          '/org/freedesktop/Notifications',
          'org.freedesktop.Notifications.CloseNotification',
          `uint32:${id}`,
        ],
        env,
        2000,
      )
  }

  async function send(ping: DesktopPing): Promise<DesktopResult> {
    const t0 = Date.now()
    if (platform !== 'linux') return viaNodeNotifier(ping, t0)
    const ns = findOnPath('notify-send', env.PATH)
    if (!ns) return fail(t0, 'notify-send is not installed (install libnotify-bin)')
    const stdbuf = findOnPath('stdbuf', env.PATH)
    if (ping.actions?.length && stdbuf && (await hasActionFlag(ns))) return viaNotifySend(ping, ns, stdbuf, t0)
    return viaNodeNotifier(ping, t0)
  }

  async function check(): Promise<DoctorCheck> {
    const name = 'desktop notifications'
    if (platform === 'darwin') {
      return {
        name,
        status: 'ok',
        lines: [
          'macOS: via terminal-notifier (node-notifier); allow "terminal-notifier" in System Settings > Notifications' +
            (process.arch === 'arm64' ? '; it is an Intel binary and needs Rosetta' : ''),
        ],
      }
    }
    if (platform !== 'linux')
      return { name, status: 'ok', lines: [`${platform}: via node-notifier, not checked further`] }
    const fails: string[] = [],
      warns: string[] = [],
      oks: string[] = []
    const ns = findOnPath('notify-send', env.PATH)
    if (!ns) fails.push('notify-send is not installed: install libnotify-bin (sudo apt-get install libnotify-bin)')
    const runtimeBus = env.XDG_RUNTIME_DIR && existsSync(join(env.XDG_RUNTIME_DIR, 'bus'))
    const ds = findOnPath('dbus-send', env.PATH)
    const call = (dest: string, method: string, arg?: string) =>
      run(
        ds ?? 'dbus-send',
        [
          '--session',
          '--print-reply=literal',
          '--reply-timeout=2000',
          `--dest=${dest}`,
          `/${dest.replace(/\./g, '/')}`,
          `${dest}.${method}`,
          ...(arg ? [arg] : []),
        ],
        env,
        3000,
      )
    let server = ''
    if (!env.DBUS_SESSION_BUS_ADDRESS && !runtimeBus && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
      fails.push(
        'no desktop session: DBUS_SESSION_BUS_ADDRESS and DISPLAY are unset (started over ssh or as a system service?)',
      )
    } else if (ds) {
      const owned = await call('org.freedesktop.DBus', 'NameHasOwner', 'string:org.freedesktop.Notifications')
      const info =
        owned.error || !/true/.test(owned.stdout)
          ? undefined
          : await call('org.freedesktop.Notifications', 'GetServerInformation')
      if (owned.error) fails.push(`cannot reach the session D-Bus: ${owned.error}`)
      else if (!info)
        fails.push(
          "no notification server is running (nobody owns org.freedesktop.Notifications): start dunst, mako or your desktop's daemon",
        )
      else if (info.error) fails.push(`the notification server does not answer (hung?): ${info.error}`)
      else {
        const [srv = '?', , version = ''] = info.stdout.trim().split(/\s{2,}/)
        server = srv
        oks.push(`notification server: ${srv} ${version}`.trim())
        const caps = await call('org.freedesktop.Notifications', 'GetCapabilities')
        if (!caps.error && !/\bactions\b/.test(caps.stdout))
          warns.push(`${srv} does not show buttons: pings come without Approve/Deny`)
      }
    } else if (ns) {
      // no dbus-send: let notify-send tell what is wrong, with a popup that vanishes at once
      const probe = await run(
        ns,
        ['--transient', '--urgency=low', '--expire-time=1', `--app-name=${appName}`, '--', 'tend doctor', 'test'],
        env,
        timeoutMs,
      )
      if (probe.error) fails.push(`notify-send fails: ${probe.error}`)
      else
        warns.push('dbus-send not found (install dbus-bin): the notification server was only probed with a test popup')
    }
    const dunstctl = findOnPath('dunstctl', env.PATH)
    if (server === 'dunst' && dunstctl) {
      const paused = await run(dunstctl, ['is-paused'], env, 3000)
      if (paused.stdout.trim() === 'true')
        warns.push('dunst is paused (do-not-disturb): pings are queued, not shown; run: dunstctl set-paused false')
    }
    if (ns) {
      if (!(await hasActionFlag(ns)))
        warns.push('this notify-send has no --action (needs libnotify >= 0.7.10): pings come without buttons')
      else if (!findOnPath('stdbuf', env.PATH)) warns.push('stdbuf (coreutils) not found: pings come without buttons')
      else oks.push('buttons: supported by notify-send')
    }
    const status = fails.length ? 'fail' : warns.length ? 'warn' : 'ok'
    return { name, status, lines: [...fails, ...warns, ...oks] }
  }

  return {
    send,
    check,
    close: () => {
      for (const child of live) child.kill()
    },
  }
}
