// The agent state machine: pure, idempotent over time-stamped hook events, no I/O.
import type { HookEvent } from './hook-event.ts'
import { canonicalJson } from './canonical-json.ts'
import { classify, type Signal } from './event-signal.ts'
import { isAtTerminal, isPersonsInstruction, type PromptOrigin } from './prompt-origin.ts'

export const AGENT_STATES = [
  'idle',
  'working',
  'blocked:permission',
  'blocked:question',
  'blocked:done',
  'blocked:error',
  'stale',
  'ended',
] as const
export type AgentState = (typeof AGENT_STATES)[number]

export const WAIT_KINDS = ['permission', 'question', 'error', 'done'] as const
export type WaitKind = (typeof WAIT_KINDS)[number]

/** Why a wait ended: the person answered in the terminal, a tend reply, the agent resumed by itself … */
export const WAIT_END_REASONS = ['terminal', 'reply', 'resumed', 'superseded', 'session_end', 'expired'] as const
export type WaitEndReason = (typeof WAIT_END_REASONS)[number]

/** Who inside a session acted: the main agent, or a subagent by its agent_id. */
export type Actor = 'main' | `agent:${string}`

export interface OpenWait {
  kind: WaitKind
  startedAt: number
  actor: Actor
  /** For a permission: the tool asked for (its input as canonical JSON), so only its own result ends the wait. */
  tool?: { name: string; input?: string }
  /** The prompt whose turn ended in this wait: that prompt, reported late, is no new instruction. */
  promptId?: string
  /** Opened by the end of a turn: a result of a call made before it is no answer. */
  turnEnd?: true
}

export interface AgentSnapshot {
  sessionId: string
  state: AgentState
  /** When the current state began (ms): events older than this never overwrite it. */
  stateSince: number
  lastEventAt: number
  openWait: OpenWait | null
  /** The main agent's tool call between PreToolUse and its Post event (for staleness). */
  toolInFlight: { toolName: string; since: number; timeoutMs: number | null } | null
  /** When the main agent's latest tool call began (its PreToolUse's stamp); absent in older snapshots. */
  lastCallAt?: number
  /** Working time accumulated since the last instruction, permission waits excluded. */
  workMs: number
}

export interface WaitOpening {
  kind: WaitKind
  at: number
  actor: Actor
  /** What it waits for: the question, the tool and command, the error. */
  detail: WaitDetail
  /** Work done since the last instruction, for done/question/error waits (T_work). */
  workMs: number | null
}

export interface WaitDetail {
  message?: string
  toolName?: string
  toolInput?: Record<string, unknown>
  error?: string
  fallback?: boolean
}

export interface Transition {
  agent: AgentSnapshot
  /** The event is older than the state it would change: recorded, but the state is kept. */
  late: boolean
  /** A prompt typed by the person: proof they are at a keyboard. */
  presence: boolean
  closeWait: { reason: WaitEndReason; at: number } | null
  openWait: WaitOpening | null
}

/**
 * Does this work answer the open wait? Only the blocked actor's own activity can; and a permission
 * is answered only by the result of the very tool it was asked for: its PreToolUse can arrive after
 * the PermissionRequest (async hooks race), and a parallel call's result says nothing about it.
 */
function answers(wait: OpenWait, signal: Extract<Signal, { type: 'work' }>): boolean {
  if (wait.actor !== signal.actor) return false
  if (wait.kind !== 'permission') return true
  const tool = signal.tool
  if (!tool || tool.phase !== 'post') return false
  // A wait opened by the late permission_prompt Notification doesn't know its tool: any result ends it.
  if (!wait.tool) return true
  if (tool.name !== wait.tool.name) return false
  return tool.input === undefined || wait.tool.input === undefined || tool.input === wait.tool.input
}

export function newAgent(sessionId: string, at: number): AgentSnapshot {
  return {
    sessionId,
    state: 'idle',
    stateSince: at,
    lastEventAt: at,
    openWait: null,
    toolInFlight: null,
    workMs: 0,
  }
}

export function isBlocked(state: AgentState): boolean {
  return state.startsWith('blocked:')
}

/**
 * Applies one event. Pure: the same snapshot and event always give the same transition.
 * Duplicates are filtered before this (by the store's dedupe key); ordering is handled here:
 * an event older than the current state is recorded as late and changes nothing but liveness.
 */
export function reduce(current: AgentSnapshot | null, event: HookEvent, at: number, origin?: PromptOrigin): Transition {
  const base = current ?? newAgent(event.session_id, at)
  const signal = classify(event, origin)
  const agent: AgentSnapshot = { ...base, lastEventAt: Math.max(base.lastEventAt, at) }
  const result: Transition = { agent, late: false, presence: false, closeWait: null, openWait: null }
  // An async UserPromptSubmit can be stamped after the Stop of its own turn (its hook started late):
  // the prompt that led to this wait is no answer to it.
  const stalePrompt =
    signal.type === 'instruction' && event.prompt_id !== undefined && current?.openWait?.promptId === event.prompt_id
  if (current && stalePrompt && signal.type === 'instruction') {
    // Still typed at a terminal, whatever turn it belongs to.
    result.late = true
    result.presence = isAtTerminal(signal.origin)
    return result
  }
  if (current && isLate(current, signal, at)) {
    result.late = true
    return result
  }
  // After SessionEnd only a new start or a typed prompt brings a session back: Claude Code still
  // runs StopFailure and straggling async hooks after it.
  if (
    current?.state === 'ended' &&
    signal.type !== 'start' &&
    !(signal.type === 'instruction' && isPersonsInstruction(signal.origin))
  ) {
    return result
  }
  trackTool(agent, event, at)

  switch (signal.type) {
    case 'none':
      return result
    case 'start':
      // compact and duplicate starts change nothing; a resumed or new session is idle.
      if (!current || current.state === 'ended') enter(result, 'idle', at)
      return result
    case 'end':
      closeWait(result, 'session_end', at)
      enter(result, 'ended', at)
      agent.toolInFlight = null
      return result
    case 'instruction':
      if (isPersonsInstruction(signal.origin)) {
        // A reply from elsewhere is the person's instruction, but no sign they are at this terminal.
        result.presence = isAtTerminal(signal.origin)
        closeWait(result, signal.origin === 'reply' ? 'reply' : 'terminal', at)
        // A new instruction starts a new piece of work, even if the agent was still working.
        agent.workMs = 0
        if (agent.state === 'working') agent.stateSince = at
        else enter(result, 'working', at)
      } else if (agent.openWait?.kind !== 'permission') {
        closeWait(result, 'resumed', at)
        enter(result, 'working', at)
      }
      return result
    case 'work':
      if (agent.openWait) {
        if (!answers(agent.openWait, signal)) return result
        if (isStragglingResult(agent, agent.openWait, signal)) {
          result.late = true
          return result
        }
        closeWait(result, 'terminal', at)
      }
      if (agent.state !== 'working') enter(result, 'working', at)
      return result
    case 'block':
      return block(result, signal, at, event)
  }
}

function block(
  result: Transition,
  signal: Extract<Signal, { type: 'block' }>,
  at: number,
  event: HookEvent,
): Transition {
  const { agent } = result
  const open = agent.openWait
  if (signal.fallback && (open || agent.state === 'idle' || agent.state === 'ended')) {
    // A late Notification never opens a second wait, nor wakes an idle or ended agent.
    return result
  }
  if (open && open.kind === signal.kind) {
    // The precise PermissionRequest after a fallback wait: the wait learns which tool it is for.
    if (!open.tool && signal.kind === 'permission') agent.openWait = { ...open, ...waitTool(signal) }
    return result
  }
  if (open) closeWait(result, 'superseded', at)
  enter(result, `blocked:${signal.kind}`, at)
  // A permission wait interrupts the work; the others end it (one T_work sample each).
  const finishesWork = signal.kind !== 'permission'
  const workMs = finishesWork ? agent.workMs : null
  if (finishesWork) agent.workMs = 0
  agent.openWait = {
    kind: signal.kind,
    startedAt: at,
    actor: signal.actor,
    ...waitTool(signal),
    ...(signal.kind !== 'permission' && event.prompt_id ? { promptId: event.prompt_id } : {}),
    ...(signal.turnEnd ? { turnEnd: true as const } : {}),
  }
  result.openWait = { kind: signal.kind, at, actor: signal.actor, detail: signal.detail, workMs }
  return result
}

function waitTool(signal: Extract<Signal, { type: 'block' }>): Pick<OpenWait, 'tool'> {
  const name = signal.detail.toolName
  if (signal.kind !== 'permission' || !name) return {}
  return { tool: { name, input: signal.detail.toolInput ? canonicalJson(signal.detail.toolInput) : undefined } }
}

/**
 * A late event is older than the state it would overwrite. At an equal time stamp a block wins
 * over work: the work that leads to a block is always reported before it.
 */
function isLate(current: AgentSnapshot, signal: Signal, at: number): boolean {
  if (signal.type === 'none') return false
  if (at < current.stateSince) return true
  return at === current.stateSince && signal.type === 'work' && isBlocked(current.state)
}

/**
 * The result of a call made before the turn ended, stamped after its Stop: async hooks start late under
 * load, so a tool's Post observer can run after the Stop that followed it. It is no new work: work
 * after a turn's end (a Stop hook that sent Claude on) begins with a new call. A wait opened in the
 * middle of a call (a permission, a question, an MCP elicitation) is different: that call's result is
 * its answer.
 */
function isStragglingResult(agent: AgentSnapshot, wait: OpenWait, signal: Extract<Signal, { type: 'work' }>) {
  if (!wait.turnEnd || wait.actor !== 'main' || signal.tool?.phase !== 'post') return false
  return agent.lastCallAt !== undefined && agent.lastCallAt < wait.startedAt
}

function enter(result: Transition, state: AgentState, at: number): void {
  const { agent } = result
  if (agent.state === state) return
  if (agent.state === 'working') agent.workMs += Math.max(0, at - agent.stateSince)
  agent.state = state
  agent.stateSince = at
}

function closeWait(result: Transition, reason: WaitEndReason, at: number): void {
  if (!result.agent.openWait) return
  result.agent.openWait = null
  result.closeWait = { reason, at }
}

function trackTool(agent: AgentSnapshot, event: HookEvent, at: number): void {
  if (event.agent_id) return
  const name = event.hook_event_name
  if (name === 'PreToolUse' && event.tool_name) {
    agent.lastCallAt = Math.max(agent.lastCallAt ?? at, at)
    const timeout = event.tool_input?.['timeout']
    agent.toolInFlight = {
      toolName: event.tool_name,
      since: at,
      timeoutMs: typeof timeout === 'number' ? timeout : null,
    }
  } else if (name === 'Stop' || name === 'PostToolUse' || name === 'PostToolUseFailure') {
    // Only the result of the tool in flight (or a later Stop) ends it: async hooks race.
    const tool = agent.toolInFlight
    if (tool && at >= tool.since && (name === 'Stop' || event.tool_name === tool.toolName)) agent.toolInFlight = null
  }
}

/**
 * An answer that reached the agent outside the hook stream: a reply delivered through a held hook,
 * or a permission dialog answered in the terminal (its held hook was killed, and a "No" fires no hook).
 */
export function resumeByAnswer(current: AgentSnapshot, at: number, reason: 'reply' | 'terminal' = 'reply'): Transition {
  const result: Transition = {
    agent: { ...current, lastEventAt: Math.max(current.lastEventAt, at) },
    late: false,
    presence: false,
    closeWait: null,
    openWait: null,
  }
  closeWait(result, reason, at)
  if (reason === 'reply') result.agent.workMs = 0
  enter(result, 'working', at)
  return result
}
