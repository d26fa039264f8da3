// What the notifier needs from a channel (desktop, Slack): send a ping, follow up when the wait ends.
import type { ReplyPath } from './reply-path.ts'
import type { WaitKind } from './agent-state.ts'
import type { Channel, PlannedPing } from './notify-policy.ts'

/** What a part of tend says about itself in `tend doctor`. */
export interface DoctorCheck {
  name: string
  status: 'ok' | 'warn' | 'fail'
  lines: string[]
}

/** A planned ping with everything a channel may show about the agent and its wait. */
export interface OutgoingPing extends PlannedPing {
  kind: WaitKind
  label: string
  project: string
  cwd: string | null
  waitedMs: number
  /** The question, or the tool and command it wants to run. */
  what: string
  detail: Record<string, unknown>
  /** How a reply reaches the agent: as the person's own prompt (tend's mod) or as hook feedback. */
  replyPath: ReplyPath
}

export type SendResult = { ok: true; ref?: unknown } | { ok: false; error: string }

/** How a wait ended, for the follow-up ("answered at the terminal after 3m12s"). */
export interface WaitEnding {
  waitId: string
  endedBy: string | null
  endedVia: string | null
  answeredBy: string | null
  durationMs: number
  text: string
}

/** One ping for several finished agents (core/batching.ts): "3 agents finished" / "api 12m, web 8m, cli 3m". */
export interface DigestPing {
  title: string
  body: string
  items: Array<{ waitId: string; sessionId: string; name: string; waitedMs: number }>
}

export interface PingChannel {
  readonly name: Channel
  /** False when the channel can't work at all (e.g. Slack without tokens): the policy skips it. */
  available(): boolean
  send(ping: OutgoingPing): Promise<SendResult>
  /** The batched finished agents in one message; a channel without it gets no digest. */
  sendDigest?(digest: DigestPing): Promise<SendResult>
  /** The wait a ping was about has ended: update the ping in place where the channel can. */
  waitEnded?(ref: unknown, ping: { title: string | null; body: string | null }, ending: WaitEnding): Promise<void>
  check(): Promise<DoctorCheck>
  close(): Promise<void> | void
}
