// The desktop channel: the send part (desktop-send.ts) and the doctor part (desktop-doctor.ts) over
// one set of settings, sharing the one question both ask notify-send (does it have --action?).
// Their text and argv builders are in desktop-text.ts, the process helpers in desktop-exec.ts.
import { checkDesktop } from './desktop-doctor.ts'
import { createActionProbe } from './desktop-exec.ts'
import { createDesktopSender } from './desktop-send.ts'
import type { DesktopChannel, DesktopChannelOptions, DesktopSettings } from './desktop-text.ts'

export function createDesktopChannel(opts: DesktopChannelOptions = {}): DesktopChannel {
  const settings: DesktopSettings = {
    appName: opts.appName ?? 'tend',
    timeoutMs: opts.timeoutMs ?? 5000,
    actionWaitMs: opts.actionWaitMs ?? 30 * 60_000,
    env: opts.env ?? process.env,
    platform: opts.platform ?? process.platform,
  }
  const hasActions = createActionProbe(settings.env)
  const sender = createDesktopSender(settings, hasActions)
  return {
    send: (ping) => sender.send(ping),
    check: () => checkDesktop(settings, hasActions),
    close: () => sender.close(),
  }
}
