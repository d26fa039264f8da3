// What a hook event means for its agent, whatever the agent's state: the state machine's input. Pure.
import type { Actor, WaitDetail, WaitKind } from './agent-state.ts'
import { canonicalJson } from './canonical-json.ts'
import type { HookEvent } from './hook-event.ts'
import { clip } from './clip.ts'
import { promptOrigin, type PromptOrigin } from './prompt-origin.ts'
import { isQuestion } from './question.ts'

/** A tool event: its phase, and which call it is (name, input), to tell it from a parallel one. */
export interface ToolUse {
  phase: 'pre' | 'post'
  name: string
  input?: string
}

export type Signal =
  | { type: 'start'; source: string }
  | { type: 'end' }
  | { type: 'instruction'; origin: PromptOrigin }
  | { type: 'work'; actor: Actor; tool?: ToolUse }
  | {
      type: 'block'
      kind: WaitKind
      actor: Actor
      detail: WaitDetail
      fallback: boolean
      /** The turn is over (Stop, StopFailure, idle): not a wait in the middle of a call (a permission, a question). */
      turnEnd?: true
    }
  | { type: 'none' }

/** What a wait keeps of a message (code points): read by every ranking, shown in pings; ample for a question. */
export const WAIT_TEXT_MAX = 4000
const clipped = (text: string | undefined) => (text === undefined ? undefined : clip(text, WAIT_TEXT_MAX))

export function actorOf(event: Pick<HookEvent, 'agent_id'>): Actor {
  return event.agent_id ? `agent:${event.agent_id}` : 'main'
}

/**
 * What an event means for the agent, independent of its current state. `origin`: who a
 * UserPromptSubmit's prompt came from, when the receiver knows more than the text (a reply it handed the mod).
 */
export function classify(event: HookEvent, origin?: PromptOrigin): Signal {
  const actor = actorOf(event)
  switch (event.hook_event_name) {
    case 'SessionStart':
      return { type: 'start', source: event.source ?? 'startup' }
    case 'SessionEnd':
      return { type: 'end' }
    case 'UserPromptSubmit':
      return { type: 'instruction', origin: origin ?? promptOrigin(event.prompt ?? '') }
    case 'PermissionRequest':
      // Background sessions ask permission for AskUserQuestion itself: still a question, not a tool to allow.
      if (event.tool_name === 'AskUserQuestion') return toolBlock('question', actor, event)
      return toolBlock('permission', actor, event)
    case 'PreToolUse':
      // The AskUserQuestion picker waits on the person; Stop won't fire until it is answered.
      if (event.tool_name === 'AskUserQuestion') return toolBlock('question', actor, event)
      return { type: 'work', actor, tool: toolUse(event, 'pre') }
    case 'Stop': {
      const running = (event.background_tasks ?? []).some(
        (t) => t.status !== 'completed' && t.status !== 'failed' && t.status !== 'killed',
      )
      // Background subagents still run: Claude Code resumes by itself, nobody is waited on.
      if (running) return { type: 'work', actor }
      const message = event.last_assistant_message ?? ''
      return {
        type: 'block',
        kind: isQuestion(message) ? 'question' : 'done',
        actor,
        fallback: false,
        turnEnd: true,
        detail: { message: clip(message, WAIT_TEXT_MAX) },
      }
    }
    case 'StopFailure':
      return {
        type: 'block',
        kind: 'error',
        actor,
        fallback: false,
        turnEnd: true,
        detail: { error: event.error, message: clipped(event.last_assistant_message) },
      }
    case 'Notification':
      return classifyNotification(event, actor)
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return { type: 'work', actor, tool: toolUse(event, 'post') }
    case 'PostToolBatch':
    case 'SubagentStart':
    case 'SubagentStop':
    case 'PreCompact':
    case 'PostCompact':
    case 'MessageDisplay':
      return { type: 'work', actor }
    default:
      return { type: 'none' }
  }
}

/** A block on a tool call: the tool and its input are what the person is asked about. */
function toolBlock(kind: WaitKind, actor: Actor, event: HookEvent): Signal {
  return {
    type: 'block',
    kind,
    actor,
    fallback: false,
    detail: { toolName: event.tool_name, toolInput: event.tool_input },
  }
}

function toolUse(event: HookEvent, phase: ToolUse['phase']): ToolUse | undefined {
  if (!event.tool_name) return undefined
  return { phase, name: event.tool_name, input: event.tool_input ? canonicalJson(event.tool_input) : undefined }
}

function classifyNotification(event: HookEvent, actor: Actor): Signal {
  const type = event.notification_type ?? guessNotificationType(event.message ?? '')
  const detail = { message: clipped(event.message), fallback: true }
  switch (type) {
    // Late fallbacks for a missed PermissionRequest (~6 s) or Stop (~60 s).
    case 'permission_prompt':
      return { type: 'block', kind: 'permission', actor, fallback: true, detail }
    case 'idle_prompt':
      return { type: 'block', kind: 'done', actor, fallback: true, detail, turnEnd: true }
    case 'elicitation_dialog':
    case 'elicitation_url_dialog':
      return { type: 'block', kind: 'question', actor, fallback: false, detail }
    // Agent View (2.1.198+) about another session ("<name> needs your input: …", "<name> finished"),
    // sent under the viewer's own session id: neither a block nor a resume of the session it names,
    // which reports its own wait through its own hooks.
    case 'agent_needs_input':
    case 'agent_completed':
      return { type: 'none' }
    default:
      return { type: 'none' }
  }
}

/** Some late-2025 builds sent no notification_type; the message still tells. */
function guessNotificationType(message: string): string | undefined {
  if (/needs your permission/i.test(message)) return 'permission_prompt'
  if (/waiting for your input/i.test(message)) return 'idle_prompt'
  return undefined
}
