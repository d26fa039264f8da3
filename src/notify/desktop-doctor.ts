// Desktop pings, the doctor part: what `tend doctor` shows about this desktop. Is notify-send there,
// is there a session (D-Bus / DISPLAY), does a notification server own the name and answer, does it
// show buttons, is it paused; on macOS, what osascript needs. Sends nothing a person would see.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { DoctorCheck } from '../core/channel.ts'
import { findOnPath, run } from './desktop-exec.ts'
import { dbusCallArgs, describeError, desktopBackend, parseServerInfo, type DesktopSettings } from './desktop-text.ts'

const NAME = 'desktop notifications'

export async function checkDesktop(
  settings: DesktopSettings,
  hasActions: (notifySend: string) => Promise<boolean>,
): Promise<DoctorCheck> {
  const backend = desktopBackend(settings.platform)
  if (backend === 'osascript') return checkMacos(settings)
  if (backend === 'notify-send') return checkFreedesktop(settings, hasActions)
  return {
    name: NAME,
    status: 'warn',
    lines: [`${settings.platform}: tend shows no desktop notifications here (Linux and macOS only); Slack still works`],
  }
}

function checkMacos({ env }: DesktopSettings): DoctorCheck {
  if (!findOnPath('osascript', env.PATH))
    return { name: NAME, status: 'fail', lines: ['osascript not found (it is part of macOS: is /usr/bin on PATH?)'] }
  return {
    name: NAME,
    status: 'ok',
    lines: [
      'macOS: via osascript (display notification); pings show as from "Script Editor": allow it in System Settings > Notifications',
      'no buttons on macOS: answer with the CLI or Slack; Focus / Do Not Disturb hides pings silently',
    ],
  }
}

async function checkFreedesktop(
  { appName, timeoutMs, env }: DesktopSettings,
  hasActions: (notifySend: string) => Promise<boolean>,
): Promise<DoctorCheck> {
  const fails: string[] = [],
    warns: string[] = [],
    oks: string[] = []
  const ns = findOnPath('notify-send', env.PATH)
  if (!ns) fails.push('notify-send is not installed: install libnotify-bin (sudo apt-get install libnotify-bin)')
  const runtimeBus = env.XDG_RUNTIME_DIR && existsSync(join(env.XDG_RUNTIME_DIR, 'bus'))
  const ds = findOnPath('dbus-send', env.PATH)
  const call = async (dest: string, method: string, arg?: string) => {
    const r = await run(ds ?? 'dbus-send', dbusCallArgs(dest, method, arg), { env, timeoutMs: 3000 })
    return { ...r, error: r.error && describeError(r.error) }
  }
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
      const { name, version } = parseServerInfo(info.stdout)
      server = name
      oks.push(`notification server: ${name} ${version}`.trim())
      const caps = await call('org.freedesktop.Notifications', 'GetCapabilities')
      if (!caps.error && !/\bactions\b/.test(caps.stdout))
        warns.push(`${name} does not show buttons: pings come without Approve/Deny`)
    }
  } else if (ns) {
    // no dbus-send: let notify-send tell what is wrong, with a popup that vanishes at once
    const probe = await run(
      ns,
      ['--transient', '--urgency=low', '--expire-time=1', `--app-name=${appName}`, '--', 'tend doctor', 'test'],
      { env, timeoutMs },
    )
    if (probe.error) fails.push(`notify-send fails: ${describeError(probe.error)}`)
    else warns.push('dbus-send not found (install dbus-bin): the notification server was only probed with a test popup')
  }
  const dunstctl = findOnPath('dunstctl', env.PATH)
  if (server === 'dunst' && dunstctl) {
    const paused = await run(dunstctl, ['is-paused'], { env, timeoutMs: 3000 })
    if (paused.stdout.trim() === 'true')
      warns.push('dunst is paused (do-not-disturb): pings are queued, not shown; run: dunstctl set-paused false')
  }
  if (ns) {
    if (!(await hasActions(ns)))
      warns.push('this notify-send has no --action (needs libnotify >= 0.7.10): pings come without buttons')
    else if (!findOnPath('stdbuf', env.PATH)) warns.push('stdbuf (coreutils) not found: pings come without buttons')
    else oks.push('buttons: supported by notify-send')
  }
  const status = fails.length ? 'fail' : warns.length ? 'warn' : 'ok'
  return { name: NAME, status, lines: [...fails, ...warns, ...oks] }
}
