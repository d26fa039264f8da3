// The stored history behind the attention measures, over a window: the waits (with their agent's
// directory), when the person answered from elsewhere, and every sign the person was there.
import { and, desc, eq, gte, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import type { WaitEndReason, WaitKind } from '../core/agent-state.ts'
import type { Db } from './db.ts'
import { agents, events, replies, waits } from './schema.ts'
import { returnsBetween } from './presence-marks.ts'

export interface StoredWait {
  id: string
  sessionId: string
  cwd: string | null
  kind: WaitKind
  startedAt: number
  endedAt: number | null
  endedBy: WaitEndReason | null
  workMs: number | null
  answeredAt: number | null
  detail: Record<string, unknown>
}

export interface StoredHistory {
  waits: StoredWait[]
  signs: number[]
}

/**
 * Waits that overlap [from, to), and the person's signs from `signsFrom` (earlier than `from`: an
 * answer at the window's start needs the sign before it). Claude Code's own prompts are no sign.
 */
export function metricHistory(
  db: Db,
  opts: {
    from: number
    to: number
    signsFrom: number
    /** Only the newest this many waits (the SessionStart check: bounded work whatever the volume). */
    limit?: number
    /** Each wait's detail (what it waited for): the report needs it, the measures do not. */
    detail?: boolean
  },
): StoredHistory {
  const { from, to } = opts
  const query = db
    .select({
      id: waits.id,
      sessionId: waits.sessionId,
      cwd: agents.cwd,
      kind: waits.kind,
      startedAt: waits.startedAt,
      endedAt: waits.endedAt,
      endedBy: waits.endedBy,
      workMs: waits.workMs,
      ...(opts.detail === false ? {} : { detail: waits.detail }),
    })
    .from(waits)
    .leftJoin(agents, eq(agents.sessionId, waits.sessionId))
    .where(
      and(
        lt(waits.startedAt, to),
        or(isNull(waits.endedAt), gte(waits.endedAt, from)),
        // A permission a rule answered interrupted nobody: no wait, no answer, no recurring prompt.
        or(isNull(waits.endedVia), ne(waits.endedVia, 'rule')),
      ),
    )
  const rows = (opts.limit ? query.orderBy(desc(waits.startedAt)).limit(opts.limit).all() : query.all()).map((r) => ({
    detail: {},
    ...r,
  }))
  // With a limit, the signs before the oldest wait kept are all an answer can need.
  const signsFrom =
    opts.limit && rows.length === opts.limit
      ? Math.max(opts.signsFrom, Math.min(...rows.map((r) => r.startedAt)) - (from - opts.signsFrom))
      : opts.signsFrom
  // A reply from elsewhere answers at its own time; reaching the agent is tend's delay, not the person's.
  const answered = new Map<string, number>()
  const replyRows = db
    .select({ waitId: replies.waitId, at: replies.at })
    .from(replies)
    .where(
      and(eq(replies.outcome, 'delivered'), ne(replies.via, 'rule'), gte(replies.at, signsFrom), lt(replies.at, to)),
    )
    .all()
  for (const r of replyRows) answered.set(r.waitId, Math.min(answered.get(r.waitId) ?? Infinity, r.at))
  // The person's prompts, and sessions started, resumed or cleared at a terminal: both carry their
  // origin (kept when retention prunes the payload), so one seek of the covering index finds them.
  const presence = db
    .select({ at: events.occurredAt })
    .from(events)
    .where(
      and(
        inArray(events.name, ['UserPromptSubmit', 'SessionStart']),
        gte(events.occurredAt, signsFrom),
        lt(events.occurredAt, to),
        eq(events.origin, 'person'),
      ),
    )
    .all()
  const terminalPermissions = rows
    .filter((w) => w.kind === 'permission' && w.endedBy === 'terminal' && w.endedAt !== null)
    .map((w) => w.endedAt!)
  return {
    waits: rows.map((w) => ({ ...w, answeredAt: answered.get(w.id) ?? null })),
    signs: [
      ...presence.map((p) => p.at),
      ...returnsBetween(db, signsFrom, to),
      ...replyRows.map((r) => r.at),
      ...terminalPermissions,
    ],
  }
}

/** Agents not ended: the fleet the person is running now. */
export function liveAgentCount(db: Db): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(agents)
    .where(sql`${agents.state} <> 'ended'`)
    .get()!.n
}
