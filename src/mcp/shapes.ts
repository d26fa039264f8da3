// What tend's MCP tools answer: zod output schemas (the structured content), the mapping from the
// receiver's API bodies (typed by its routes) to them, and the text a model reads. Pure.
import { z } from 'zod'
import { WAIT_KINDS } from '../core/agent-state.ts'
import { clip, oneLine } from '../core/clip.ts'
import { formatDuration } from '../core/duration.ts'
import { endingPhrase } from '../core/wait-ending.ts'
import { toolTarget, waitSummary } from '../core/wait-summary.ts'
import { REPLY_PATH_TEXT } from '../core/reply-path.ts'
import type { AgentBody, AgentsBody, DeliveredBody, ListedAgent, MetricsBody } from './receiver.ts'

const duration = (ms: number | null) => (ms === null ? null : formatDuration(ms))

// ---- needs_me ----

export const QueueEntrySchema = z.object({
  /** 1 for the agent to answer first; null for agents nobody waits on. */
  rank: z.number().int().nullable(),
  /** What `agent`, `reply`, `approve` and `deny` take: the short session id. */
  agent: z.string(),
  label: z.string(),
  project: z.string(),
  cwd: z.string().nullable(),
  state: z.string(),
  waitId: z.string().nullable(),
  kind: z.enum(WAIT_KINDS).nullable(),
  /** What it waits for, in one line: the tool and its command, the question, the error. */
  waitingFor: z.string().nullable(),
  waitingMs: z.number().nullable(),
  waiting: z.string().nullable(),
  /** Why it ranks there: "permission ×4 · waiting 2m04s". */
  why: z.string(),
  /** mod: a reply arrives as the person's own prompt; hook: as a held hook's text. */
  replyPath: z.enum(['mod', 'hook']),
  /** Whether tend holds the agent's hook, so an answer from here can reach it. */
  held: z.boolean(),
  /** How to answer it: approve/deny (a permission), reply (anything else), or nothing to answer. */
  answerWith: z.enum(['approve_or_deny', 'reply']).nullable(),
})
export type QueueEntry = z.infer<typeof QueueEntrySchema>

export const NeedsMeSchema = z.object({
  now: z.number(),
  /** How many agents wait for the person. */
  blocked: z.number().int(),
  agents: z.array(QueueEntrySchema),
  /** Whether this MCP server may answer (`tend mcp --allow-answers`). */
  answersEnabled: z.boolean(),
  /** What to do next, in a sentence (some clients, Claude Code among them, show the model only this JSON). */
  hint: z.string(),
})
export type NeedsMe = z.infer<typeof NeedsMeSchema>

export function queueEntry(a: ListedAgent): QueueEntry {
  const blocked = a.rank !== null && a.wait !== null
  return {
    rank: a.rank,
    agent: a.shortId,
    label: a.label,
    project: a.project,
    cwd: a.cwd,
    state: a.state,
    waitId: a.wait?.id ?? null,
    kind: a.wait?.kind ?? null,
    waitingFor: a.wait ? waitSummary(a.wait) : null,
    waitingMs: a.waitingMs,
    waiting: duration(a.waitingMs),
    why: a.why,
    replyPath: a.replyPath,
    held: a.held,
    answerWith: !blocked ? null : a.wait!.kind === 'permission' ? 'approve_or_deny' : 'reply',
  }
}

export type Include = 'blocked' | 'live' | 'all'

export function needsMe(body: AgentsBody, include: Include, answersEnabled: boolean): NeedsMe {
  const entries = body.agents.map(queueEntry)
  const shown = entries.filter((e) =>
    include === 'all' ? true : include === 'live' ? e.state !== 'ended' : e.rank !== null,
  )
  const blocked = entries.filter((e) => e.rank !== null).length
  return { now: body.now, blocked, agents: shown, answersEnabled, hint: hint(blocked, answersEnabled) }
}

function hint(blocked: number, answersEnabled: boolean): string {
  if (blocked === 0) return 'No agent is waiting for the person.'
  return answersEnabled
    ? 'Answer with the reply / approve / deny tools (agent: its id, or "next"; wait: its waitId, so a wait that ended meanwhile refuses the answer instead of a newer one taking it).'
    : 'Answering from here is off: the person answers with `tend reply|approve|deny <agent>`, Slack or the desktop (or enables it with `tend mcp --allow-answers`).'
}

function entryLine(e: QueueEntry): string {
  const head = `${e.rank === null ? '-' : `${e.rank}.`} ${e.label} (agent "${e.agent}")  ${e.state}`
  if (e.rank === null) return `${head}: ${e.why}`
  return [
    `${head}, waiting ${e.waiting}`,
    `   for: ${e.waitingFor}`,
    `   why: ${e.why}`,
    `   answer: ${e.answerWith === 'approve_or_deny' ? 'approve or deny' : `reply (arrives ${REPLY_PATH_TEXT[e.replyPath]})`}; wait ${e.waitId}`,
  ].join('\n')
}

export function needsMeText(n: NeedsMe): string {
  const lines: string[] = []
  lines.push(
    n.blocked === 0
      ? 'No agent is waiting for the person.'
      : `${n.blocked} agent${n.blocked === 1 ? '' : 's'} waiting for the person, the most blocked first:`,
  )
  for (const e of n.agents) lines.push(entryLine(e))
  if (n.blocked > 0) lines.push(n.hint)
  return lines.join('\n')
}

// ---- agent ----

const TimelineEntrySchema = z.object({
  at: z.number(),
  /** The hook event (PreToolUse, Stop …), or WaitEnded for how a wait ended (who answered, via what). */
  event: z.string(),
  tool: z.string().nullable(),
  subagent: z.string().nullable(),
  text: z.string(),
})

const WaitEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(WAIT_KINDS),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  durationMs: z.number(),
  what: z.string(),
  /** How it ended, as a person says it ("approved by ann via mcp"); null while open. */
  ended: z.string().nullable(),
  endedVia: z.string().nullable(),
  answeredBy: z.string().nullable(),
})

export const AgentInfoSchema = z.object({
  agent: QueueEntrySchema.extend({
    sessionId: z.string(),
    stateSince: z.number(),
    lastEventAt: z.number(),
    priority: z.number().nullable(),
    /** How long it typically works after an instruction (ms), when known. */
    tWorkMs: z.number().nullable(),
    claudeVersion: z.string().nullable(),
    continuesSessionId: z.string().nullable(),
  }),
  /** The wait it is blocked on now, with everything tend knows about it (tool input, question …). */
  wait: z
    .object({
      id: z.string(),
      kind: z.enum(WAIT_KINDS),
      startedAt: z.number(),
      waitingMs: z.number(),
      what: z.string(),
      detail: z.record(z.string(), z.unknown()),
    })
    .nullable(),
  /** The agent's last message to the person (clipped). */
  lastMessage: z.string().nullable(),
  recentWaits: z.array(WaitEntrySchema),
  timeline: z.array(TimelineEntrySchema),
})
export type AgentInfo = z.infer<typeof AgentInfoSchema>
type TimelineEntry = z.infer<typeof TimelineEntrySchema>

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** One line about an event: what was asked, run, said. */
export function eventText(e: { name: string; toolName: string | null; origin: string | null; payload: unknown }) {
  const p = (e.payload ?? {}) as Record<string, unknown>
  const tool = e.toolName ?? str(p['tool_name'])
  switch (e.name) {
    case 'UserPromptSubmit':
      return `${e.origin === 'reply' ? 'reply from tend' : (e.origin ?? 'prompt')}: ${oneLine(str(p['prompt']), 200)}`
    case 'PreToolUse':
    case 'PermissionRequest': {
      const target = toolTarget(p['tool_input'] as Record<string, unknown> | undefined)
      return oneLine(target ? `${tool}: ${target}` : tool, 200)
    }
    case 'PostToolUse':
      return `${tool} done`
    case 'PostToolUseFailure':
      return oneLine(`${tool} failed${p['error'] ? `: ${str(p['error'])}` : ''}`, 200)
    case 'Stop':
    case 'SubagentStop':
      return oneLine(str(p['last_assistant_message']), 200)
    case 'StopFailure':
      return oneLine(str(p['error']), 200)
    case 'Notification':
      return oneLine(str(p['message']), 200)
    case 'SessionStart':
      return str(p['source'])
    case 'SessionEnd':
      return str(p['reason'])
    default:
      return ''
  }
}

export function agentInfo(body: AgentBody, timelineLimit: number): AgentInfo {
  const a = body.agent
  const entry = queueEntry(a)
  const waits = body.waits.map((w) => ({
    id: w.id,
    kind: w.kind,
    startedAt: w.startedAt,
    endedAt: w.endedAt,
    durationMs: w.durationMs,
    what: waitSummary(w),
    ended: w.endedAt === null ? null : endingPhrase({ ...w, action: null }),
    endedVia: w.endedVia,
    answeredBy: w.answeredBy,
  }))
  // Hook events, and how each wait ended (who answered it, through what), in time order.
  const events: TimelineEntry[] = body.timeline.map((e) => ({
    at: e.occurredAt,
    event: e.name,
    tool: e.toolName,
    subagent: e.subagentId,
    text: eventText(e),
  }))
  const endings: TimelineEntry[] = waits
    .filter((w) => w.endedAt !== null)
    .map((w) => ({
      at: w.endedAt!,
      event: 'WaitEnded',
      tool: null,
      subagent: null,
      text: `${w.kind} wait ${w.ended} after ${formatDuration(w.durationMs)}`,
    }))
  const timeline = [...events, ...endings].sort((x, y) => x.at - y.at).slice(-timelineLimit)
  return {
    agent: {
      ...entry,
      sessionId: a.sessionId,
      stateSince: a.stateSince,
      lastEventAt: a.lastEventAt,
      priority: a.priority,
      tWorkMs: a.tWorkMs,
      claudeVersion: a.claudeVersion,
      continuesSessionId: a.continuesSessionId,
    },
    wait: a.wait
      ? {
          id: a.wait.id,
          kind: a.wait.kind,
          startedAt: a.wait.startedAt,
          waitingMs: body.now - a.wait.startedAt,
          what: waitSummary(a.wait),
          detail: a.wait.detail,
        }
      : null,
    lastMessage: a.lastMessage === null ? null : clip(a.lastMessage, 4000),
    recentWaits: waits.slice(-10),
    timeline,
  }
}

export function agentText(info: AgentInfo, now: number): string {
  const a = info.agent
  const lines = [`${a.label} (agent "${a.agent}", session ${a.sessionId}) in ${a.cwd ?? '?'}`]
  lines.push(`state: ${a.state}${a.rank !== null ? `, rank ${a.rank}` : ''}; ${a.why}`)
  if (info.wait) {
    lines.push(
      `waits for: ${info.wait.what} (${info.wait.kind}, ${formatDuration(info.wait.waitingMs)}; wait ${info.wait.id})`,
    )
    lines.push(
      a.answerWith === 'approve_or_deny'
        ? `answer: approve or deny${a.held ? '' : ' (its dialog is not held by tend: only the terminal can answer it)'}`
        : `answer: reply with text (arrives ${REPLY_PATH_TEXT[a.replyPath]})`,
    )
  }
  if (info.lastMessage) lines.push(`last message:\n${info.lastMessage}`)
  if (info.recentWaits.length) {
    lines.push('recent waits:')
    for (const w of info.recentWaits)
      lines.push(`  ${w.kind}: ${w.what} — ${w.ended ?? 'open'}, ${formatDuration(w.durationMs)}`)
  }
  if (info.timeline.length) {
    lines.push(`timeline (last ${info.timeline.length}):`)
    for (const e of info.timeline)
      lines.push(
        `  -${formatDuration(now - e.at)} ${e.event}${e.tool && !e.text.startsWith(e.tool) ? ` ${e.tool}` : ''}${e.subagent ? ' (subagent)' : ''}${e.text ? `: ${e.text}` : ''}`,
      )
  }
  return lines.join('\n')
}

// ---- reply / approve / deny ----

export const AnsweredSchema = z.object({
  outcome: z.literal('delivered'),
  action: z.enum(['reply', 'approve', 'deny']),
  agent: z.string(),
  label: z.string(),
  waitId: z.string(),
  /** mod: the reply arrives as the person's own prompt; hook: through the held hook. */
  path: z.enum(['mod', 'hook']),
  via: z.literal('mcp'),
  by: z.string(),
})
export type Answered = z.infer<typeof AnsweredSchema>

export function answered(
  delivered: DeliveredBody,
  agent: { shortId: string; label: string },
  action: Answered['action'],
  by: string,
): Answered {
  return {
    outcome: 'delivered',
    action,
    agent: agent.shortId,
    label: agent.label,
    waitId: delivered.waitId,
    path: delivered.path,
    via: 'mcp',
    by,
  }
}

export function answeredText(a: Answered): string {
  const what =
    a.action === 'approve'
      ? 'approved'
      : a.action === 'deny'
        ? 'denied'
        : a.path === 'mod'
          ? "reply delivered as the person's own message"
          : 'reply delivered as hook feedback'
  return `${a.label}: ${what} (recorded as by ${a.by} via mcp); it is working again`
}

// ---- stats ----

export const StatsSchema = z.object({
  days: z.number(),
  tWorkMs: z.number().nullable(),
  tWaitMs: z.number().nullable(),
  waitTotalMs: z.number(),
  tInstructMs: z.number().nullable(),
  /** How many agents the person can keep busy: T_work / T_instruct. */
  n: z.number().nullable(),
  samples: z.object({ instructions: z.number(), waits: z.number(), promptGaps: z.number() }),
  /** N's 95% bootstrap interval (null: not enough data). */
  nInterval: z.tuple([z.number(), z.number()]).nullable(),
  /** Idle agent-time blocked on the person, and what it cost (null: no price configured). */
  idleMs: z.number(),
  idleCost: z.number().nullable(),
  /** Live agents against the practical limit: "4 live · N 3.4 (2.9–4.1) · ceiling 5 · limit 3.4". */
  capacity: z.string(),
  /** Set when more agents are live than the limit: "… agents will queue on you". */
  warning: z.string().nullable(),
})
export type Stats = z.infer<typeof StatsSchema>

export function stats(body: MetricsBody): Stats {
  return {
    days: body.days,
    ...body.metrics,
    nInterval: body.fleet.n?.interval ?? null,
    idleMs: body.fleet.idleMs,
    idleCost: body.idleCost,
    capacity: body.capacity.line,
    warning: body.capacity.warning,
  }
}

export function statsText(s: Stats): string {
  const d = (ms: number | null) => (ms === null ? 'not enough data' : formatDuration(ms))
  return [
    `last ${s.days} day${s.days === 1 ? '' : 's'}:`,
    `T_work ${d(s.tWorkMs)}: agents work this long per instruction (median of ${s.samples.instructions})`,
    `waiting ${d(s.tWaitMs)}: a wait lasts this long (median of ${s.samples.waits}); ${formatDuration(s.waitTotalMs)} in all`,
    `T_instruct ${d(s.tInstructMs)}: the person takes this long per instruction, from when they could first answer (median of ${s.samples.promptGaps})`,
    `N ${s.n === null ? 'not enough data' : `${s.n} (${s.nInterval!.map((x) => Math.round(x * 10) / 10).join('–')})`}: agents the person can keep busy (T_work / T_instruct)`,
    `capacity: ${s.capacity}`,
  ].join('\n')
}
