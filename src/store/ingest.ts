// Ingest: one hook event → dedupe, state machine, event row, agent row, waits; one transaction.
import { createHash, randomUUID } from 'node:crypto'
import { and, desc, eq, gte, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { projectName } from '../core/agent-name.ts'
import { reduce, type AgentSnapshot, type Transition } from '../core/agent-state.ts'
import { clip } from '../core/clip.ts'
import { classify } from '../core/event-signal.ts'
import type { EventMeta, HookEvent } from '../core/hook-event.ts'
import { promptOrigin, startOrigin, type PromptOrigin } from '../core/prompt-origin.ts'
import { truncatePayload } from '../core/truncate.ts'
import { withWorkSample } from '../core/work-samples.ts'
import type { Db } from './db.ts'
import { MOD_REPLY_TTL_MS } from './mods.ts'
import { agents, events, replies, waits } from './schema.ts'

/** Two identical bodies from one session this close in time are one event fired twice. */
export const DUPLICATE_WINDOW_MS = 2000
/** The agent row's copy of its last message, in code points (a question, a summary: ample). */
export const AGENT_MESSAGE_MAX = 4000
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

const p = (name: string) => sql.placeholder(name)
/** drizzle types update().set() without placeholders; as SQL they bind the same (no column mapping). */
const setP = (name: string) => sql`${sql.placeholder(name)}`

/** The hot path's statements, built and prepared once per database (drizzle would rebuild them per call). */
function prepareStatements(db: Db) {
  return {
    duplicate: db
      .select({ seq: events.seq })
      .from(events)
      .where(
        and(
          eq(events.sessionId, p('sessionId')),
          eq(events.contentHash, p('hash')),
          gte(events.occurredAt, p('from')),
          lte(events.occurredAt, p('to')),
        ),
      )
      .prepare(),
    agent: db
      .select()
      .from(agents)
      .where(eq(agents.sessionId, p('sessionId')))
      .prepare(),
    insertEvent: db
      .insert(events)
      .values({
        sessionId: p('sessionId'),
        name: p('name'),
        occurredAt: p('occurredAt'),
        receivedAt: p('receivedAt'),
        subagentId: p('subagentId'),
        toolName: p('toolName'),
        toolUseId: p('toolUseId'),
        contentHash: p('hash'),
        late: p('late'),
        replayed: p('replayed'),
        payload: p('payload'),
        origin: p('origin'),
      })
      .returning({ seq: events.seq })
      .prepare(),
    updateAgent: db
      .update(agents)
      .set({
        state: setP('state'),
        stateSince: setP('stateSince'),
        lastEventAt: setP('lastEventAt'),
        snapshot: setP('snapshot'),
        cwd: setP('cwd'),
        project: setP('project'),
        pid: setP('pid'),
        startedAt: setP('startedAt'),
        lastMessage: setP('lastMessage'),
      })
      .where(eq(agents.sessionId, p('sessionId')))
      .prepare(),
    modReply: db
      .select({ id: replies.id })
      .from(replies)
      .where(
        and(
          eq(replies.sessionId, p('sessionId')),
          gte(replies.at, p('from')),
          eq(replies.path, 'mod'),
          isNotNull(replies.handedAt),
          eq(replies.text, p('text')),
        ),
      )
      .limit(1)
      .prepare(),
    openWait: db
      .select({ id: waits.id })
      .from(waits)
      .where(and(eq(waits.sessionId, p('sessionId')), isNull(waits.endedAt)))
      .prepare(),
    endWait: db
      .update(waits)
      .set({
        endedAt: setP('endedAt'),
        endedBy: setP('endedBy'),
        endedVia: setP('endedVia'),
        answeredBy: setP('answeredBy'),
      })
      .where(eq(waits.id, p('id')))
      .prepare(),
    insertWait: db
      .insert(waits)
      .values({
        id: p('id'),
        sessionId: p('sessionId'),
        kind: p('kind'),
        startedAt: p('startedAt'),
        actor: p('actor'),
        detail: p('detail'),
        workMs: p('workMs'),
      })
      .prepare(),
    workSamples: db
      .select({ samples: agents.workSamples })
      .from(agents)
      .where(eq(agents.sessionId, p('sessionId')))
      .prepare(),
    setWorkSamples: db
      .update(agents)
      .set({ workSamples: setP('samples') })
      .where(eq(agents.sessionId, p('sessionId')))
      .prepare(),
  }
}

const prepared = new WeakMap<Db, ReturnType<typeof prepareStatements>>()
function statements(db: Db) {
  let s = prepared.get(db)
  if (!s) prepared.set(db, (s = prepareStatements(db)))
  return s
}

/**
 * Stores one event and applies it to its agent, all or nothing. `raw` is the body as received:
 * its hash is the dedupe key, so a duplicate hook config or a replayed spool file is ignored.
 */
export function ingestEvent(db: Db, event: HookEvent, raw: string, meta: EventMeta, opts: IngestOptions): IngestResult {
  const hash = contentHash(raw)
  const at = meta.occurredAt
  const st = statements(db)
  const sessionId = event.session_id
  return db.transaction((tx) => {
    const dup = st.duplicate.get({ sessionId, hash, from: at - DUPLICATE_WINDOW_MS, to: at + DUPLICATE_WINDOW_MS })
    if (dup) {
      return {
        seq: dup.seq,
        duplicate: true,
        late: false,
        presence: false,
        transition: null,
        openedWaitId: null,
        closedWaitId: null,
      }
    }

    const row = st.agent.get({ sessionId })
    const prompt = event.hook_event_name === 'UserPromptSubmit'
    const origin = prompt
      ? originOf(st, sessionId, event.prompt ?? '', at)
      : event.hook_event_name === 'SessionStart'
        ? startOrigin(event.source)
        : null
    const transition = reduce(row ? (row.snapshot as AgentSnapshot) : null, event, at, prompt ? origin! : undefined)
    const { agent } = transition

    const inserted = st.insertEvent.get({
      sessionId,
      name: event.hook_event_name,
      occurredAt: at,
      receivedAt: meta.receivedAt,
      subagentId: event.agent_id ?? null,
      toolName: event.tool_name ?? null,
      toolUseId: event.tool_use_id ?? null,
      hash,
      late: transition.late,
      replayed: opts.replayed ?? false,
      payload: truncatePayload(event, opts.maxFieldBytes),
      origin,
    })!

    // A subagent's last words are not the agent's. The agent row keeps a bounded copy: every ranking
    // reads every live row, and one 4 MB message must not slow them all (the event keeps more).
    const last = event.agent_id ? undefined : event.last_assistant_message
    const message = last === undefined ? undefined : clip(last, AGENT_MESSAGE_MAX)
    // Agent View's notifications about other sessions come under the viewer's own id: a session that
    // tend only heard such a no-effect Notification from is no agent.
    const bystander = !row && event.hook_event_name === 'Notification' && classify(event).type === 'none'
    if (!row && !bystander) {
      tx.insert(agents)
        .values({
          sessionId,
          cwd: event.cwd ?? null,
          project: projectName(event.cwd),
          machine: meta.machine ?? null,
          pid: meta.pid ?? null,
          state: agent.state,
          stateSince: agent.stateSince,
          lastEventAt: agent.lastEventAt,
          startedAt: at,
          snapshot: agent,
          continuesSessionId:
            event.hook_event_name === 'SessionStart' && event.source === 'clear'
              ? findClearedPredecessor(tx, event, at)
              : null,
          lastMessage: message ?? null,
        })
        .run()
    } else if (row) {
      st.updateAgent.run({
        sessionId,
        state: agent.state,
        stateSince: agent.stateSince,
        lastEventAt: agent.lastEventAt,
        snapshot: JSON.stringify(agent),
        // The first event may have lacked cwd (or pid); later ones fill it in.
        cwd: row.cwd ?? event.cwd ?? null,
        project: row.cwd ? row.project : projectName(event.cwd),
        pid: meta.pid ?? row.pid,
        startedAt: Math.min(row.startedAt, at),
        lastMessage: transition.late || message === undefined ? row.lastMessage : message,
      })
    }

    const { closedWaitId, openedWaitId } = applyWaits(db, sessionId, transition)
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

/** Decided once, here: a prompt is the mod's submission of a reply when tend handed it that very text. */
function originOf(st: ReturnType<typeof statements>, sessionId: string, prompt: string, at: number): PromptOrigin {
  const handed = st.modReply.get({ sessionId, text: prompt, from: at - MOD_REPLY_TTL_MS })
  return promptOrigin(prompt, handed !== undefined)
}

/**
 * Writes the wait changes of a transition. Used by ingest, sweeps and replies alike; call it
 * inside their transaction (the statements run on the same connection, so they join it).
 */
export function applyWaits(
  db: Db,
  sessionId: string,
  transition: Transition,
  endedVia?: { via: string; answeredBy: string | null },
): { closedWaitId: string | null; openedWaitId: string | null } {
  const st = statements(db)
  let closedWaitId: string | null = null
  let openedWaitId: string | null = null
  if (transition.closeWait) {
    const open = st.openWait.get({ sessionId })
    if (open) {
      st.endWait.run({
        id: open.id,
        endedAt: transition.closeWait.at,
        endedBy: transition.closeWait.reason,
        endedVia: endedVia?.via ?? null,
        answeredBy: endedVia?.answeredBy ?? null,
      })
      closedWaitId = open.id
    }
  }
  if (transition.openWait) {
    openedWaitId = newWaitId()
    const w = transition.openWait
    st.insertWait.run({
      id: openedWaitId,
      sessionId,
      kind: w.kind,
      startedAt: w.at,
      actor: w.actor,
      detail: w.detail,
      workMs: w.workMs,
    })
    // The ranking's T_work input, kept on the agent row with the wait that adds a sample.
    if (w.workMs !== null && w.workMs > 0) {
      const current = st.workSamples.get({ sessionId })
      if (current) {
        const samples = withWorkSample(current.samples, w.at, w.workMs)
        st.setWorkSamples.run({ sessionId, samples: JSON.stringify(samples) })
      }
    }
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
