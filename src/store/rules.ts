// Permission rules, the decisions they make (also written into the agent's timeline), the answered
// permission prompts suggestions learn from, and what the rules changed (ruleEffects).
import { and, asc, desc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm'
import type { Rule, RuleKind, RuleScopeKind } from '../core/rules/permission-rule.ts'
import type { PermissionAnswer } from '../core/rules/suggest.ts'
import { ruleScope } from '../core/rules/rule-match.ts'
import { canonicalJson } from '../core/canonical-json.ts'
import { clip } from '../core/clip.ts'
import { median } from '../core/spread.ts'
import type { Db } from './db.ts'
import { contentHash } from './ingest.ts'
import { agents, events, replies, ruleDecisions, rules, waits, type RuleRow } from './schema.ts'

/** The timeline event a decision leaves (the hook's own PreToolUse / PermissionRequest event is beside it). */
export const RULE_DECISION_EVENT = 'RuleDecision'
const SUBJECT_MAX = 1_000

const toRule = (r: RuleRow): Rule => ({
  id: r.id,
  kind: r.kind,
  rule: r.rule,
  scope: r.scope,
  target: r.target,
  reason: r.reason,
  createdAt: r.createdAt,
  origin: r.origin,
})

/** Where an agent was started (its project directory), or null for a session tend has not seen. */
export function agentDir(db: Db, sessionId: string): string | null {
  return db.select({ cwd: agents.cwd }).from(agents).where(eq(agents.sessionId, sessionId)).get()?.cwd ?? null
}

export function listRules(db: Db): Rule[] {
  return db.select().from(rules).orderBy(asc(rules.id)).all().map(toRule)
}

export interface NewRule {
  kind: RuleKind
  rule: string
  scope: RuleScopeKind
  target: string | null
  reason: string | null
  origin: Rule['origin']
}

/** The same rule (kind, text, scope, target) if it exists already. */
export function findRule(db: Db, r: Omit<NewRule, 'reason' | 'origin'>): Rule | undefined {
  return listRules(db).find(
    (x) => x.kind === r.kind && x.rule === r.rule && x.scope === r.scope && x.target === r.target,
  )
}

export function insertRule(db: Db, rule: NewRule, at: number): Rule {
  return toRule(
    db
      .insert(rules)
      .values({ ...rule, createdAt: at })
      .returning()
      .get(),
  )
}

export function deleteRule(db: Db, id: number): Rule | undefined {
  const row = db.delete(rules).where(eq(rules.id, id)).returning().get()
  return row ? toRule(row) : undefined
}

export interface DecisionRecord {
  sessionId: string
  rule: Rule
  kind: RuleKind
  event: 'PreToolUse' | 'PermissionRequest'
  toolName: string
  toolUseId: string | null
  subject: string
  /** What the agent was told (deny) or shown (ask). */
  message: string | null
  at: number
}

/** Counts the decision and puts it in the agent's timeline, in one transaction. */
export function recordRuleDecision(db: Db, d: DecisionRecord): void {
  const subject = clip(d.subject, SUBJECT_MAX)
  const payload = {
    hook_event_name: RULE_DECISION_EVENT,
    session_id: d.sessionId,
    decision: d.kind,
    for_event: d.event,
    rule_id: d.rule.id,
    rule: d.rule.rule,
    rule_kind: d.rule.kind,
    tool_name: d.toolName,
    subject,
    ...(d.message ? { message: d.message } : {}),
  }
  db.transaction((tx) => {
    tx.insert(ruleDecisions)
      .values({
        sessionId: d.sessionId,
        ruleId: d.rule.id,
        kind: d.kind,
        event: d.event,
        toolName: d.toolName,
        subject,
        at: d.at,
      })
      .run()
    tx.insert(events)
      .values({
        sessionId: d.sessionId,
        name: RULE_DECISION_EVENT,
        occurredAt: d.at,
        receivedAt: d.at,
        toolName: d.toolName,
        toolUseId: d.toolUseId,
        contentHash: contentHash(canonicalJson({ ...payload, at: d.at })),
        payload,
      })
      .run()
  })
}

/**
 * Permission prompts the person answered since `since`, with the agent's project: approved (through
 * tend, or the tool ran after the dialog) or denied (through tend, or the dialog was dismissed).
 */
export function permissionAnswers(db: Db, since: number): PermissionAnswer[] {
  const rows = db
    .select({
      id: waits.id,
      sessionId: waits.sessionId,
      endedAt: waits.endedAt,
      detail: waits.detail,
      endedBy: waits.endedBy,
      endedVia: waits.endedVia,
      startedAt: waits.startedAt,
      cwd: agents.cwd,
    })
    .from(waits)
    .innerJoin(agents, eq(agents.sessionId, waits.sessionId))
    .where(and(eq(waits.kind, 'permission'), gte(waits.startedAt, since), isNotNull(waits.endedAt)))
    .all()
  const ids = rows.filter((r) => r.endedBy === 'reply').map((r) => r.id)
  const actions = new Map<string, string>()
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    for (const r of db
      .select({ waitId: replies.waitId, action: replies.action })
      .from(replies)
      .where(and(inArray(replies.waitId, chunk), eq(replies.outcome, 'delivered')))
      .all())
      actions.set(r.waitId, r.action)
  }
  const out: PermissionAnswer[] = []
  for (const r of rows) {
    // A wait a rule answered is no answer of the person's.
    if (r.endedVia === 'rule' || !r.cwd) continue
    const detail = r.detail as { toolName?: string; toolInput?: Record<string, unknown> }
    if (!detail.toolName || !detail.toolInput) continue
    let approved: boolean
    if (r.endedBy === 'reply') approved = actions.get(r.id) === 'approve'
    else if (r.endedBy === 'resumed') approved = true
    // Answered in the terminal: a "Yes" is followed by the tool's own result, which ended the wait.
    else if (r.endedBy === 'terminal') approved = toolRanAt(db, r.sessionId, r.endedAt!)
    else continue
    out.push({ toolName: detail.toolName, toolInput: detail.toolInput, projectDir: r.cwd, at: r.startedAt, approved })
  }
  return out
}

function toolRanAt(db: Db, sessionId: string, at: number): boolean {
  const row = db
    .select({ seq: events.seq })
    .from(events)
    .where(
      and(
        eq(events.sessionId, sessionId),
        eq(events.occurredAt, at),
        inArray(events.name, ['PostToolUse', 'PostToolUseFailure']),
      ),
    )
    .get()
  return row !== undefined
}

export interface RuleEffectsOptions {
  from: number
  to: number
  /** Length of a day bucket and its offset from UTC midnight (ms), for the person's local days. */
  dayMs?: number
  dayOffsetMs?: number
  /** How far before and after a rule's creation T_work is compared (default 7 days). */
  compareMs?: number
}

export interface RuleEffect {
  id: number
  rule: string
  kind: RuleKind
  scope: RuleScopeKind
  target: string | null
  createdAt: number
  origin: Rule['origin']
  decisions: number
  /** Permission dialogs answered by the rule instead of the person. */
  interruptionsAvoided: number
  /** Median T_work (ms) of the agents it applies to, in the `compareMs` before and after it was added. */
  tWorkBeforeMs: number | null
  tWorkAfterMs: number | null
  samplesBefore: number
  samplesAfter: number
}

export interface RuleEffects {
  from: number
  to: number
  decisions: number
  interruptionsAvoided: number
  byKind: Record<RuleKind, number>
  /** Per day (start of the day, ms): decisions and the dialogs they spared the person. */
  days: Array<{ day: number; decisions: number; interruptionsAvoided: number }>
  rules: RuleEffect[]
}

/** What the rules did over [from, to): decisions per day and per rule, and T_work before and after each rule. */
export function ruleEffects(db: Db, opts: RuleEffectsOptions): RuleEffects {
  const dayMs = opts.dayMs ?? 86_400_000
  const offset = opts.dayOffsetMs ?? 0
  const compareMs = opts.compareMs ?? 7 * 86_400_000
  const rows = db
    .select({
      ruleId: ruleDecisions.ruleId,
      kind: ruleDecisions.kind,
      event: ruleDecisions.event,
      at: ruleDecisions.at,
    })
    .from(ruleDecisions)
    .where(and(gte(ruleDecisions.at, opts.from), lt(ruleDecisions.at, opts.to)))
    .all()
  const byKind: Record<RuleKind, number> = { deny: 0, ask: 0, allow: 0 }
  const days = new Map<number, { decisions: number; interruptionsAvoided: number }>()
  const perRule = new Map<number, { decisions: number; avoided: number }>()
  for (const r of rows) {
    const avoided = r.event === 'PermissionRequest' ? 1 : 0
    byKind[r.kind]++
    const day = Math.floor((r.at - offset) / dayMs) * dayMs + offset
    const d = days.get(day) ?? { decisions: 0, interruptionsAvoided: 0 }
    d.decisions++
    d.interruptionsAvoided += avoided
    days.set(day, d)
    const p = perRule.get(r.ruleId) ?? { decisions: 0, avoided: 0 }
    p.decisions++
    p.avoided += avoided
    perRule.set(r.ruleId, p)
  }
  const work = db
    .select({ sessionId: waits.sessionId, startedAt: waits.startedAt, workMs: waits.workMs, cwd: agents.cwd })
    .from(waits)
    .innerJoin(agents, eq(agents.sessionId, waits.sessionId))
    .where(and(isNotNull(waits.workMs), gte(waits.startedAt, opts.from - compareMs), lt(waits.startedAt, opts.to)))
    .orderBy(desc(waits.startedAt))
    .all()
  const effects = listRules(db).map((rule): RuleEffect => {
    const inScope = ruleScope(rule)
    const before: number[] = []
    const after: number[] = []
    for (const w of work) {
      if (!inScope(w.sessionId, w.cwd)) continue
      if (w.startedAt >= rule.createdAt - compareMs && w.startedAt < rule.createdAt) before.push(w.workMs!)
      else if (w.startedAt >= rule.createdAt && w.startedAt < Math.min(opts.to, rule.createdAt + compareMs))
        after.push(w.workMs!)
    }
    const p = perRule.get(rule.id)
    return {
      id: rule.id,
      rule: rule.rule,
      kind: rule.kind,
      scope: rule.scope,
      target: rule.target,
      createdAt: rule.createdAt,
      origin: rule.origin,
      decisions: p?.decisions ?? 0,
      interruptionsAvoided: p?.avoided ?? 0,
      tWorkBeforeMs: median(before),
      tWorkAfterMs: median(after),
      samplesBefore: before.length,
      samplesAfter: after.length,
    }
  })
  return {
    from: opts.from,
    to: opts.to,
    decisions: rows.length,
    interruptionsAvoided: rows.filter((r) => r.event === 'PermissionRequest').length,
    byKind,
    days: [...days.entries()].sort(([a], [b]) => a - b).map(([day, d]) => ({ day, ...d })),
    rules: effects,
  }
}
