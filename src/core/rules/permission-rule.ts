// A tend rule: a Claude Code permission rule (`Bash(npm test:*)`, `Edit(src/**)`, `WebFetch(domain:x)`,
// a bare tool name), a kind (allow, ask, deny) and where it applies (everywhere, one agent, a path glob).
import { z } from 'zod'

export const RULE_KINDS = ['deny', 'ask', 'allow'] as const
export type RuleKind = (typeof RULE_KINDS)[number]
export const RULE_SCOPES = ['everywhere', 'agent', 'path'] as const
export type RuleScopeKind = (typeof RULE_SCOPES)[number]

/** Tools whose specifier is a path pattern, and the tools each rule name covers. */
export const PATH_RULE_TOOLS: Record<string, readonly string[]> = {
  Read: ['Read', 'Grep', 'Glob', 'LS', 'NotebookRead'],
  // Claude Code's Edit rules cover every built-in file edit; tend reads Write(…) the same way (a write is a write).
  Edit: ['Edit', 'MultiEdit', 'Write', 'NotebookEdit'],
  Write: ['Edit', 'MultiEdit', 'Write', 'NotebookEdit'],
}

export interface ParsedRule {
  /** The tool name as written (`Bash`, `Edit`, `mcp__github`). */
  tool: string
  /** What is inside the parentheses; null for a bare tool name (or `Tool(*)`). */
  specifier: string | null
}

export type RuleParse = { ok: true; rule: ParsedRule } | { ok: false; error: string }

const TOOL_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/

/** Reads `Tool` or `Tool(specifier)`, refusing what Claude Code would ignore or tend cannot judge. */
export function parsePermissionRule(text: string): RuleParse {
  const rule = text.trim()
  if (rule === '') return { ok: false, error: 'the rule is empty' }
  const open = rule.indexOf('(')
  if (open < 0) {
    if (!TOOL_NAME.test(rule)) return { ok: false, error: `'${rule}' is not a tool name` }
    return { ok: true, rule: { tool: rule, specifier: null } }
  }
  if (!rule.endsWith(')')) return { ok: false, error: `'${rule}' must end with ')'` }
  const tool = rule.slice(0, open)
  const specifier = rule.slice(open + 1, -1).trim()
  if (!TOOL_NAME.test(tool)) return { ok: false, error: `'${tool}' is not a tool name` }
  if (specifier === '' || specifier === '*') return { ok: true, rule: { tool, specifier: null } }
  if (tool === 'Bash') {
    const prefix = specifier.indexOf(':*')
    if (prefix >= 0 && prefix !== specifier.length - 2) {
      return { ok: false, error: `':*' may only end a Bash rule (${rule}); use '*' for a wildcard elsewhere` }
    }
    return { ok: true, rule: { tool, specifier } }
  }
  if (tool in PATH_RULE_TOOLS) return { ok: true, rule: { tool, specifier } }
  if (tool === 'WebFetch') {
    if (!/^domain:[A-Za-z0-9*.-]+$/.test(specifier)) {
      return { ok: false, error: `WebFetch rules name a domain: WebFetch(domain:example.com), not ${rule}` }
    }
    return { ok: true, rule: { tool, specifier } }
  }
  if (tool === 'Agent' || tool === 'Task' || tool === 'Skill') return { ok: true, rule: { tool, specifier } }
  return {
    ok: false,
    error: `tend reads a specifier for Bash, Read, Edit, Write, WebFetch, Agent and Skill; use the bare name '${tool}'`,
  }
}

/** The rule as Claude Code writes it (canonical spacing; `Tool(*)` as `Tool`). */
export function formatPermissionRule(rule: ParsedRule): string {
  return rule.specifier === null ? rule.tool : `${rule.tool}(${rule.specifier})`
}

export const PermissionRuleTextSchema = z
  .string()
  .max(2_000)
  .transform((text, ctx) => {
    const parsed = parsePermissionRule(text)
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error })
      return z.NEVER
    }
    return formatPermissionRule(parsed.rule)
  })

/** What `tend rules add` and POST /v1/rules take. */
export const RuleInputSchema = z
  .object({
    kind: z.enum(RULE_KINDS),
    rule: PermissionRuleTextSchema,
    /** An agent (short id, session id, project name): resolved to its session id by the service. */
    agent: z.string().min(1).max(200).optional(),
    /** A project path glob (absolute, `~` expanded by the client): the rule applies to agents working under it. */
    path: z
      .string()
      .min(1)
      .max(1_000)
      .refine((p) => p.startsWith('/'), 'path must be an absolute path glob (expand ~ first)')
      .optional(),
    /** What the agent is told when the rule denies (deny only). */
    reason: z.string().trim().min(1).max(1_000).optional(),
  })
  .refine((r) => !(r.agent && r.path), { message: 'a rule applies to one agent or one path glob, not both' })
  .refine((r) => r.kind === 'deny' || r.reason === undefined, {
    message: 'only a deny rule has a reason (the agent sees it)',
    path: ['reason'],
  })
export type RuleInput = z.infer<typeof RuleInputSchema>

/** A stored rule. */
export interface Rule {
  id: number
  kind: RuleKind
  /** Canonical Claude Code rule text. */
  rule: string
  scope: RuleScopeKind
  /** The session id (agent scope) or the path glob (path scope); null everywhere. */
  target: string | null
  reason: string | null
  createdAt: number
  /** Where the rule came from: typed by the person, or an accepted suggestion. */
  origin: 'person' | 'suggestion'
}
