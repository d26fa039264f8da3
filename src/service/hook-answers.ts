// Holding a synchronous hook (Stop, PermissionRequest) for an answer from outside the terminal.
// Decided at once from the stored result, so the route knows right away whether it streams a hold.
import { decideHold, hookOutput, type HoldConfig } from '../core/hold-policy.ts'
import type { HookEvent } from '../core/hook-event.ts'
import type { ReplyPath } from '../core/reply-path.ts'
import type { Logger } from '../log.ts'
import type { IngestResult } from '../store/ingest.ts'
import type { Holds } from './holds.ts'

type HookOutput = Record<string, unknown>

/** What a synchronous hook prints: now, or once its hold ends. */
export type HookAnswer =
  { held: false; output: HookOutput } | { held: true; waitId: string; output: Promise<HookOutput> }

export interface HookAnswerDeps {
  holds: Holds
  config: HoldConfig
  log: Logger
  away(): boolean
  stopBlocks(sessionId: string): number
  replyPathOf(sessionId: string): ReplyPath
  /** Claude Code killed a held PermissionRequest hook: the dialog was answered in the terminal. */
  answeredAtTerminal(waitId: string, sessionId: string): void
}

export function answerHook(
  deps: HookAnswerDeps,
  event: HookEvent,
  result: IngestResult,
  budgetSec: number,
  signal?: AbortSignal,
): HookAnswer {
  const waitId = result.openedWaitId
  const decision = decideHold(
    {
      waitKind: result.transition?.openWait?.kind ?? null,
      event: event.hook_event_name,
      budgetSec,
      away: deps.away(),
      consecutiveStopBlocks: deps.stopBlocks(event.session_id),
      replyPath: event.hook_event_name === 'Stop' ? deps.replyPathOf(event.session_id) : 'hook',
    },
    deps.config,
  )
  if (!decision.hold || !waitId) return { held: false, output: {} }
  const hold = deps.holds.open(
    { waitId, sessionId: event.session_id, event: event.hook_event_name, windowMs: decision.windowMs },
    signal,
  )
  const output = hold.then((outcome) => {
    deps.log.info('hold ended', { waitId, event: event.hook_event_name, reason: outcome.reason })
    // Claude Code kills a held PermissionRequest hook when the dialog is answered in the terminal.
    // A "Yes" is followed by the tool's own events; a "No" by nothing at all: end the wait here.
    if (outcome.reason === 'aborted' && event.hook_event_name === 'PermissionRequest') {
      deps.answeredAtTerminal(waitId, event.session_id)
    }
    return hookOutput(event.hook_event_name, outcome.answer)
  })
  return { held: true, waitId, output }
}
