// Reading agents back: views for the ranking, one agent's detail, resolving what a person typed.
import { and, asc, desc, eq, inArray, isNull, like, lt, ne, or } from 'drizzle-orm'
import { AGENT_STATES, isBlocked, type AgentSnapshot } from '../core/agent-state.ts'
import { priorityFor, type PriorityRule } from '../core/priority.ts'
import type { AgentView } from '../core/ranking.ts'
import { sweep, type StalenessPolicy } from '../core/staleness.ts'
import { tWorkOf } from '../core/work-samples.ts'
import type { Db } from './db.ts'
import { applyWaits } from './ingest.ts'
import { listPriorityRules } from './priorities.ts'
import { agents, events, waits, type AgentRow, type WaitRow } from './schema.ts'

const BLOCKED_STATES = AGENT_STATES.filter(isBlocked)

/** What a view needs of an agent row: never the snapshot or the last message (large, and read per agent). */
const viewColumns = {
  sessionId: agents.sessionId,
  project: agents.project,
  cwd: agents.cwd,
  state: agents.state,
  stateSince: agents.stateSince,
  lastEventAt: agents.lastEventAt,
  workSamples: agents.workSamples,
}
export type ViewRow = { [K in keyof typeof viewColumns]: AgentRow[K] }

/**
 * Views of the live agents (all with includeEnded; only the blocked ones with blockedOnly), or of
 * just one (sessionId, ended or not). Costs one row per agent listed: T_work comes from the samples
 * each agent row keeps, not from its waits. `now` dates T_work's one-week window.
 */
export function listAgentViews(
  db: Db,
  opts: { includeEnded?: boolean; blockedOnly?: boolean; sessionId?: string; now?: number } = {},
): AgentView[] {
  const q = db.select(viewColumns).from(agents)
  const rows = opts.sessionId
    ? q.where(eq(agents.sessionId, opts.sessionId)).all()
    : opts.blockedOnly
      ? q.where(inArray(agents.state, BLOCKED_STATES)).all()
      : opts.includeEnded
        ? q.all()
        : q.where(ne(agents.state, 'ended')).all()
  if (rows.length === 0) return []
  const open = db
    .select({
      id: waits.id,
      sessionId: waits.sessionId,
      kind: waits.kind,
      startedAt: waits.startedAt,
      detail: waits.detail,
    })
    .from(waits)
    // Only live agents have an open wait: all of them (one indexed row each), or the one asked for.
    .where(and(opts.sessionId ? eq(waits.sessionId, opts.sessionId) : undefined, isNull(waits.endedAt)))
    .all()
  const openBySession = new Map(open.map((w) => [w.sessionId, w]))
  const rules = listPriorityRules(db)
  const now = opts.now ?? Date.now()
  return rows.map((r) => toView(r, openBySession.get(r.sessionId) ?? null, tWorkOf(r.workSamples, now), rules))
}

type OpenWait = Pick<WaitRow, 'id' | 'kind' | 'startedAt' | 'detail'>

export function toView(row: ViewRow, wait: OpenWait | null, tWorkMs: number | null, rules: PriorityRule[]): AgentView {
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
  // Only what the clock needs of each live agent (never its last message).
  const rows = db
    .select({ sessionId: agents.sessionId, pid: agents.pid, snapshot: agents.snapshot })
    .from(agents)
    .where(ne(agents.state, 'ended'))
    .all()
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
