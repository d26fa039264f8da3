// How a reply from elsewhere reaches an agent. Pure.

/**
 * - mod: tend's Claude Code mod submits it as the person's own prompt (Claude Code 2.1.287+, an
 *   attended session whose mod is polling): nothing is held, the terminal stays the person's;
 * - hook: the fallback: a held Stop answers `{"decision":"block","reason": …}`, which Claude Code
 *   2.1.332 frames as relayed hook output carrying no message from the user.
 */
export const REPLY_PATHS = ['mod', 'hook'] as const
export type ReplyPath = (typeof REPLY_PATHS)[number]

export function replyPath(mod: { attended: boolean } | undefined, polling: boolean): ReplyPath {
  return mod?.attended && polling ? 'mod' : 'hook'
}

/**
 * Whether the agent sits at its prompt in this wait (it stopped: done, a question in its last message,
 * an error), so a submitted prompt starts its next turn. A question asked through a picker or a dialog
 * (AskUserQuestion, an MCP elicitation) is no prompt: text submitted there would land mid-dialog.
 */
export function atPrompt(wait: { kind: string; detail: Record<string, unknown> }): boolean {
  if (wait.kind === 'permission') return false
  if (wait.detail['toolName']) return false
  return !(wait.kind === 'question' && wait.detail['fallback'])
}

/** How each path is named where the person reads it (tend status, Slack, doctor). */
export const REPLY_PATH_TEXT: Record<ReplyPath, string> = {
  mod: 'as you',
  hook: 'as hook feedback',
}
