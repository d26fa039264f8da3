// Everything a handler may use, built once and passed to createApp (tests build their own).
import { EventEmitter } from 'node:events'
import { hostname } from 'node:os'
import type { Config } from '../config.ts'
import { canonicalJson } from '../core/canonical-json.ts'
import { decideHold, hookOutput, type HoldConfig } from '../core/hold-policy.ts'
import { HookEventSchema, type EventMeta, type HookEvent } from '../core/hook-event.ts'
import { goAway, isAway, seen, type Presence } from '../core/presence.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/db.ts'
import { ingestEvent, type IngestResult } from '../store/ingest.ts'
import { getWait, recordTerminalAnswer } from '../store/replies.ts'
import { readSetting, writeSetting } from '../store/settings.ts'
import { Holds, type Timers } from './holds.ts'
import { ModInbox } from './mod-inbox.ts'
import { replyPath, type ReplyPath } from '../core/reply-path.ts'
import { modsOf } from '../store/mods.ts'
import type { DoctorCheck } from '../notify/desktop-text.ts'
import { claudePidFromHookParent } from './process-info.ts'
import { eventMeta } from './event-meta.ts'
import { createSpool, type Spool, type SpooledEvent } from './spool.ts'

export interface AgentChange {
  sessionId: string
  /** What changed it: a hook event, an answer from outside, the clock. */
  cause: 'event' | 'answer' | 'sweep'
  result?: IngestResult
  /** The wait an answer ended. */
  waitId?: string
}

/** Typed events the receiver emits after each committed change (notify policy, SSE). */
export interface ServiceEvents {
  change: [AgentChange]
  presence: [Presence]
}

export interface Services {
  config: Config
  store: Store
  token: string
  log: Logger
  now: () => number
  bus: EventEmitter<ServiceEvents>
  spool: Spool
  holds: Holds
  /** The long-polls of tend's mods in Claude Code sessions. */
  inbox: ModInbox
  /** How a reply reaches this agent now: its mod (as the person's prompt) or a held hook. */
  replyPathOf(sessionId: string): ReplyPath
  /** Stores one validated event and tells whoever listens. */
  receive(event: HookEvent, meta: EventMeta, opts?: { replayed?: boolean }): IngestResult
  /** The same, committed together with the events that arrive at the same moment (the HTTP path). */
  receiveBatched(event: HookEvent, meta: EventMeta): Promise<IngestResult>
  /** For a synchronous hook: holds it open if policy allows, and returns what the hook should print. */
  answerHook(
    event: HookEvent,
    result: IngestResult,
    budgetSec: number,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>>
  presence(): Presence & { awayNow: boolean }
  /** `tend away` / `tend back`. Coming back releases every held Stop: the terminal is theirs again. */
  setAway(away: boolean): Presence & { awayNow: boolean }
  /** Counts a reply delivered through a Stop block (Claude Code caps consecutive ones). */
  countStopBlock(sessionId: string): void
  /** When the person last typed a prompt to any agent (null: not since the receiver started). */
  lastPromptAt(): number | null
  /** What each ping channel says about itself (tend doctor); set once the channels exist. */
  doctorChecks: () => Promise<DoctorCheck[]>
}

export interface ServiceDeps {
  config: Config
  store: Store
  token: string
  log: Logger
  now?: () => number
  timers?: Timers
}

const PRESENCE_KEY = 'presence'

export function createServices(deps: ServiceDeps): Services {
  const now = deps.now ?? Date.now
  const bus = new EventEmitter<ServiceEvents>()
  const holds = new Holds({ timers: deps.timers, now })
  const inbox = new ModInbox({ timers: deps.timers, now })
  const replyPathOf = (sessionId: string): ReplyPath =>
    replyPath(modsOf(db, [sessionId]).get(sessionId), inbox.connected(sessionId))
  const db = deps.store.db
  const holdConfig: HoldConfig = {
    permissionWindowMs: deps.config.file.holds.permissionWindowSec * 1000,
    stopWindowMs: deps.config.file.holds.stopWindowSec * 1000,
    stopBlockCap: deps.config.file.holds.stopBlockCap,
  }
  const presencePolicy = { autoAwayAfterMs: deps.config.file.holds.autoAwayAfterSec * 1000 }
  // A receiver that never saw a prompt counts the person present from its start.
  let presence: Presence = readSetting<Presence>(db, PRESENCE_KEY) ?? { away: false, lastSeenAt: now() }
  const stopBlocks = new Map<string, number>()
  let lastPromptAt: number | null = null

  function setPresence(next: Presence) {
    const wasAway = isAway(presence, now(), presencePolicy)
    // Every prompt is a sign of presence; persisting each one would cost a commit per prompt.
    const worthSaving = next.away !== presence.away || next.lastSeenAt - presence.lastSeenAt >= 30_000
    presence = next
    if (worthSaving) writeSetting(db, PRESENCE_KEY, presence)
    if (wasAway && !isAway(presence, now(), presencePolicy)) {
      const released = holds.releaseWhere((h) => h.event === 'Stop', 'back')
      if (released) deps.log.info('person back: held Stops released', { released })
    }
    bus.emit('presence', presence)
  }

  /** Claude Code's pid per session, resolved once from a hook's parent (2.1.197 sets no CLAUDE_PID). */
  const claudePids = new Map<string, number | undefined>()
  const localMachine = hostname()
  function withPid(event: HookEvent, meta: EventMeta): EventMeta {
    // Another machine's pids mean nothing here.
    if (meta.machine && meta.machine !== localMachine) return { ...meta, pid: undefined }
    if (meta.pid || !meta.hookParentPid) return meta
    if (!claudePids.has(event.session_id)) claudePids.set(event.session_id, claudePidFromHookParent(meta.hookParentPid))
    return { ...meta, pid: claudePids.get(event.session_id) }
  }

  function ingest(event: HookEvent, rawMeta: EventMeta, replayed?: boolean): IngestResult {
    return ingestEvent(db, event, canonicalJson(event), withPid(event, rawMeta), {
      maxFieldBytes: deps.config.maxFieldBytes,
      replayed,
    })
  }

  /** What follows a committed event: holds, presence, and telling the listeners. */
  function afterCommit(event: HookEvent, meta: EventMeta, result: IngestResult): IngestResult {
    if (result.duplicate) return result
    // The wait ended another way (answered in the terminal, session ended): its hold gives way.
    if (result.closedWaitId) holds.release(result.closedWaitId, 'wait_ended')
    if (result.presence) {
      stopBlocks.delete(event.session_id)
      lastPromptAt = Math.max(lastPromptAt ?? 0, meta.occurredAt)
      if (meta.occurredAt >= presence.lastSeenAt) setPresence(seen(presence, meta.occurredAt))
    }
    if (event.hook_event_name === 'Stop' && !event.stop_hook_active) stopBlocks.delete(event.session_id)
    bus.emit('change', { sessionId: event.session_id, cause: 'event', result })
    return result
  }

  function receive(event: HookEvent, meta: EventMeta, opts: { replayed?: boolean } = {}): IngestResult {
    return afterCommit(event, meta, ingest(event, meta, opts.replayed))
  }

  /**
   * Group commit: events that arrive together (many agents at once) are stored in one transaction,
   * each in its own savepoint, so one bad event never takes the others with it. Every caller is
   * answered after the commit, in arrival order.
   */
  interface Queued {
    event: HookEvent
    meta: EventMeta
    resolve(result: IngestResult): void
    reject(err: unknown): void
  }
  let queue: Queued[] = []
  function flush() {
    const batch = queue
    queue = []
    let outcomes: Array<{ result: IngestResult } | { error: unknown }>
    try {
      outcomes = db.transaction(() =>
        batch.map((q) => {
          try {
            return { result: ingest(q.event, q.meta) }
          } catch (error) {
            return { error }
          }
        }),
      )
    } catch (error) {
      for (const q of batch) q.reject(error)
      return
    }
    batch.forEach((q, i) => {
      const outcome = outcomes[i]!
      if ('error' in outcome) q.reject(outcome.error)
      else q.resolve(afterCommit(q.event, q.meta, outcome.result))
    })
  }
  function receiveBatched(event: HookEvent, meta: EventMeta): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      queue.push({ event, meta, resolve, reject })
      if (queue.length === 1) setImmediate(flush)
    })
  }

  async function answerHook(event: HookEvent, result: IngestResult, budgetSec: number, signal?: AbortSignal) {
    const waitId = result.openedWaitId
    const wait = waitId ? getWait(db, waitId) : undefined
    const decision = decideHold(
      {
        waitKind: (wait?.kind as never) ?? null,
        event: event.hook_event_name,
        budgetSec,
        away: isAway(presence, now(), presencePolicy),
        consecutiveStopBlocks: stopBlocks.get(event.session_id) ?? 0,
        replyPath: event.hook_event_name === 'Stop' ? replyPathOf(event.session_id) : 'hook',
      },
      holdConfig,
    )
    if (!decision.hold || !waitId) return {}
    const outcome = await holds.open(
      { waitId, sessionId: event.session_id, event: event.hook_event_name, windowMs: decision.windowMs },
      signal,
    )
    deps.log.info('hold ended', { waitId, event: event.hook_event_name, reason: outcome.reason })
    // Claude Code kills a held PermissionRequest hook when the dialog is answered in the terminal.
    // A "Yes" is followed by the tool's own events; a "No" by nothing at all: end the wait here.
    if (outcome.reason === 'aborted' && event.hook_event_name === 'PermissionRequest') {
      if (recordTerminalAnswer(db, waitId, event.session_id, now())) {
        bus.emit('change', { sessionId: event.session_id, cause: 'answer', waitId })
      }
    }
    return hookOutput(event.hook_event_name, outcome.answer)
  }

  function deliverSpooled(item: SpooledEvent) {
    let value: unknown
    try {
      value = JSON.parse(item.raw)
    } catch {
      deps.log.warn('spooled event is not JSON', { file: item.file })
      return 'rejected' as const
    }
    const parsed = HookEventSchema.safeParse(value)
    if (!parsed.success) {
      deps.log.warn('spooled event is not a hook event', { file: item.file })
      return 'rejected' as const
    }
    // The file name's time passes the same sanity bounds as a live hook's stamp.
    const meta = eventMeta({ time: String(item.occurredAt), pid: item.pid ? String(item.pid) : undefined }, now())
    receive(parsed.data as HookEvent, meta, { replayed: true })
    return 'stored' as const
  }

  const spool = createSpool(deps.config.paths.spoolDir, deliverSpooled, deps.log)
  const presenceView = () => ({ ...presence, awayNow: isAway(presence, now(), presencePolicy) })
  return {
    ...deps,
    now,
    bus,
    spool,
    holds,
    inbox,
    replyPathOf,
    receive,
    receiveBatched,
    answerHook,
    presence: presenceView,
    setAway(away) {
      setPresence(away ? goAway(presence) : seen(presence, now()))
      return presenceView()
    },
    lastPromptAt: () => lastPromptAt,
    doctorChecks: async () => [],
    countStopBlock(sessionId) {
      stopBlocks.set(sessionId, (stopBlocks.get(sessionId) ?? 0) + 1)
    },
  }
}
