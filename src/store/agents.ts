// Reading agents back: views for the ranking, one agent's detail, resolving what a person typed.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lt, ne, or } from 'drizzle-orm'
import type { AgentSnapshot } from '../core/agent-state.ts'
import { median } from '../core/metrics.ts'
import { priorityFor, type PriorityRule } from '../core/priority.ts'
import type { AgentView } from '../core/ranking.ts'
import { sweep, type StalenessPolicy } from '../core/staleness.ts'
import type { Db } from './db.ts'
import { applyWaits } from './ingest.ts'
import { listPriorityRules } from './priorities.ts'
import { agents, events, waits, type AgentRow, type WaitRow } from './schema.ts'

/** T_work is the median over this many of an agent's most recent instructions, within a week. */
const T_WORK_SAMPLES = 20
const T_WORK_WINDOW_MS = 7 * 24 * 3600_000

/** Views of the live agents (all with includeEnded), or of just one (sessionId, ended or not). */
export function listAgentViews(db: Db, opts: { includeEnded?: boolean; sessionId?: string } = {}): AgentView[] {
  const rows = opts.sessionId
    ? db.select().from(agents).where(eq(agents.sessionId, opts.sessionId)).all()
    : opts.includeEnded
      ? db.select().from(agents).all()
      : db.select().from(agents).where(ne(agents.state, 'ended')).all()
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.sessionId)
  const open = db
    .select()
    .from(waits)
    .where(and(inArray(waits.sessionId, ids), isNull(waits.endedAt)))
    .all()
  const openBySession = new Map(open.map((w) => [w.sessionId, w]))
  const tWork = tWorkBySession(db, ids)
  const rules = listPriorityRules(db)
  return rows.map((r) => toView(r, openBySession.get(r.sessionId) ?? null, tWork.get(r.sessionId) ?? null, rules))
}

export function toView(row: AgentRow, wait: WaitRow | null, tWorkMs: number | null, rules: PriorityRule[]): AgentView {
  return {
    sessionId: row.sessionId,
    project: row.project,
    cwd: row.cwd,
    state: row.state as AgentView['state'],
    stateSince: row.stateSince,
    lastEventAt: row.lastEventAt,
    priority: priorityFor(row, rules),
    tWorkMs,
    wait: wait
      ? {
          id: wait.id,
          kind: wait.kind,
          startedAt: wait.startedAt,
          detail: wait.detail as Record<string, unknown>,
        }
      : null,
  }
}

function tWorkBySession(db: Db, ids: string[]): Map<string, number> {
  const rows = db
    .select({ sessionId: waits.sessionId, workMs: waits.workMs })
    .from(waits)
    .where(
      and(inArray(waits.sessionId, ids), isNotNull(waits.workMs), gte(waits.startedAt, Date.now() - T_WORK_WINDOW_MS)),
    )
    .orderBy(desc(waits.startedAt))
    .all()
  const samples = new Map<string, number[]>()
  for (const r of rows) {
    const list = samples.get(r.sessionId) ?? []
    if (list.length < T_WORK_SAMPLES && r.workMs !== null && r.workMs > 0) list.push(r.workMs)
    samples.set(r.sessionId, list)
  }
  const result = new Map<string, number>()
  for (const [id, list] of samples) if (list.length > 0) result.set(id, median(list)!)
  return result
}

export type ResolveResult =
  { ok: true; sessionId: string } | { ok: false; reason: 'not_found' | 'ambiguous'; candidates: string[] }

/**
 * What a person may type for an agent: a full session id, a prefix of it (dashes optional),
 * or a project name that only one live agent has.
 */
export function resolveAgentRef(db: Db, ref: string): ResolveResult {
  const exact = db.select({ id: agents.sessionId }).from(agents).where(eq(agents.sessionId, ref)).get()
  if (exact) return { ok: true, sessionId: exact.id }
  const live = db
    .select({ id: agents.sessionId, project: agents.project, state: agents.state })
    .from(agents)
    .where(ne(agents.state, 'ended'))
    .all()
  const byProject = live.filter((a) => a.project === ref)
  if (byProject.length === 1) return { ok: true, sessionId: byProject[0]!.id }
  if (byProject.length > 1) return { ok: false, reason: 'ambiguous', candidates: byProject.map((a) => a.id) }
  const compact = ref.replace(/-/g, '').toLowerCase()
  if (compact.length < 4) return { ok: false, reason: 'not_found', candidates: [] }
  const byPrefix = db
    .select({ id: agents.sessionId })
    .from(agents)
    .where(like(agents.sessionId, `${ref.slice(0, 2)}%`))
    .all()
    .filter((a) => a.id.replace(/-/g, '').toLowerCase().startsWith(compact))
  if (byPrefix.length === 1) return { ok: true, sessionId: byPrefix[0]!.id }
  return { ok: false, reason: byPrefix.length ? 'ambiguous' : 'not_found', candidates: byPrefix.map((a) => a.id) }
}

/** Where a page of an agent's timeline stops: its oldest event (time, then seq). */
export interface TimelineCursor {
  at: number
  seq: number
}

/**
 * An agent, its waits, and the latest `limit` events of its timeline (oldest first), or the ones
 * before `before` to page back; `older` is where the next page back starts (null: none left).
 */
export function getAgentDetail(db: Db, sessionId: string, opts: { limit?: number; before?: TimelineCursor } = {}) {
  const row = db.select().from(agents).where(eq(agents.sessionId, sessionId)).get()
  if (!row) return null
  const limit = opts.limit ?? 500
  const agentWaits = db.select().from(waits).where(eq(waits.sessionId, sessionId)).orderBy(asc(waits.startedAt)).all()
  const b = opts.before
  const page = db
    .select()
    .from(events)
    .where(
      and(
        eq(events.sessionId, sessionId),
        b ? or(lt(events.occurredAt, b.at), and(eq(events.occurredAt, b.at), lt(events.seq, b.seq))) : undefined,
      ),
    )
    .orderBy(desc(events.occurredAt), desc(events.seq))
    .limit(limit + 1)
    .all()
  const timeline = page.slice(0, limit).reverse()
  const older = page.length > limit && timeline[0] ? { at: timeline[0].occurredAt, seq: timeline[0].seq } : null
  return { row, waits: agentWaits, timeline, older }
}

/**
 * Applies the clock: working agents silent too long become stale, gone ones end.
 * `isAlive` answers for a pid (undefined when it can't tell). Returns what changed, with the waits it ended.
 */
export function sweepAgents(
  db: Db,
  now: number,
  policy: StalenessPolicy,
  isAlive: (pid: number) => boolean | undefined,
): Array<{ sessionId: string; closedWaitId: string | null }> {
  const rows = db.select().from(agents).where(ne(agents.state, 'ended')).all()
  const changed: Array<{ sessionId: string; closedWaitId: string | null }> = []
  for (const row of rows) {
    const alive = row.pid ? isAlive(row.pid) : undefined
    const transition = sweep(row.snapshot as AgentSnapshot, now, policy, alive)
    if (!transition) continue
    const { closedWaitId } = db.transaction((tx) => {
      tx.update(agents)
        .set({ state: transition.agent.state, stateSince: transition.agent.stateSince, snapshot: transition.agent })
        .where(eq(agents.sessionId, row.sessionId))
        .run()
      return applyWaits(db, row.sessionId, transition)
    })
    changed.push({ sessionId: row.sessionId, closedWaitId })
  }
  return changed
}
