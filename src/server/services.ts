// Everything a handler may use, built once and passed to createApp (tests build their own).
import { EventEmitter } from 'node:events'
import type { Config } from '../config.ts'
import { canonicalJson } from '../core/canonical-json.ts'
import type { EventMeta, HookEvent } from '../core/hook-event.ts'
import { HookEventSchema } from '../core/hook-event.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/db.ts'
import { ingestEvent, type IngestResult } from '../store/ingest.ts'
import { createSpool, type Spool, type SpooledEvent } from './spool.ts'

export interface AgentChange {
  sessionId: string
  result: IngestResult
}

/** Typed events the receiver emits after each committed change (notify policy, SSE). */
export interface ServiceEvents {
  change: [AgentChange]
}

export interface Services {
  config: Config
  store: Store
  token: string
  log: Logger
  now: () => number
  bus: EventEmitter<ServiceEvents>
  spool: Spool
  /** Stores one validated event and tells whoever listens. */
  receive(event: HookEvent, meta: EventMeta, opts?: { replayed?: boolean }): IngestResult
}

export interface ServiceDeps {
  config: Config
  store: Store
  token: string
  log: Logger
  now?: () => number
}

export function createServices(deps: ServiceDeps): Services {
  const now = deps.now ?? Date.now
  const bus = new EventEmitter<ServiceEvents>()

  function receive(event: HookEvent, meta: EventMeta, opts: { replayed?: boolean } = {}): IngestResult {
    const raw = canonicalJson(event)
    const result = ingestEvent(deps.store.db, event, raw, meta, {
      maxFieldBytes: deps.config.maxFieldBytes,
      replayed: opts.replayed,
    })
    if (!result.duplicate) bus.emit('change', { sessionId: event.session_id, result })
    return result
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
    receive(parsed.data as HookEvent, { occurredAt: item.occurredAt, receivedAt: now(), pid: item.pid }, { replayed: true })
    return 'stored' as const
  }

  const spool = createSpool(deps.config.paths.spoolDir, deliverSpooled, deps.log)
  return { ...deps, now, bus, spool, receive }
}
