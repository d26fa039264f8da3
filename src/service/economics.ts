// Attention economics for the front ends: the measures over a window (per agent, project, fleet), the
// capacity now (measured N, ceiling, practical limit, live agents), the warning a new session gets
// beyond it, and the weekly report. Projects are git roots (else the directory).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { FileConfig } from '../config-file.ts'
import { agentLabel } from '../core/agent-name.ts'
import { backpressureMessage, capacity, capacityLine, idleCost, type Capacity } from '../core/economics.ts'
import type { HookEvent } from '../core/hook-event.ts'
import { fleetMeasures, measureHistory, type Measures, type WaitRecord } from '../core/metrics.ts'
import { buildReport, type Report, type ReportWait } from '../core/report.ts'
import type { Db } from '../store/db.ts'
import { liveAgentCount, metricHistory } from '../store/metrics.ts'
import type { Timers } from './holds.ts'
import { createKept, type Kept } from './kept.ts'
import type { AgentChange, Services } from './services.ts'

const DAY = 24 * 3600_000
/** The capacity is measured over a week of history: at most once this often, however many sessions start. */
const CAPACITY_TTL_MS = 60_000
/**
 * The measures of the last days are kept and answered from the copy: a change to the history (a wait
 * opened or ended, a prompt, a reply) is taken in after a second, at most every KEEP_GAP_MS; with no
 * change the copy is recomputed once a minute while asked for; a copy older than KEEP_MAX_AGE_MS
 * (nobody asked meanwhile) is computed afresh on the request.
 */
const KEEP = { debounceMs: 1000, minGapMs: 10_000, refreshAfterMs: 60_000, maxAgeMs: 10 * 60_000 }
/** Most windows kept at once (each `days` asked for is one). */
const KEPT_WINDOWS = 8
/** The SessionStart check reads at most this many of the newest waits (a few days of a busy fleet). */
const CAPACITY_WAITS = 3000

export interface CapacityNow {
  live: number
  capacity: Capacity
  /** One line for status and the dashboard banner. */
  line: string
  /** What a new session is told; null within the limit. */
  warning: string | null
  /** When the measured capacity was computed (ms): it is kept, at most a minute old with no change. */
  asOf: number
}

export interface MeasuresBody {
  from: number
  to: number
  fleet: Measures
  projects: Array<{ key: string; label: string } & Measures>
  agents: Array<{ sessionId: string; label: string; project: string } & Measures>
  idleCost: number | null
  currency: string
  pricePerAgentHour: number | null
}

export interface KeptMeasures extends MeasuresBody {
  /** When these were computed (= `to`): the same numbers as a fresh computation then. */
  asOf: number
  /** The history changed since `asOf`: a recomputation is due (within seconds). */
  stale: boolean
}

export interface Economics {
  /** The history changed (a wait opened or ended, a sign of the person): kept copies recompute soon. */
  invalidate(): void
  measures(window: { from: number; to: number }): MeasuresBody
  /** The measures of the last `days` days, from the kept copy (see KEEP). */
  recentMeasures(days: number): KeptMeasures
  capacityNow(): CapacityNow
  /** What the SessionStart hook prints: a systemMessage when a new agent goes beyond the limit. */
  sessionStartAnswer(event: HookEvent): Record<string, unknown>
  report(window: { days: number }): Report
  /** Stops pending recomputations. */
  dispose(): void
}

/** The git root above `cwd`, else `cwd` itself (a directory on another machine: as reported). */
export function projectRoot(cwd: string, exists: (p: string) => boolean = existsSync): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (exists(join(dir, '.git'))) return dir
    if (dirname(dir) === dir) return cwd
  }
}

export function localMidnight(now: number): number {
  const d = new Date(now)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

export function createEconomics(deps: {
  db: Db
  now: () => number
  config: FileConfig['economics']
  timers?: Timers
  onError?: (err: unknown) => void
}): Economics {
  const { db, now, config } = deps
  const breakAfterMs = config.breakAfterMin * 60_000
  const roots = new Map<string, string>()
  const projectOf = (cwd: string | null) => {
    if (!cwd) return '?'
    let root = roots.get(cwd)
    if (root === undefined) roots.set(cwd, (root = projectRoot(cwd)))
    return root
  }

  function history(from: number, to: number, opts: { limit?: number; detail?: boolean } = {}) {
    const stored = metricHistory(db, { from, to, signsFrom: from - breakAfterMs, ...opts })
    const waits: ReportWait[] = stored.waits.map((w) => ({
      ...w,
      project: projectOf(w.cwd),
      label: agentLabel({ cwd: w.cwd, sessionId: w.sessionId }),
    }))
    return { waits, signs: stored.signs }
  }

  function measuredCapacity(t: number): Capacity {
    const from = t - config.windowDays * DAY
    // The newest CAPACITY_WAITS waits at most: the person's recent rhythm, at a bounded cost.
    const h = history(from, t, { limit: CAPACITY_WAITS, detail: false })
    const oldest = h.waits.length === CAPACITY_WAITS ? Math.min(...h.waits.map((w) => w.startedAt)) : from
    const fleet = fleetMeasures(h, { from: Math.max(from, oldest), to: t, breakAfterMs })
    return capacity(fleet.n, config.ceiling)
  }
  const keep = { now, timers: deps.timers, onError: deps.onError }
  // The SessionStart hook waits on it and must see every wait before it: a stale copy is computed
  // afresh (bounded: the newest CAPACITY_WAITS waits), but the copy is recomputed off the request path
  // a second after a wait opens or ends (at most every KEEP.minGapMs), so the hook mostly reads it.
  const keptCapacity = createKept({
    ...keep,
    ...KEEP,
    refreshAfterMs: CAPACITY_TTL_MS,
    onStale: 'compute',
    compute: measuredCapacity,
  })
  const keptWindows = new Map<number, Kept<MeasuresBody>>()
  function invalidate() {
    keptCapacity.changed()
    for (const [days, kept] of keptWindows) {
      // A window nobody asked for lately is dropped rather than recomputed.
      if (now() - (kept.lastAsked() ?? -Infinity) > KEEP.maxAgeMs) {
        kept.dispose()
        keptWindows.delete(days)
      } else kept.changed()
    }
  }

  const economics: Economics = {
    invalidate,
    recentMeasures(days) {
      let kept = keptWindows.get(days)
      if (!kept) {
        if (keptWindows.size >= KEPT_WINDOWS) {
          const [oldest] = [...keptWindows].sort((a, b) => (a[1].lastAsked() ?? 0) - (b[1].lastAsked() ?? 0))
          oldest![1].dispose()
          keptWindows.delete(oldest![0])
        }
        kept = createKept({ ...keep, ...KEEP, compute: (to) => economics.measures({ from: to - days * DAY, to }) })
        keptWindows.set(days, kept)
      }
      const { value, asOf, stale } = kept.get()
      return { ...value, asOf, stale }
    },
    measures({ from, to }) {
      const h = history(from, to, { detail: false })
      const m = measureHistory(h, { from, to, breakAfterMs })
      const first = new Map<string, WaitRecord & { label: string }>()
      for (const w of h.waits) if (!first.has(w.sessionId)) first.set(w.sessionId, w)
      const base = (p: string) =>
        p
          .split(/[\\/]+/)
          .filter(Boolean)
          .pop() ?? p
      return {
        from,
        to,
        fleet: m.fleet,
        projects: Object.entries(m.projects).map(([key, x]) => ({ key, label: base(key), ...x })),
        agents: Object.entries(m.agents).map(([sessionId, x]) => ({
          sessionId,
          label: first.get(sessionId)?.label ?? sessionId,
          project: first.get(sessionId)?.project ?? '?',
          ...x,
        })),
        idleCost: idleCost(m.fleet.idleMs, config),
        currency: config.currency,
        pricePerAgentHour: config.pricePerAgentHour,
      }
    },
    capacityNow() {
      const live = liveAgentCount(db)
      const { value: c, asOf } = keptCapacity.get()
      return { live, capacity: c, line: capacityLine(live, c), warning: backpressureMessage(live, c), asOf }
    },
    sessionStartAnswer(event) {
      if (!config.warnOnStart || event.hook_event_name !== 'SessionStart') return {}
      // A new agent, or one brought back: not a /clear or a compaction of one already counted.
      const source = (event as { source?: string }).source
      if (source !== 'startup' && source !== 'resume') return {}
      const warning = economics.capacityNow().warning
      return warning ? { systemMessage: `tend: ${warning}` } : {}
    },
    report({ days }) {
      const to = now()
      const today = localMidnight(to)
      const from = today - (days - 1) * DAY
      const h = history(from, to)
      const windows = Array.from({ length: days }, (_, i) => ({
        from: from + i * DAY,
        to: Math.min(from + (i + 1) * DAY, to),
      }))
      return buildReport({ ...h, from, to, days: windows, breakAfterMs, economics: config })
    },
    dispose() {
      keptCapacity.dispose()
      for (const kept of keptWindows.values()) kept.dispose()
    },
  }
  return economics
}

/**
 * Whether a change can move the measures: a wait opening or ending, the person's prompt (a sign), a
 * late event, an answer from elsewhere, the clock's sweep; not the tool calls while agents work.
 */
export function changesMeasures(change: AgentChange): boolean {
  const r = change.result
  return change.cause !== 'event' || !!(r?.openedWaitId || r?.closedWaitId || r?.presence || r?.late)
}

const built = new WeakMap<object, Economics>()

/** The one Economics of a Services object, made on first use (its cache lives as long as they do). */
export function economicsOf(services: Pick<Services, 'store' | 'now' | 'config' | 'bus' | 'log'>): Economics {
  let e = built.get(services)
  if (!e) {
    const made = createEconomics({
      db: services.store.db,
      now: services.now,
      config: services.config.file.economics,
      onError: (err) => services.log.warn('attention measures: recomputation failed', { err: String(err) }),
    })
    services.bus.on('change', (change) => {
      if (changesMeasures(change)) made.invalidate()
    })
    built.set(services, (e = made))
  }
  return e
}
