// Ingest: one hook event → dedupe, state machine, event row, agent row, waits; one transaction.
import { createHash, randomUUID } from 'node:crypto'
import { and, desc, eq, gte, isNull, lte } from 'drizzle-orm'
import { projectName } from '../core/agent-name.ts'
import { reduce, type AgentSnapshot, type Transition } from '../core/agent-state.ts'
import type { EventMeta, HookEvent } from '../core/hook-event.ts'
import { truncatePayload } from '../core/truncate.ts'
import type { Db } from './db.ts'
import { agents, events, waits } from './schema.ts'

/** Two identical bodies from one session this close in time are one event fired twice. */
export const DUPLICATE_WINDOW_MS = 2000
/** How close a SessionStart(clear) must follow the SessionEnd(clear) it continues. */
const CLEAR_LINK_MS = 10_000

export interface IngestResult {
  seq: number | null
  duplicate: boolean
  late: boolean
  presence: boolean
  transition: Transition | null
  /** The id of the wait this event opened, if any. */
  openedWaitId: string | null
  /** The wait this event ended, if any. */
  closedWaitId: string | null
}

export interface IngestOptions {
  maxFieldBytes: number
  replayed?: boolean
}

export function contentHash(raw: string): string {
  return createHash('sha256').update(raw).digest('base64url').slice(0, 32)
}

export function newWaitId(): string {
  return `w_${randomUUID().replace(/-/g, '').slice(0, 12)}`
}

/**
 * Stores one event and applies it to its agent, all or nothing. `raw` is the body as received:
 * its hash is the dedupe key, so a duplicate hook config or a replayed spool file is ignored.
 */
export function ingestEvent(db: Db, event: HookEvent, raw: string, meta: EventMeta, opts: IngestOptions): IngestResult {
  const hash = contentHash(raw)
  const at = meta.occurredAt
  return db.transaction((tx) => {
    const dup = tx
      .select({ seq: events.seq })
      .from(events)
      .where(
        and(
          eq(events.sessionId, event.session_id),
          eq(events.contentHash, hash),
          gte(events.occurredAt, at - DUPLICATE_WINDOW_MS),
          lte(events.occurredAt, at + DUPLICATE_WINDOW_MS),
        ),
      )
      .get()
    if (dup) {
      return { seq: dup.seq, duplicate: true, late: false, presence: false, transition: null, openedWaitId: null, closedWaitId: null }
    }

    const row = tx.select().from(agents).where(eq(agents.sessionId, event.session_id)).get()
    const current = row ? (row.snapshot as AgentSnapshot) : null
    const transition = reduce(current, event, at)
    const { agent } = transition

    const inserted = tx
      .insert(events)
      .values({
        sessionId: event.session_id,
        name: event.hook_event_name,
        occurredAt: at,
        receivedAt: meta.receivedAt,
        subagentId: event.agent_id ?? null,
        toolName: event.tool_name ?? null,
        toolUseId: event.tool_use_id ?? null,
        contentHash: hash,
        late: transition.late,
        replayed: opts.replayed ?? false,
        payload: truncatePayload(event, opts.maxFieldBytes),
      })
      .returning({ seq: events.seq })
      .get()

    const message = event.last_assistant_message
    if (!row) {
      tx.insert(agents)
        .values({
          sessionId: event.session_id,
          cwd: event.cwd ?? null,
          project: projectName(event.cwd),
          machine: meta.machine ?? null,
          pid: meta.pid ?? null,
          state: agent.state,
          stateSince: agent.stateSince,
          lastEventAt: agent.lastEventAt,
          startedAt: at,
          snapshot: agent,
          continuesSessionId: event.hook_event_name === 'SessionStart' && event.source === 'clear'
            ? findClearedPredecessor(tx, event, at)
            : null,
          lastMessage: message ?? null,
        })
        .run()
    } else {
      tx.update(agents)
        .set({
          state: agent.state,
          stateSince: agent.stateSince,
          lastEventAt: agent.lastEventAt,
          snapshot: agent,
          // The first event may have lacked cwd (or pid); later ones fill it in.
          cwd: row.cwd ?? event.cwd ?? null,
          project: row.cwd ? row.project : projectName(event.cwd),
          pid: meta.pid ?? row.pid,
          startedAt: Math.min(row.startedAt, at),
          lastMessage: transition.late || message === undefined ? row.lastMessage : message,
        })
        .where(eq(agents.sessionId, event.session_id))
        .run()
    }

    const { closedWaitId, openedWaitId } = applyWaits(tx, event.session_id, transition)
    return {
      seq: inserted.seq,
      duplicate: false,
      late: transition.late,
      presence: transition.presence,
      transition,
      openedWaitId,
      closedWaitId,
    }
  })
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** Writes the wait changes of a transition. Used by ingest, sweeps and replies alike. */
export function applyWaits(
  tx: Tx | Db,
  sessionId: string,
  transition: Transition,
  endedVia?: { via: string; answeredBy: string | null },
): { closedWaitId: string | null; openedWaitId: string | null } {
  let closedWaitId: string | null = null
  let openedWaitId: string | null = null
  if (transition.closeWait) {
    const open = tx
      .select({ id: waits.id })
      .from(waits)
      .where(and(eq(waits.sessionId, sessionId), isNull(waits.endedAt)))
      .get()
    if (open) {
      tx.update(waits)
        .set({
          endedAt: transition.closeWait.at,
          endedBy: transition.closeWait.reason,
          endedVia: endedVia?.via ?? null,
          answeredBy: endedVia?.answeredBy ?? null,
        })
        .where(eq(waits.id, open.id))
        .run()
      closedWaitId = open.id
    }
  }
  if (transition.openWait) {
    openedWaitId = newWaitId()
    const w = transition.openWait
    tx.insert(waits)
      .values({
        id: openedWaitId,
        sessionId,
        kind: w.kind,
        startedAt: w.at,
        actor: w.actor,
        detail: w.detail,
        workMs: w.workMs,
      })
      .run()
  }
  return { closedWaitId, openedWaitId }
}

function findClearedPredecessor(tx: Tx, event: HookEvent, at: number): string | null {
  if (!event.cwd) return null
  const prev = tx
    .select({ sessionId: agents.sessionId, stateSince: agents.stateSince })
    .from(agents)
    .where(and(eq(agents.cwd, event.cwd), eq(agents.state, 'ended')))
    .orderBy(desc(agents.stateSince))
    .get()
  if (!prev || Math.abs(at - prev.stateSince) > CLEAR_LINK_MS) return null
  return prev.sessionId
}
