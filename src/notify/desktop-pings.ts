// The desktop as a ping channel: permission pings carry Approve / Deny, the rest an Open action.
import { execFile } from 'node:child_process'
import { userInfo } from 'node:os'
import type { Answer } from '../core/answer.ts'
import type { Services } from '../service/services.ts'
import { answerWait } from '../service/answers.ts'
import { agentPageUrl } from '../service/agent-link.ts'
import type { DigestPing, OutgoingPing, PingChannel, SendResult } from '../core/channel.ts'
import { createDesktopChannel } from './desktop.ts'
import { desktopBackend, type DesktopAction, type DesktopChannel, type DesktopChannelOptions } from './desktop-text.ts'

const PERMISSION_ACTIONS: DesktopAction[] = [
  { key: 'approve', label: 'Approve' },
  { key: 'deny', label: 'Deny' },
]
const OPEN_ACTION: DesktopAction[] = [{ key: 'open', label: 'Open' }]

export function createDesktopPings(
  services: Services,
  opts: DesktopChannelOptions = {},
  desktop: DesktopChannel = createDesktopChannel(opts),
): PingChannel {
  const platform = opts.platform ?? process.platform

  /** A button pressed on a ping: answer that exact wait, or say in a new popup why nothing was sent. */
  function onAction(ping: OutgoingPing, key: string) {
    if (key === 'open') {
      openInBrowser(agentPageUrl(services, ping.sessionId), platform)
      return
    }
    const answer: Answer =
      key === 'approve'
        ? { action: 'approve' }
        : { action: 'deny', message: 'Denied from a tend desktop notification.' }
    try {
      answerWait(services, { waitId: ping.waitId, answer, via: 'desktop', by: userInfo().username })
    } catch (err) {
      void desktop.send({ title: `${ping.label}: nothing sent`, body: (err as Error).message, urgency: 'normal' })
    }
  }

  return {
    name: 'desktop',
    // Linux and macOS (and the BSDs): elsewhere the policy pings Slack alone
    available: () => desktopBackend(platform) !== null,
    async send(ping: OutgoingPing): Promise<SendResult> {
      const result = await desktop.send({
        title: ping.title,
        body: ping.body,
        urgency: ping.kind === 'permission' || ping.step > 0 ? 'critical' : 'normal',
        actions: ping.kind === 'permission' ? PERMISSION_ACTIONS : OPEN_ACTION,
        onAction: (key) => onAction(ping, key),
      })
      return result.ok
        ? { ok: true, ref: { via: result.via, id: result.id ?? null, buttons: result.buttons } }
        : { ok: false, error: result.error ?? 'desktop notification failed' }
    },
    async sendDigest(digest: DigestPing): Promise<SendResult> {
      // Finished agents can wait: a quiet popup, no buttons (the dashboard shows the batch).
      const result = await desktop.send({ title: digest.title, body: digest.body, urgency: 'low' })
      return result.ok
        ? { ok: true, ref: { via: result.via, id: result.id ?? null } }
        : { ok: false, error: result.error ?? 'desktop notification failed' }
    },
    check: () => desktop.check(),
    close: () => desktop.close(),
  }
}

function openInBrowser(url: string, platform: NodeJS.Platform) {
  const opener = platform === 'darwin' ? 'open' : 'xdg-open'
  execFile(opener, [url], { timeout: 10_000 }, () => {
    // Best effort: a desktop without a browser opener just doesn't open.
  })
}
