// Who a prompt came from. The one definition of "the person's prompt", used by the state machine
// (presence, what ends a wait) and by the stats (T_instruct). Pure.

/**
 * - person: typed at the agent's terminal;
 * - reply: the person's words from elsewhere (Slack, the CLI, the dashboard), submitted by tend's mod;
 * - task: Claude Code's own `<task-notification>` when a background task ends;
 * - channel: an MCP channel's message (`<channel source="…">`), someone else's words.
 */
export const PROMPT_ORIGINS = ['person', 'reply', 'task', 'channel'] as const
export type PromptOrigin = (typeof PROMPT_ORIGINS)[number]

const TASK_NOTIFICATION = /^\s*<task-notification>/
const CHANNEL = /^\s*<channel[\s>]/

/** `deliveredReply`: the text is a reply tend handed this session's mod (the mod submits it verbatim). */
export function promptOrigin(prompt: string, deliveredReply = false): PromptOrigin {
  if (deliveredReply) return 'reply'
  if (TASK_NOTIFICATION.test(prompt)) return 'task'
  if (CHANNEL.test(prompt)) return 'channel'
  return 'person'
}

/**
 * A session started, resumed or cleared at a terminal came from the person (a sign they were there);
 * a compaction, or a start of unknown source, from no one.
 */
export function startOrigin(source: string | undefined): PromptOrigin | null {
  return source === 'startup' || source === 'resume' || source === 'clear' ? 'person' : null
}

/** The person's instruction, wherever they gave it: counts for T_instruct and ends their wait. */
export const isPersonsInstruction = (origin: PromptOrigin): boolean => origin === 'person' || origin === 'reply'

/** The person at this agent's keyboard: only a prompt typed there. */
export const isAtTerminal = (origin: PromptOrigin): boolean => origin === 'person'
