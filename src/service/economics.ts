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
import type { Services } from './services.ts'

const DAY = 24 * 3600_000
/** The capacity is measured over a week of history: at most once this often, however many sessions start. */
const CAPACITY_TTL_MS = 60_000
/** The SessionStart check reads at most this many of the newest waits (a few days of a busy fleet). */
const CAPACITY_WAITS = 3000

export interface CapacityNow {
  live: number
  capacity: Capacity
  /** One line for status and the dashboard banner. */
  line: string
  /** What a new session is told; null within the limit. */
  warning: string | null
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

export interface Economics {
  /** A wait opened or ended: the measured capacity is read again next time. */
  invalidate(): void
  measures(window: { from: number; to: number }): MeasuresBody
  capacityNow(): CapacityNow
  /** What the SessionStart hook prints: a systemMessage when a new agent goes beyond the limit. */
  sessionStartAnswer(event: HookEvent): Record<string, unknown>
  report(window: { days: number }): Report
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

export function createEconomics(deps: { db: Db; now: () => number; config: FileConfig['economics'] }): Economics {
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

  let cached: { at: number; capacity: Capacity } | null = null
  const invalidate = () => void (cached = null)
  function measuredCapacity(): Capacity {
    const t = now()
    if (cached && t - cached.at < CAPACITY_TTL_MS && t >= cached.at) return cached.capacity
    const from = t - config.windowDays * DAY
    // The newest CAPACITY_WAITS waits at most: the person's recent rhythm, at a bounded cost.
    const h = history(from, t, { limit: CAPACITY_WAITS, detail: false })
    const oldest = h.waits.length === CAPACITY_WAITS ? Math.min(...h.waits.map((w) => w.startedAt)) : from
    const fleet = fleetMeasures(h, { from: Math.max(from, oldest), to: t, breakAfterMs })
    cached = { at: t, capacity: capacity(fleet.n, config.ceiling) }
    return cached.capacity
  }

  const economics: Economics = {
    invalidate,
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
      const c = measuredCapacity()
      return { live, capacity: c, line: capacityLine(live, c), warning: backpressureMessage(live, c) }
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
  }
  return economics
}

const built = new WeakMap<object, Economics>()

/** The one Economics of a Services object, made on first use (its cache lives as long as they do). */
export function economicsOf(services: Pick<Services, 'store' | 'now' | 'config' | 'bus'>): Economics {
  let e = built.get(services)
  if (!e) {
    const made = createEconomics({ db: services.store.db, now: services.now, config: services.config.file.economics })
    services.bus.on('change', (change) => {
      if (change.cause !== 'event' || change.result?.openedWaitId || change.result?.closedWaitId) made.invalidate()
    })
    built.set(services, (e = made))
  }
  return e
}
