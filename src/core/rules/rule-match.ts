// Which rule decides a tool call: deny wins over ask, ask over allow; an allow applies only when every
// part of the call is covered (each command of a compound Bash line, each file it writes). Pure.
import { globToRegExp } from '../priority.ts'
import { parsePermissionRule, PATH_RULE_TOOLS, type ParsedRule, type Rule, type RuleKind } from './permission-rule.ts'
import {
  absolutePath,
  absolutePattern,
  globRoot,
  isInside,
  namedPath,
  pathMatches,
  type PathBase,
} from './path-pattern.ts'
import { commandText, parseShell, type ParsedShell, type SimpleCommand } from './shell-command.ts'

export interface CompiledRule extends Rule {
  parsed: ParsedRule
  /** Bash: the specifier as a matcher over a command's text. */
  command?: (text: string) => boolean
  /** Whether it applies to an agent (by its session id and directory). */
  inScope: (sessionId: string, dir: string | null) => boolean
  /** Path scope: what `/x` is relative to (the glob's fixed part). */
  root: string | null
}

/** Rules compiled once when they change; unreadable rows are skipped (they were validated on the way in). */
export function compileRules(rules: Rule[]): CompiledRule[] {
  const out: CompiledRule[] = []
  for (const rule of rules) {
    const parsed = parsePermissionRule(rule.rule)
    if (!parsed.ok) continue
    const c: CompiledRule = { ...rule, parsed: parsed.rule, inScope: () => false, root: null }
    if (parsed.rule.tool === 'Bash' && parsed.rule.specifier !== null) c.command = commandMatcher(parsed.rule.specifier)
    c.inScope = ruleScope(rule)
    if (rule.scope === 'path' && rule.target) c.root = globRoot(rule.target)
    out.push(c)
  }
  return out
}

/** Where a rule applies: to every agent, to one, or to those whose directory is under its path glob. */
export function ruleScope(rule: Rule): (sessionId: string, dir: string | null) => boolean {
  if (rule.scope === 'everywhere') return () => true
  if (rule.scope === 'agent') return (sessionId) => sessionId === rule.target
  if (!rule.target) return () => false
  const re = new RegExp(`${globToRegExp(rule.target).source}|${globToRegExp(`${rule.target}/**`).source}`)
  const root = globRoot(rule.target)
  // `~/work/api/**` takes in ~/work/api itself too.
  return (_s, dir) => !!dir && (re.test(dir) || dir === root)
}

/**
 * Claude Code's Bash specifiers: `npm test:*` is a prefix at a word boundary; `*` matches anything
 * (blanks too), and a single trailing ` *` may match nothing (`ls *` matches `ls`, never `lsof`);
 * anything else matches exactly.
 */
export function commandMatcher(spec: string): (text: string) => boolean {
  const s = spec.trim().replace(/\s+/g, ' ')
  const esc = (t: string) => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  if (s.endsWith(':*')) {
    const prefix = esc(s.slice(0, -2).trimEnd())
    const re = new RegExp(`^${prefix}(?:\\s[\\s\\S]*)?$`)
    return (t) => re.test(t)
  }
  if (!s.includes('*')) return (t) => t === s
  const stars = s.split('*').length - 1
  if (stars === 1 && s.endsWith(' *')) {
    const re = new RegExp(`^${esc(s.slice(0, -2))}(?:\\s[\\s\\S]*)?$`)
    return (t) => re.test(t)
  }
  return wildcard(s.split('*'))
}

/**
 * The parts between `*`s, in order, the first at the start and the last at the end: each middle part
 * at its leftmost place (which is never worse for what follows), so a long line costs one pass, where
 * a backtracking regexp could take minutes.
 */
function wildcard(parts: string[]): (text: string) => boolean {
  const first = parts[0]!
  const last = parts[parts.length - 1]!
  return (t) => {
    if (t.length < first.length + last.length || !t.startsWith(first) || !t.endsWith(last)) return false
    const end = t.length - last.length
    let at = first.length
    for (let k = 1; k < parts.length - 1; k++) {
      const i = t.indexOf(parts[k]!, at)
      if (i < 0 || i + parts[k]!.length > end) return false
      at = i + parts[k]!.length
    }
    return true
  }
}

/** A file a call reads or writes: as named (made absolute), and as it really is (symlinks resolved). */
export interface TargetPath {
  lexical: string
  real: string
}

/** What the service knows about a call once it has resolved its paths. */
export interface ToolCall {
  tool: string
  input: Record<string, unknown>
  sessionId: string
  /** Where the agent was started (its project): path-scoped rules apply under it. */
  projectDir: string | null
  base: PathBase
  shell: ParsedShell | null
  reads: Array<TargetPath | null>
  /** null: a file named by an expansion ($F), not known here. */
  writes: Array<TargetPath | null>
}

/** The files a call names, before the service resolves them on disk. */
export interface CallTargets {
  shell: ParsedShell | null
  reads: Array<string | null>
  writes: Array<string | null>
  /**
   * Each read and write as the kernel will walk it: joined to cwd with its `..` kept (`link/..` is the
   * link target's parent, not the link's), for resolving on disk.
   */
  named: { reads: Array<string | null>; writes: Array<string | null> }
}

const READERS = new Set(PATH_RULE_TOOLS['Read'])
const WRITERS = new Set(PATH_RULE_TOOLS['Edit'])
const SEARCHERS = new Set(['Grep', 'Glob', 'LS'])
/** Redirections to these change no file. */
const DEVICES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)

/** The shell commands and files of a call, from its tool input (paths made absolute against cwd). */
export function callTargets(tool: string, input: Record<string, unknown>, cwd: string, home: string): CallTargets {
  const dir = cwd.startsWith('/') ? cwd : '/'
  const abs = (p: string) => absolutePath(p, dir, home)
  const out: CallTargets = { shell: null, reads: [], writes: [], named: { reads: [], writes: [] } }
  const add = (mode: 'read' | 'write', p: string | null) => {
    ;(mode === 'write' ? out.writes : out.reads).push(p === null ? null : abs(p))
    ;(mode === 'write' ? out.named.writes : out.named.reads).push(p === null ? null : namedPath(p, dir, home))
  }
  if (tool === 'Bash') {
    out.shell = parseShell(str(input['command']) ?? '')
    for (const cmd of out.shell.commands) {
      for (const r of cmd.redirects) {
        if (r.target === null) continue
        const target = r.dynamic && !/^~\/[^*?[$`]*$/.test(r.target) ? null : r.target
        if (target !== null && DEVICES.test(abs(target))) continue
        add(r.mode, target)
      }
    }
    return out
  }
  const path = str(input['file_path']) ?? str(input['notebook_path']) ?? str(input['path'])
  if (WRITERS.has(tool) && path) add('write', path)
  if (READERS.has(tool)) add('read', path ?? '.')
  // Glob's pattern may leave its path (`/etc/**`, `~/.ssh/*`, `../../x/*`): it reads where it goes too.
  const pattern = tool === 'Glob' ? str(input['pattern']) : null
  if (pattern && (pattern.startsWith('/') || pattern.startsWith('~') || /(^|\/)\.\.(\/|$)/.test(pattern))) {
    add('read', globRoot(absolutePath(pattern, path ? absolutePath(path, dir, home) : dir, home)))
  }
  return out
}

export interface RuleDecision {
  kind: RuleKind
  rule: CompiledRule
  /** What the decision was about: the command or the file, for the timeline. */
  subject: string
}

/** The decision the rules make for a call, or null when none applies (Claude Code's own flow). */
export function decide(rules: CompiledRule[], call: ToolCall): RuleDecision | null {
  const applicable = rules.filter((r) => applies(r, call))
  for (const kind of ['deny', 'ask'] as const) {
    for (const rule of applicable) {
      if (rule.kind !== kind) continue
      const subject = matchAny(rule, call)
      if (subject !== null) return { kind, rule, subject }
    }
  }
  return allowAll(
    applicable.filter((r) => r.kind === 'allow'),
    call,
  )
}

function applies(rule: CompiledRule, call: ToolCall): boolean {
  return rule.inScope(call.sessionId, call.projectDir ?? call.base.cwd)
}

function baseFor(rule: CompiledRule, call: ToolCall): PathBase {
  return { ...call.base, root: rule.root }
}

/** The texts a command is known by: as the shell reads it, as written, and without a transparent wrapper. */
function candidates(cmd: SimpleCommand): string[] {
  const risky = cmd.env.some((e) => RISKY_ENV.test(e))
  const texts = risky ? [cmd.raw] : [cmd.text, cmd.raw]
  if (cmd.unwrapped && !risky) texts.push(cmd.unwrapped)
  return texts
}
/**
 * For deny and ask, a command is also known by its program's name without its directory: a rule for
 * `rm:*` stops `/bin/rm -rf /` too. (Never for allow: `./npm test` is not `npm test`.)
 */
function denyCandidates(cmd: SimpleCommand): string[] {
  const texts = [cmd.text, cmd.raw]
  if (cmd.unwrapped) texts.push(cmd.unwrapped)
  const program = cmd.argv[0] ?? ''
  if (program.includes('/'))
    texts.push(commandText([program.slice(program.lastIndexOf('/') + 1), ...cmd.argv.slice(1)]))
  return texts
}
/** An env prefix that changes which program runs or what it loads: `PATH=/tmp npm test` is not `npm test`. */
const RISKY_ENV =
  /^(PATH|LD_[A-Z_]*|DYLD_[A-Z_]*|NODE_OPTIONS|NODE_PATH|BASH_ENV|ENV|IFS|PYTHONPATH|PYTHONSTARTUP|PERL5LIB|PERL5OPT|RUBYOPT|RUBYLIB|GIT_[A-Z_]*|npm_config_[a-z_]*)\+?=/

/** For deny and ask: the first part of the call the rule matches (as a subject), or null. */
function matchAny(rule: CompiledRule, call: ToolCall): string | null {
  const { tool, specifier } = rule.parsed
  if (tool === 'Bash') {
    if (call.tool !== 'Bash') return null
    const whole = str(call.input['command']) ?? ''
    if (!rule.command) return whole
    for (const cmd of call.shell?.commands ?? []) {
      if (denyCandidates(cmd).some(rule.command)) return cmd.text
    }
    // What the reader could not follow is judged as written too.
    if (call.shell && call.shell.opaque.length > 0 && rule.command(whole.trim())) return whole
    return null
  }
  if (tool in PATH_RULE_TOOLS) {
    const family = PATH_RULE_TOOLS[tool]!
    const targets = call.tool === 'Bash' ? (tool === 'Read' ? call.reads : call.writes) : call.reads.concat(call.writes)
    if (call.tool !== 'Bash' && !family.includes(call.tool)) return null
    if (specifier === null) return call.tool === 'Bash' ? null : (targets[0]?.lexical ?? call.tool)
    const glob = absolutePattern(specifier, baseFor(rule, call))
    // A search (Grep, Glob, LS) of a directory denied whole (`~/.ssh/**`), or of one above it (`~`), reads
    // what is inside it. Not of
    // the directory a bare name is looked for under (`.env` at any depth): the project stays searchable.
    const root = SEARCHERS.has(call.tool) && glob === `${globRoot(glob)}/**` ? globRoot(glob) : null
    for (const t of targets) {
      if (t && (pathMatches(glob, t.lexical) || pathMatches(glob, t.real))) return t.lexical
      if (t && root !== null && (isInside(t.lexical, root) || isInside(t.real, root))) return t.lexical
    }
    return null
  }
  return matchOther(rule, call)
}

/** For allow: every part of the call covered by some allow rule; the rule that covered its first part. */
function allowAll(allows: CompiledRule[], call: ToolCall): RuleDecision | null {
  if (allows.length === 0) return null
  if (call.tool === 'Bash') {
    const shell = call.shell
    if (!shell || shell.opaque.length > 0) return null
    const bash = allows.filter((r) => r.parsed.tool === 'Bash')
    let first: RuleDecision | null = null
    for (const cmd of shell.commands) {
      if (cmd.argv.length === 0) {
        if (cmd.env.some((e) => RISKY_ENV.test(e))) return null
        continue
      }
      const texts = candidates(cmd)
      const rule = bash.find((r) => !r.command || texts.some(r.command))
      if (!rule) return null
      first ??= { kind: 'allow', rule, subject: str(call.input['command']) ?? cmd.text }
    }
    if (!first) {
      const bare = bash.find((r) => !r.command)
      if (!bare) return null
      first = { kind: 'allow', rule: bare, subject: str(call.input['command']) ?? '' }
    }
    // What the line writes through redirections must be allowed as a write; what it reads, as a read
    // (inside the project it may read without a rule, as Claude Code's own tools do).
    for (const w of call.writes) if (!w || !pathAllowed(allows, 'Edit', w, call)) return null
    for (const r of call.reads) {
      if (!r) return null
      const home = call.projectDir ?? call.base.cwd
      if (!isInside(home, r.real) && !pathAllowed(allows, 'Read', r, call)) return null
    }
    return first
  }
  const family = READERS.has(call.tool) ? 'Read' : WRITERS.has(call.tool) ? 'Edit' : null
  if (family) {
    const targets = [...call.reads, ...call.writes]
    if (targets.length === 0) return null
    let rule: CompiledRule | undefined
    for (const t of targets) {
      if (!t) return null
      rule = allows.find((r) => coversPath(r, family, t, call))
      if (!rule) return null
    }
    return rule ? { kind: 'allow', rule, subject: targets[0]!.lexical } : null
  }
  for (const rule of allows) {
    const subject = matchOther(rule, call)
    if (subject !== null) return { kind: 'allow', rule, subject }
  }
  return null
}

function pathAllowed(allows: CompiledRule[], family: 'Read' | 'Edit', t: TargetPath, call: ToolCall): boolean {
  return allows.some((r) => r.parsed.specifier !== null && coversPath(r, family, t, call))
}

/** An allow covers a file only as it really is: a symlink out of the allowed tree is not allowed. */
function coversPath(rule: CompiledRule, family: 'Read' | 'Edit', t: TargetPath, call: ToolCall): boolean {
  const { tool, specifier } = rule.parsed
  if (!(tool in PATH_RULE_TOOLS)) return false
  const ruleFamily = tool === 'Read' ? 'Read' : 'Edit'
  if (ruleFamily !== family) return false
  if (specifier === null) return call.tool !== 'Bash'
  return pathMatches(absolutePattern(specifier, baseFor(rule, call)), t.real)
}

/** Tools without a path or a command: bare names, MCP servers, WebFetch domains, agents and skills. */
function matchOther(rule: CompiledRule, call: ToolCall): string | null {
  const { tool, specifier } = rule.parsed
  if (tool === 'Bash' || tool in PATH_RULE_TOOLS) return null
  if (tool.startsWith('mcp__') && specifier === null) {
    return call.tool === tool || call.tool.startsWith(`${tool}__`) ? call.tool : null
  }
  if (call.tool !== tool && !(tool === 'Agent' && call.tool === 'Task') && !(tool === 'Task' && call.tool === 'Agent'))
    return null
  if (specifier === null) return call.tool
  if (tool === 'WebFetch') {
    const host = hostOf(str(call.input['url']))
    const domain = specifier.slice('domain:'.length).toLowerCase()
    if (!host) return null
    const ok = domain.startsWith('*.') ? host.endsWith(domain.slice(1)) : host === domain
    return ok ? host : null
  }
  const name = str(call.input['subagent_type']) ?? str(call.input['skill']) ?? str(call.input['command'])
  return name !== null && commandMatcher(specifier)(name) ? name : null
}

function hostOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).hostname.toLowerCase()
  } catch {
    return null
  }
}
