// Permission rules at work: kept compiled in memory (reloaded on every change), decided for each
// PreToolUse and PermissionRequest (paths resolved on disk here, matching stays pure), recorded in the
// agent's timeline, and learned suggestions. A marker file tells hooks/tend-hook whether PreToolUse
// must wait for an answer at all.
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, posix } from 'node:path'
import type { HookEvent } from '../core/hook-event.ts'
import type { ParsedRule, Rule, RuleInput } from '../core/rules/permission-rule.ts'
import {
  callTargets,
  compileRules,
  decide,
  type CompiledRule,
  type RuleDecision,
  type ToolCall,
} from '../core/rules/rule-match.ts'
import { suggestRules, type Suggestion } from '../core/rules/suggest.ts'
import type { IngestResult } from '../store/ingest.ts'
import { recordDelivery } from '../store/replies.ts'
import {
  agentDir,
  deleteRule,
  findRule,
  insertRule,
  listRules,
  permissionAnswers,
  recordRuleDecision,
  ruleEffects,
  type RuleEffects,
  type RuleEffectsOptions,
} from '../store/rules.ts'
import { resolveAgent } from './agents.ts'
import { Refusal } from './errors.ts'
import type { Services } from './services.ts'

/** The file whose presence tells tend-hook that PreToolUse waits for the receiver (deny or ask rules exist). */
export const POLICY_MARKER = 'rules-active'
/** How far back suggestions learn from. */
const SUGGEST_WINDOW_MS = 30 * 86_400_000

export interface RuleTestResult {
  decision: RuleDecision['kind'] | null
  rule: Rule | null
  subject: string | null
  /** What Claude Code would be told. */
  message: string | null
  call: { tool: string; input: Record<string, unknown>; cwd: string; sessionId: string | null }
}

export interface RuleService {
  list(): Rule[]
  add(input: RuleInput & { origin?: Rule['origin'] }): Rule
  remove(id: number): Rule
  /** What the rules decide for a call written like a rule (`Bash(npm test && rm -rf /)`), for an agent or a directory. */
  test(target: string, call: ParsedRule): RuleTestResult
  suggest(opts?: { includeRisky?: boolean; minApprovals?: number }): Suggestion[]
  effects(opts: RuleEffectsOptions): RuleEffects
  /**
   * The hook output a rule gives this event, or null (no rule applies, or the hook would not print it).
   * Records the decision; an auto-answered PermissionRequest's wait ends at once.
   */
  answerHook(event: HookEvent, result: IngestResult, hookWaits: boolean): Record<string, unknown> | null
  /** Decides without recording (the bench, `tend rules test`). */
  decideEvent(event: HookEvent): RuleDecision | null
}

const services = new WeakMap<Services, RuleService>()

/** The one rule service of a Services object (built on first use, so the composition root needs no change). */
export function rulesOf(s: Services): RuleService {
  let r = services.get(s)
  if (!r) services.set(s, (r = createRuleService(s)))
  return r
}

/**
 * The real path of `p`: the existing part resolved on disk (symlinks, and `..` after them as the kernel
 * takes it: `link/..` is the parent of the link's target), the rest appended.
 */
export function realPathOf(p: string): string {
  const missing: string[] = []
  let cur = p.replace(/\/+$/, '') || '/'
  for (let i = 0; i < 64; i++) {
    try {
      const real = realpathSync.native(cur)
      return missing.length ? posix.join(real, ...missing.reverse()) : real
    } catch {
      const up = dirname(cur)
      if (up === cur) break
      missing.push(posix.basename(cur))
      cur = up
    }
  }
  return posix.normalize(p)
}

function createRuleService(s: Services): RuleService {
  const db = s.store.db
  const home = homedir()
  const marker = join(s.config.paths.dataDir, POLICY_MARKER)
  let compiled: CompiledRule[] | null = null

  function rules(): CompiledRule[] {
    compiled ??= compileRules(listRules(db))
    return compiled
  }

  /** After every change: recompile, and tell the hook whether PreToolUse must wait. */
  function changed() {
    compiled = compileRules(listRules(db))
    const policy = compiled.some((r) => r.kind === 'deny' || r.kind === 'ask')
    try {
      if (policy) {
        mkdirSync(dirname(marker), { recursive: true })
        writeFileSync(marker, `${compiled.length}\n`)
      } else rmSync(marker, { force: true })
    } catch (err) {
      s.log.warn('rules: the PreToolUse marker could not be written', { error: String(err) })
    }
  }
  // The marker follows the stored rules from the start (rules added while the receiver was down, a stale file).
  changed()

  function toolCall(sessionId: string, tool: string, input: Record<string, unknown>, cwd: string): ToolCall {
    const realCwd = realPathOf(cwd)
    const t = callTargets(tool, input, realCwd, home)
    // A file is judged as the kernel walks its name (`link/..` is the link target's parent) and as a tool
    // that tidies the name first would open it: a deny holds if either is denied, an allow needs both.
    const resolve = (named: Array<string | null>) => (p: string | null, i: number) => {
      if (p === null) return [null]
      const walked = realPathOf(named[i] ?? p)
      const tidied = realPathOf(p)
      return walked === tidied
        ? [{ lexical: p, real: walked }]
        : [
            { lexical: p, real: walked },
            { lexical: p, real: tidied },
          ]
    }
    const dir = agentDir(db, sessionId)
    return {
      tool,
      input,
      sessionId,
      projectDir: dir ? realPathOf(dir) : realCwd,
      base: { cwd: realCwd, home, root: null },
      shell: t.shell,
      reads: t.reads.flatMap(resolve(t.named.reads)),
      // A write names the file as given too: a deny on the lexical path holds even through a symlink.
      writes: t.writes.flatMap(resolve(t.named.writes)),
    }
  }

  function decideEvent(event: HookEvent): RuleDecision | null {
    if (event.hook_event_name !== 'PreToolUse' && event.hook_event_name !== 'PermissionRequest') return null
    const all = rules()
    if (all.length === 0 || !event.tool_name) return null
    const cwd = event.cwd ?? agentDir(db, event.session_id) ?? '/'
    return decide(all, toolCall(event.session_id, event.tool_name, event.tool_input ?? {}, cwd))
  }

  return {
    list: () => listRules(db),
    add(input) {
      const scope = input.agent ? 'agent' : input.path ? 'path' : 'everywhere'
      const target = input.agent ? resolveAgent(db, input.agent, s.now()) : (input.path ?? null)
      const same = findRule(db, { kind: input.kind, rule: input.rule, scope, target })
      if (same) throw new Refusal('conflict', `rule #${same.id} is the same rule`, { id: same.id })
      const rule = insertRule(
        db,
        {
          kind: input.kind,
          rule: input.rule,
          scope,
          target,
          reason: input.reason ?? null,
          origin: input.origin ?? 'person',
        },
        s.now(),
      )
      changed()
      s.log.info('rule added', { id: rule.id, kind: rule.kind, rule: rule.rule, scope, target })
      return rule
    },
    remove(id) {
      const rule = deleteRule(db, id)
      if (!rule) throw new Refusal('not_found', `no rule #${id}`)
      changed()
      s.log.info('rule removed', { id, rule: rule.rule })
      return rule
    },
    test(target, { tool, specifier }) {
      const input: Record<string, unknown> = {}
      if (specifier !== null) {
        if (tool === 'Bash') input['command'] = specifier
        else if (tool === 'WebFetch') input['url'] = specifier.replace(/^domain:/, 'https://')
        else if (tool === 'Agent' || tool === 'Task') input['subagent_type'] = specifier
        else input['file_path'] = specifier
      }
      let sessionId: string | null = null
      let cwd: string
      if (target.startsWith('/')) cwd = target
      else {
        sessionId = resolveAgent(db, target, s.now())
        cwd = agentDir(db, sessionId) ?? '/'
      }
      const decision = decide(rules(), toolCall(sessionId ?? '', tool, input, cwd))
      return {
        decision: decision?.kind ?? null,
        rule: decision ? strip(decision.rule) : null,
        subject: decision?.subject ?? null,
        message: decision ? messageFor(decision) : null,
        call: { tool, input, cwd, sessionId },
      }
    },
    suggest(opts = {}) {
      const existing = new Set(
        listRules(db)
          .filter((r) => r.kind === 'allow' && r.scope === 'path')
          .map((r) => `${r.rule}\t${r.target}`),
      )
      return suggestRules(permissionAnswers(db, s.now() - SUGGEST_WINDOW_MS), home, { ...opts, existing })
    },
    effects: (opts) => ruleEffects(db, opts),
    decideEvent,
    answerHook(event, result, hookWaits) {
      const name = event.hook_event_name
      if (!hookWaits || result.duplicate || (name !== 'PreToolUse' && name !== 'PermissionRequest')) return null
      const decision = decideEvent(event)
      if (!decision) return null
      // PreToolUse says deny or ask; an allow is given at the PermissionRequest (Claude Code's own ask and
      // deny rules still apply then). A PermissionRequest is allowed or denied; ask is what it is already.
      if (name === 'PreToolUse' && decision.kind === 'allow') return null
      if (name === 'PermissionRequest' && decision.kind === 'ask') return null
      const message = messageFor(decision)
      const at = s.now()
      recordRuleDecision(db, {
        sessionId: event.session_id,
        rule: strip(decision.rule),
        kind: decision.kind,
        event: name,
        toolName: event.tool_name ?? '',
        toolUseId: event.tool_use_id ?? null,
        subject: decision.subject,
        message: decision.kind === 'allow' ? null : message,
        at,
      })
      s.log.info('rule decided', {
        sessionId: event.session_id,
        event: name,
        decision: decision.kind,
        rule: decision.rule.id,
      })
      if (name === 'PermissionRequest') {
        const waitId = result.openedWaitId
        const action = decision.kind === 'allow' ? ('approve' as const) : ('deny' as const)
        if (
          waitId &&
          recordDelivery(db, {
            waitId,
            sessionId: event.session_id,
            action,
            text: action === 'deny' ? message : null,
            via: 'rule',
            by: `rule #${decision.rule.id}`,
            at,
            path: 'hook',
          })
        ) {
          s.bus.emit('change', { sessionId: event.session_id, cause: 'answer', waitId })
        }
        return {
          hookSpecificOutput: {
            hookEventName: 'PermissionRequest',
            decision: action === 'approve' ? { behavior: 'allow' } : { behavior: 'deny', message },
          },
        }
      }
      return {
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: decision.kind,
          permissionDecisionReason: message,
        },
      }
    },
  }
}

function strip(rule: CompiledRule): Rule {
  return {
    id: rule.id,
    kind: rule.kind,
    rule: rule.rule,
    scope: rule.scope,
    target: rule.target,
    reason: rule.reason,
    createdAt: rule.createdAt,
    origin: rule.origin,
  }
}

/** What Claude Code shows: the model reads a deny's reason; the person sees an ask's. */
export function messageFor(d: RuleDecision): string {
  const which = `tend rule #${d.rule.id} (${d.rule.kind} ${d.rule.rule})`
  if (d.kind === 'deny') return d.rule.reason ? `Denied by ${which}: ${d.rule.reason}` : `Denied by ${which}.`
  if (d.kind === 'ask') return `${which} asks the person to confirm this.`
  return `Allowed by ${which}.`
}
