// Merging tend's hooks into a Claude Code settings object, and taking them out again. Pure.
import { HOLD_BUDGET_SEC } from '../core/hold-policy.ts'

/** Observers run async: the agent never waits on them. Every supported Claude Code knows these. */
export const OBSERVED_EVENTS = [
  'UserPromptSubmit',
  'PostToolUse',
  'PostToolUseFailure',
  'Notification',
  'SubagentStart',
  'SubagentStop',
  'StopFailure',
  'PreCompact',
  'PostCompact',
] as const

/**
 * Observed only when `tend install` finds a Claude Code at least this version (the first one checked to
 * know the event): an interactive Claude Code opens a blocking "Settings Warning" dialog at every start
 * when settings name a hook event it does not know (2.1.197 these four; `-p` just ignores them).
 * Never observed: WorktreeCreate (a hook there replaces `git worktree add` and must print the path, so an
 * observer makes `claude --worktree` fail) and WorktreeRemove (a hook there replaces the git removal of
 * worktrees a WorktreeCreate hook made).
 */
export const NEWER_OBSERVED_EVENTS = {
  DirectoryAdded: '2.1.332',
  PreModelSwitch: '2.1.332',
  PostModelSwitch: '2.1.332',
  PreSkillShellCommand: '2.1.332',
} as const satisfies Record<string, string>

/** Whether `version` ("2.1.332") is at least `min`; an unknown version is not. */
export function versionAtLeast(version: string | null | undefined, min: string): boolean {
  const parse = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10))
  if (!version || !/^\d+\.\d+\.\d+/.test(version)) return false
  const [a, b] = [parse(version), parse(min)]
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  return true
}

/** The events tend observes for a Claude Code version (null: unknown, only the events every version knows). */
export function observedEvents(claudeVersion: string | null | undefined): string[] {
  const newer = Object.entries(NEWER_OBSERVED_EVENTS)
    .filter(([, since]) => versionAtLeast(claudeVersion, since))
    .map(([event]) => event)
  return [...OBSERVED_EVENTS, ...newer]
}

/**
 * Synchronous, for permission rules: `tend-hook policy` waits for the receiver's answer (a deny or ask) only
 * while deny or ask rules exist, and otherwise observes in the background, so the agent does not wait.
 */
export const POLICY_EVENTS = ['PreToolUse'] as const
/** Claude Code's timeout for a policy hook: above its own bound (TEND_POLICY_MAX_TIME, 2 s). */
export const POLICY_TIMEOUT_SEC = 10

/** Synchronous: the receiver may hold them open until a reply arrives. */
export const HELD_EVENTS = ['Stop', 'PermissionRequest'] as const

/** Synchronous but short: Claude Code may exit right after, before an async hook finished. */
export const FINAL_EVENTS = ['SessionEnd'] as const

/**
 * Synchronous and bounded, for the answer they print: SessionStart tells a new agent's person when more
 * agents are live than they can keep busy (a systemMessage). `hold 0` holds nothing: tend-hook gives up
 * after its observer time (1 s) and prints nothing when the receiver is down, so the start never waits long.
 */
export const ANSWERED_EVENTS = ['SessionStart'] as const
export const ANSWERED_TIMEOUT_SEC = 5

export { HOLD_BUDGET_SEC }
/** Claude Code's own timeout for the held hooks: above the budget, so curl always ends first. */
export const HOLD_TIMEOUT_SEC = HOLD_BUDGET_SEC + 60

type Json = Record<string, unknown>

interface HookHandler extends Json {
  type: string
  command?: string
}

interface MatcherGroup extends Json {
  matcher?: string
  hooks: HookHandler[]
}

export interface HookCommandOptions {
  /** Absolute path of hooks/tend-hook. */
  hookPath: string
  /** Environment to pin in the command (TEND_HOME, TEND_URL when they were set at install). */
  env: Record<string, string>
  /** The Claude Code the hooks are for ("2.1.332"); unknown: only the events every version knows. */
  claudeVersion?: string | null
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export function hookCommand(opts: HookCommandOptions, args: string): string {
  const env = Object.entries(opts.env)
    .map(([k, v]) => `${k}=${shellQuote(v)} `)
    .join('')
  return `${env}${shellQuote(opts.hookPath)} ${args}`
}

/** Recognises tend's own handlers, whatever directory tend was installed from. */
export function isTendHandler(handler: unknown): boolean {
  if (!handler || typeof handler !== 'object') return false
  const command = (handler as HookHandler).command
  return typeof command === 'string' && /tend-hook'? (observe|hold|policy)\b/.test(command)
}

export function tendHooks(opts: HookCommandOptions): Record<string, MatcherGroup[]> {
  const hooks: Record<string, MatcherGroup[]> = {}
  for (const event of observedEvents(opts.claudeVersion)) {
    // Claude Code 2.1.332, exiting, sends SIGTERM to a StopFailure hook's process group soon after starting
    // it (then waits up to 1.5 s for it): the shell it starts ignores that signal before the hook runs, so
    // neither the hook nor its cat and curl die on it, even before the hook's own trap is set.
    const command = (event === 'StopFailure' ? "trap '' TERM; " : '') + hookCommand(opts, 'observe')
    hooks[event] = [{ hooks: [{ type: 'command', command, async: true, timeout: 10 }] }]
  }
  for (const event of POLICY_EVENTS) {
    hooks[event] = [{ hooks: [{ type: 'command', command: hookCommand(opts, 'policy'), timeout: POLICY_TIMEOUT_SEC }] }]
  }
  for (const event of HELD_EVENTS) {
    hooks[event] = [
      {
        hooks: [{ type: 'command', command: hookCommand(opts, `hold ${HOLD_BUDGET_SEC}`), timeout: HOLD_TIMEOUT_SEC }],
      },
    ]
  }
  for (const event of ANSWERED_EVENTS) {
    hooks[event] = [
      { hooks: [{ type: 'command', command: hookCommand(opts, 'hold 0'), timeout: ANSWERED_TIMEOUT_SEC }] },
    ]
  }
  for (const event of FINAL_EVENTS) {
    hooks[event] = [{ hooks: [{ type: 'command', command: hookCommand(opts, 'observe'), timeout: 5 }] }]
  }
  return hooks
}

/** Returns settings without any tend handler; every other key, event and handler is kept. */
export function removeTendHooks(settings: Json): Json {
  const hooks = settings['hooks']
  if (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)) return settings
  const kept: Record<string, unknown> = {}
  for (const [event, groups] of Object.entries(hooks as Json)) {
    if (!Array.isArray(groups)) {
      kept[event] = groups
      continue
    }
    const cleaned = groups
      .map((group: unknown) => {
        if (!group || typeof group !== 'object' || !Array.isArray((group as MatcherGroup).hooks)) return group
        const g = group as MatcherGroup
        return { ...g, hooks: g.hooks.filter((h) => !isTendHandler(h)) }
      })
      .filter(
        (group: unknown) =>
          !(
            group &&
            typeof group === 'object' &&
            Array.isArray((group as MatcherGroup).hooks) &&
            (group as MatcherGroup).hooks.length === 0
          ),
      )
    if (cleaned.length > 0) kept[event] = cleaned
  }
  const result: Json = { ...settings }
  if (Object.keys(kept).length > 0) result['hooks'] = kept
  else delete result['hooks']
  return result
}

/** Adds tend's hooks (replacing older tend entries), keeping everything else as it was. */
export function mergeTendHooks(settings: Json, opts: HookCommandOptions): Json {
  const base = removeTendHooks(settings)
  const existing = (base['hooks'] as Record<string, unknown[]> | undefined) ?? {}
  const hooks: Record<string, unknown[]> = { ...existing }
  for (const [event, groups] of Object.entries(tendHooks(opts))) {
    hooks[event] = [...(Array.isArray(existing[event]) ? existing[event] : []), ...groups]
  }
  return { ...base, hooks }
}
