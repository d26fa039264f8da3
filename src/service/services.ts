// The application layer's one object: what every front end (routes, channels, the notifier) uses,
// built once by the composition root (server/serve.ts; tests build their own).
import { EventEmitter } from 'node:events'
import { hostname } from 'node:os'
import type { Config } from '../config.ts'
import { canonicalJson } from '../core/canonical-json.ts'
import type { HoldConfig } from '../core/hold-policy.ts'
import { HookEventSchema, type EventMeta, type HookEvent } from '../core/hook-event.ts'
import type { Presence } from '../core/presence.ts'
import { replyPath, type ReplyPath } from '../core/reply-path.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/db.ts'
import { ingestEvent, type IngestResult } from '../store/ingest.ts'
import { modsOf } from '../store/mods.ts'
import { recordTerminalAnswer } from '../store/replies.ts'
import { eventMeta } from './event-meta.ts'
import { Holds, type Timers } from './holds.ts'
import { answerHook, type HookAnswer } from './hook-answers.ts'
import { createIngestQueue } from './ingest-queue.ts'
import { ModInbox } from './mod-inbox.ts'
import { createPresenceTracker, type PresenceView } from './presence-tracker.ts'
import { claudePidFromHookParent } from './process-info.ts'
import { createSpool, type Spool, type SpooledEvent, type SpoolOutcome } from './spool.ts'
import { Refusal } from './errors.ts'
import { createStoreHealth, type StoreHealth } from './store-health.ts'
import { countLiveAgents, hasAgent } from '../store/agent-count.ts'

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
  /** A ping was sent or failed (the dashboard's pings log). */
  pinged: [{ waitId: string; sessionId: string }]
  /** A priority rule was set or cleared (the ranking changes). */
  priority: [{ target: string }]
  /** A dashboard browser session ended (logout, revoke): its live streams stop. */
  signedOut: [{ id: string }]
}

export interface Services {
  config: Config
  store: Store
  token: string
  log: Logger
  now: () => number
  bus: EventEmitter<ServiceEvents>
  spool: Spool
  /** Whether the store can write now (a full disk, a read-only file system): 503s meanwhile. */
  storeHealth: StoreHealth
  holds: Holds
  /** The long-polls of tend's mods in Claude Code sessions. */
  inbox: ModInbox
  /** How a reply reaches this agent now: its mod (as the person's prompt) or a held hook. */
  replyPathOf(sessionId: string): ReplyPath
  /** Stores one validated event and tells whoever listens. */
  receive(event: HookEvent, meta: EventMeta, opts?: { replayed?: boolean }): IngestResult
  /** The same, committed together with the events that arrive at the same moment (the HTTP path). */
  receiveBatched(event: HookEvent, meta: EventMeta): Promise<IngestResult>
  /** For a synchronous hook: whether it is held open for an answer, and what it prints (now or then). */
  answerHook(event: HookEvent, result: IngestResult, budgetSec: number, signal?: AbortSignal): HookAnswer
  presence(): PresenceView
  /** `tend away` / `tend back`. Coming back releases every held Stop: the terminal is theirs again. */
  setAway(away: boolean): PresenceView
  /** Counts a reply delivered through a Stop block (Claude Code caps consecutive ones). */
  countStopBlock(sessionId: string): void
  /** When the person last typed a prompt to any agent (null: not since the receiver started). */
  lastPromptAt(): number | null
}

export interface ServiceDeps {
  config: Config
  store: Store
  token: string
  log: Logger
  now?: () => number
  timers?: Timers
}

/** Most session ids remembered as known (see `knownSessions`). */
const KNOWN_SESSIONS = 10_000

export function createServices(deps: ServiceDeps): Services {
  const now = deps.now ?? Date.now
  const db = deps.store.db
  const bus = new EventEmitter<ServiceEvents>()
  const storeHealth = createStoreHealth(deps.log, now)
  const holds = new Holds({ timers: deps.timers, now })
  const inbox = new ModInbox({ timers: deps.timers, now })
  const holdConfig: HoldConfig = {
    permissionWindowMs: deps.config.file.holds.permissionWindowSec * 1000,
    stopWindowMs: deps.config.file.holds.stopWindowSec * 1000,
    stopBlockCap: deps.config.file.holds.stopBlockCap,
  }
  const presence = createPresenceTracker({
    db,
    now,
    autoAwayAfterMs: deps.config.file.holds.autoAwayAfterSec * 1000,
    onBack() {
      const released = holds.releaseWhere((h) => h.event === 'Stop', 'back')
      if (released) deps.log.info('person back: held Stops released', { released })
    },
    onChange: (p) => bus.emit('presence', p),
  })
  const replyPathOf = (sessionId: string): ReplyPath =>
    replyPath(modsOf(db, [sessionId]).get(sessionId), inbox.connected(sessionId))

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

  const maxLiveAgents = deps.config.maxLiveAgents
  /**
   * Session ids known to have an agent row (agents are never deleted): an event of one of them needs
   * no check, so the bound costs nothing per event; only a session id not seen yet is looked up.
   */
  const knownSessions = new Set<string>()
  function ingest(event: HookEvent, rawMeta: EventMeta, replayed?: boolean): IngestResult {
    const sessionId = event.session_id
    // Unique session ids must not grow the live set without bound (each one is ranked, swept, pinged).
    if (!knownSessions.has(sessionId) && !hasAgent(db, sessionId) && countLiveAgents(db) >= maxLiveAgents) {
      throw new Refusal(
        'too_many_agents',
        `${maxLiveAgents} agents are live already: a new session is refused until some end (\`tend status\`)`,
        { maxLiveAgents },
      )
    }
    return ingestEvent(db, event, canonicalJson(event), withPid(event, rawMeta), {
      maxFieldBytes: deps.config.maxFieldBytes,
      replayed,
    })
  }

  /** What follows a committed event: holds, presence, and telling the listeners. */
  function afterCommit(event: HookEvent, meta: EventMeta, result: IngestResult): IngestResult {
    storeHealth.ok()
    // Committed: its agent row exists. Bounded: past KNOWN_SESSIONS ids the set starts again.
    if (knownSessions.size >= KNOWN_SESSIONS) knownSessions.clear()
    knownSessions.add(event.session_id)
    if (result.duplicate) return result
    // The wait ended another way (answered in the terminal, session ended): its hold gives way.
    if (result.closedWaitId) holds.release(result.closedWaitId, 'wait_ended')
    if (result.presence) presence.typed(event.session_id, meta.occurredAt)
    if (event.hook_event_name === 'Stop' && !event.stop_hook_active) presence.resetStopBlocks(event.session_id)
    bus.emit('change', { sessionId: event.session_id, cause: 'event', result })
    return result
  }

  const queue = createIngestQueue<{ event: HookEvent; meta: EventMeta }, IngestResult>(
    db,
    ({ event, meta }) => ingest(event, meta),
    ({ event, meta }, result) => afterCommit(event, meta, result),
  )

  function receive(event: HookEvent, meta: EventMeta, opts: { replayed?: boolean } = {}): IngestResult {
    return afterCommit(event, meta, ingest(event, meta, opts.replayed))
  }

  function deliverSpooled(item: SpooledEvent): SpoolOutcome {
    let value: unknown
    try {
      value = JSON.parse(item.raw)
    } catch {
      return { rejected: 'not JSON (cut off?)' }
    }
    const parsed = HookEventSchema.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return { rejected: `not a hook event: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` }
    }
    try {
      // The time the hook ran, however long ago (the receiver was down for a week: the events are a
      // week old, not new); only a stamp from the future (a clock that jumped) becomes now.
      const meta = {
        ...eventMeta({ pid: item.pid ? String(item.pid) : undefined }, now()),
        occurredAt: Math.min(item.occurredAt, now()),
      }
      receive(parsed.data, meta, { replayed: true })
    } catch (err) {
      if (err instanceof Refusal) return { rejected: err.message }
      throw err
    }
    return 'stored'
  }

  const hookAnswerDeps = {
    holds,
    config: holdConfig,
    log: deps.log,
    away: () => presence.view().awayNow,
    stopBlocks: presence.stopBlocks,
    replyPathOf,
    answeredAtTerminal(waitId: string, sessionId: string) {
      if (recordTerminalAnswer(db, waitId, sessionId, now())) bus.emit('change', { sessionId, cause: 'answer', waitId })
    },
  }

  return {
    ...deps,
    now,
    bus,
    spool: createSpool(deps.config.paths.spoolDir, deliverSpooled, deps.log, {
      now,
      onStoreFailure: (kind, err) => storeHealth.failed(kind, err),
      storeFailing: () => !storeHealth.view().ok,
    }),
    storeHealth,
    holds,
    inbox,
    replyPathOf,
    receive,
    receiveBatched: (event, meta) => queue.push({ event, meta }),
    answerHook: (event, result, budgetSec, signal) => answerHook(hookAnswerDeps, event, result, budgetSec, signal),
    presence: presence.view,
    setAway(away) {
      presence.setAway(away)
      return presence.view()
    },
    lastPromptAt: presence.lastPromptAt,
    countStopBlock: presence.countStopBlock,
  }
}
