// When the receiver may hold a synchronous hook open for a reply, and for how long. Pure.
import type { WaitKind } from './agent-state.ts'
import type { Answer } from './answer.ts'
import type { ReplyPath } from './reply-path.ts'

/** How long a held hook may stay open at most (s); `tend install` sets Claude Code's timeout above it. */
export const HOLD_BUDGET_SEC = 24 * 3600
/** A hold always ends this long before the hook's own budget runs out, so tend answers first. */
export const HOLD_MARGIN_MS = 10_000

export interface HoldConfig {
  permissionWindowMs: number
  stopWindowMs: number
  /** Claude Code ends a turn after this many consecutive Stop blocks (CLAUDE_CODE_STOP_HOOK_BLOCK_CAP). */
  stopBlockCap: number
}

export interface HoldRequest {
  /** The wait the event opened or found open; null when the event opened none (late, duplicate). */
  waitKind: WaitKind | null
  event: 'Stop' | 'PermissionRequest' | string
  /** What the hook allows, from its X-Tend-Hold header (s); 0 for hooks that can't be held. */
  budgetSec: number
  away: boolean
  /** Replies already delivered through Stop blocks since the person last typed a prompt. */
  consecutiveStopBlocks: number
  /** How a reply reaches this agent: through its mod, a Stop needs no hold. */
  replyPath: ReplyPath
}

export type HoldDecision = { hold: true; windowMs: number } | { hold: false; why: string }

export function decideHold(req: HoldRequest, config: HoldConfig): HoldDecision {
  if (req.budgetSec <= 0) return { hold: false, why: 'the hook cannot be held' }
  if (req.waitKind === null) return { hold: false, why: 'no wait is open' }
  const cap = Math.max(0, req.budgetSec * 1000 - HOLD_MARGIN_MS)
  if (req.event === 'PermissionRequest') {
    if (req.waitKind !== 'permission' || config.permissionWindowMs <= 0)
      return { hold: false, why: 'permission holds are off' }
    // The dialog stays usable while held, so this hold is safe whether or not the person is here.
    return { hold: true, windowMs: Math.min(config.permissionWindowMs, cap) }
  }
  if (req.event === 'Stop') {
    if (req.waitKind === 'permission') return { hold: false, why: 'not a Stop wait' }
    // The mod submits a reply as the person's prompt once the agent has stopped: nothing to hold.
    if (req.replyPath === 'mod') return { hold: false, why: "replies reach this agent through tend's mod" }
    // A held Stop queues what the person types: hold it only while they are away.
    if (!req.away) return { hold: false, why: 'the person is present' }
    if (config.stopWindowMs <= 0) return { hold: false, why: 'stop holds are off' }
    if (config.stopBlockCap > 0 && req.consecutiveStopBlocks >= config.stopBlockCap) {
      return { hold: false, why: `Claude Code ignores more than ${config.stopBlockCap} consecutive Stop blocks` }
    }
    return { hold: true, windowMs: Math.min(config.stopWindowMs, cap) }
  }
  return { hold: false, why: `${req.event} is not held` }
}

/** The JSON a held hook prints for Claude Code; `{}` lets Claude Code go on as if tend weren't there. */
export function hookOutput(event: string, answer: Answer | null): Record<string, unknown> {
  if (!answer) return {}
  if (event === 'Stop' && answer.action === 'reply') return { decision: 'block', reason: answer.text }
  if (event === 'PermissionRequest' && answer.action === 'approve') {
    return { hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } }
  }
  if (event === 'PermissionRequest' && answer.action === 'deny') {
    return {
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest',
        decision: { behavior: 'deny', message: answer.message || 'Denied by the person through tend.' },
      },
    }
  }
  return {}
}
