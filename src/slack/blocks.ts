// Block Kit for a Slack ping, pure: the card (what a blocked agent waits for), its open form and its ended form.
import type { WaitKind } from '../core/agent-state.ts'
import { formatDuration } from '../core/duration.ts'
import { KIND_TEXT, toolTarget } from '../core/wait-summary.ts'
import type { OutgoingPing } from '../core/channel.ts'
import type { ReplyPath } from '../core/reply-path.ts'
import { clip } from '../core/clip.ts'
import { codeBlock, escapeClip, escapeKeepingMentions } from './mrkdwn.ts'

/** Slack's limits (Block Kit reference): a longer text makes the whole post fail with invalid_blocks. */
export const LIMITS = { header: 150, section: 3000, context: 3000, buttonValue: 2000, fallback: 300 } as const

export const ACTION = { approve: 'tend_approve', deny: 'tend_deny' } as const

/** Everything a Slack message shows about one wait; kept in the ping's ref so the message can be rebuilt. */
export interface PingCard {
  waitId: string
  label: string
  project: string
  cwd: string | null
  kind: WaitKind
  /** Permission: the tool and what it would run or touch. */
  tool: string | null
  target: string | null
  /** Question, done or error: what the agent said last (or asks). */
  message: string | null
  error: string | null
  waitedMs: number
  others: { count: number; longestMs: number }
  /** How a thread reply reaches the agent (absent on cards stored before it was known). */
  replyPath?: ReplyPath
}

export type Block = { type: string; [key: string]: unknown }
export interface SlackMessage {
  /** The notification text (and what clients without blocks show). */
  text: string
  blocks: Block[]
}

const KIND_EMOJI: Record<WaitKind, string> = {
  permission: ':lock:',
  question: ':question:',
  error: ':warning:',
  done: ':white_check_mark:',
}
/** The card keeps texts short enough for any block; the blocks clip again, escaped. */
const CARD_TEXT_MAX = 2800

export function cardFromPing(ping: OutgoingPing): PingCard {
  const d = ping.detail as { toolName?: unknown; toolInput?: unknown; message?: unknown; error?: unknown }
  const input = d.toolInput && typeof d.toolInput === 'object' ? (d.toolInput as Record<string, unknown>) : undefined
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? clip(v.trim(), CARD_TEXT_MAX) : null)
  const tool = str(d.toolName)
  let target: string | null = null
  let message = str(d.message)
  if (ping.kind === 'permission') target = str(toolTarget(input)) ?? (input ? str(JSON.stringify(input)) : null)
  // AskUserQuestion: the questions are in the tool input, not in a message.
  if (ping.kind === 'question' && !message && Array.isArray(input?.['questions'])) {
    const questions = (input['questions'] as Array<{ question?: unknown }>)
      .map((q) => q.question)
      .filter((q) => typeof q === 'string')
    message = str(questions.join('\n'))
  }
  return {
    waitId: ping.waitId,
    label: ping.label,
    project: ping.project,
    cwd: ping.cwd,
    kind: ping.kind,
    tool,
    target,
    message: message ?? (ping.kind === 'question' ? str(ping.what) : null),
    error: str(d.error),
    waitedMs: ping.waitedMs,
    others: ping.others,
    replyPath: ping.replyPath,
  }
}

function header(card: PingCard): Block {
  const text = clip(`${KIND_EMOJI[card.kind]} ${card.label} ${KIND_TEXT[card.kind]}`, LIMITS.header)
  return { type: 'header', text: { type: 'plain_text', text, emoji: true } }
}

function quote(text: string, max: number): string {
  const lines = text.split('\n').length
  return escapeClip(text, max - 2 * lines)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n')
}

/** What it waits for: the tool and its command, the question, the error. */
export function whatText(card: PingCard): string {
  const room = LIMITS.section - 100
  switch (card.kind) {
    case 'permission': {
      const tool = `*Wants to use* \`${escapeClip(card.tool ?? 'a tool', 200)}\``
      return card.target ? `${tool}\n${codeBlock(escapeClip(card.target, room - 200))}` : tool
    }
    case 'question':
      return `*Asks:*\n${quote(card.message ?? 'a question', room)}`
    case 'done':
      return card.message ? `*Done:*\n${quote(card.message, room)}` : '*Done*, waiting for the next instruction.'
    case 'error': {
      const head = `*Stopped on an error*${card.error ? `: \`${escapeClip(card.error, 200)}\`` : ''}`
      return card.message ? `${head}\n${quote(card.message, room - 300)}` : head
    }
  }
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.section) } }
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMITS.context) }] }
}

function where(card: PingCard): string {
  const project = `*${escapeClip(card.project, 200)}*`
  return card.cwd ? `${project} · \`${escapeClip(card.cwd, 500)}\`` : project
}

export function othersText(others: PingCard['others']): string {
  if (others.count === 0) return 'no other agent waits'
  return `+${others.count} more waiting, longest ${formatDuration(others.longestMs)}`
}

/** The ping as first posted: Approve / Deny on a permission, otherwise an invitation to reply in the thread. */
export function pingMessage(card: PingCard): SlackMessage {
  const blocks: Block[] = [
    header(card),
    section(whatText(card)),
    context(`${where(card)} · waiting ${formatDuration(card.waitedMs)} · ${othersText(card.others)}`),
  ]
  if (card.kind === 'permission') {
    const value = clip(card.waitId, LIMITS.buttonValue)
    blocks.push({
      type: 'actions',
      block_id: 'tend_decision',
      elements: [
        {
          type: 'button',
          action_id: ACTION.approve,
          style: 'primary',
          value,
          text: { type: 'plain_text', text: 'Approve' },
        },
        { type: 'button', action_id: ACTION.deny, style: 'danger', value, text: { type: 'plain_text', text: 'Deny' } },
      ],
    })
    blocks.push(context('Approve or Deny here, or answer in the terminal.'))
  } else {
    blocks.push(
      context(
        card.replyPath === 'hook'
          ? ':speech_balloon: Reply in this thread to instruct the agent. It arrives as hook feedback: this Claude Code runs no tend mod, so it cannot take your words as your own.'
          : ':speech_balloon: Reply in this thread to instruct the agent: it arrives as your own message.',
      ),
    )
  }
  const summary =
    card.kind === 'permission' ? [card.tool, card.target].filter(Boolean).join(': ') : (card.message ?? '')
  const text = `${card.label} ${KIND_TEXT[card.kind]}${summary ? `: ${summary.replace(/\s+/g, ' ')}` : ''}`
  return { text: clip(text, LIMITS.fallback), blocks }
}

/** The ping once its wait has ended: same card, the buttons replaced by how it ended. */
export function endedMessage(card: PingCard, endingText: string): SlackMessage {
  const mark = /^approved/.test(endingText)
    ? ':white_check_mark:'
    : /^denied/.test(endingText)
      ? ':no_entry_sign:'
      : ':ballot_box_with_check:'
  const ended = context(`${mark} ${escapeKeepingMentions(endingText)}`)
  return {
    text: clip(`${card.label}: ${endingText}`, LIMITS.fallback),
    blocks: [header(card), section(whatText(card)), context(where(card)), ended],
  }
}
