// The weekly report: agent-hours worked and idle, the longest waits and why, N day by day, which
// agents and projects cost the most attention, and the permission prompts that recur most. Pure.
import type { WaitKind } from './agent-state.ts'
import { idleCost, type EconomicsConfig } from './economics.ts'
import { fleetMeasures, measureHistory, type Measures, type WaitRecord } from './metrics.ts'
import type { RatioEstimate } from './spread.ts'
import { toolTarget, waitSummary } from './wait-summary.ts'

export interface ReportWait extends WaitRecord {
  /** How a person names the agent ("api·1a2b3c4d"). */
  label: string
  detail: Record<string, unknown>
}

export interface ReportInput {
  waits: ReportWait[]
  signs: number[]
  from: number
  to: number
  /** The windows "N over time" is measured on (days, local midnight to midnight), oldest first. */
  days: Array<{ from: number; to: number }>
  breakAfterMs: number
  economics: Pick<EconomicsConfig, 'pricePerAgentHour' | 'currency'>
  minSamples?: number
  /** How many rows each list keeps. */
  top?: number
}

export interface CostRow {
  key: string
  label: string
  /** The person's answers (instructions and permissions) and the time they took. */
  answers: number
  attentionMs: number
  idleMs: number
  idleCost: number | null
}

export interface Report {
  from: number
  to: number
  fleet: Measures
  workedMs: number
  idleMs: number
  idleCost: number | null
  currency: string
  longestWaits: Array<{
    waitId: string
    sessionId: string
    label: string
    project: string
    kind: WaitKind
    why: string
    startedAt: number
    durationMs: number
    /** Still open at the window's end. */
    open: boolean
    endedBy: string | null
  }>
  nByDay: Array<{ from: number; to: number; n: RatioEstimate | null; instructions: number }>
  projects: CostRow[]
  agents: CostRow[]
  /** The permission prompts that recur most: rules that would let agents work on (raise T_work). */
  permissions: Array<{ key: string; count: number; waitMs: number; projects: string[] }>
}

/** What a permission asks for, as one recurring kind: "Bash(npm test)", "Edit", "WebFetch(example.com)". */
export function permissionKey(detail: Record<string, unknown>): string {
  const tool = typeof detail['toolName'] === 'string' ? detail['toolName'] : 'a tool'
  const input = detail['toolInput'] as Record<string, unknown> | undefined
  if (tool === 'Bash') {
    const words = toolTarget(input)
      .trim()
      .split(/\s+/)
      .filter((w) => !/^\w+=/.test(w))
    const head = words.slice(0, 2).filter((w, i) => i === 0 || !/^[-/.~"']/.test(w))
    return head.length ? `Bash(${head.join(' ')})` : 'Bash'
  }
  if (tool === 'WebFetch') {
    const url = toolTarget(input)
    const host = /^https?:\/\/([^/:]+)/.exec(url)?.[1]
    return host ? `WebFetch(${host})` : 'WebFetch'
  }
  return tool
}

export function buildReport(input: ReportInput): Report {
  const { from, to, breakAfterMs, minSamples } = input
  const top = input.top ?? 5
  const opts = { from, to, breakAfterMs, minSamples }
  const history = { waits: input.waits, signs: input.signs }
  const measured = measureHistory(history, opts)
  const cost = (idleMs: number) => idleCost(idleMs, input.economics)

  const labels = new Map(input.waits.map((w) => [w.sessionId, w.label]))
  const rows = (groups: Record<string, Measures>, label: (k: string) => string): CostRow[] =>
    Object.entries(groups)
      .map(([key, m]) => ({
        key,
        label: label(key),
        answers: m.answers,
        attentionMs: m.attentionMs,
        idleMs: m.idleMs,
        idleCost: cost(m.idleMs),
      }))
      .filter((r) => r.answers > 0 || r.idleMs > 0)
      .sort((a, b) => b.attentionMs + b.idleMs - (a.attentionMs + a.idleMs) || b.answers - a.answers)
      .slice(0, top)

  const longestWaits = input.waits
    .filter((w) => w.startedAt >= from && w.startedAt < to)
    .map((w) => ({ w, durationMs: Math.min(w.endedAt ?? to, to) - w.startedAt }))
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, top)
    .map(({ w, durationMs }) => ({
      waitId: w.id,
      sessionId: w.sessionId,
      label: w.label,
      project: w.project,
      kind: w.kind,
      why: waitSummary(w),
      startedAt: w.startedAt,
      durationMs,
      open: w.endedAt === null || w.endedAt >= to,
      endedBy: w.endedAt !== null && w.endedAt < to ? w.endedBy : null,
    }))

  const permissions = new Map<string, { key: string; count: number; waitMs: number; projects: Set<string> }>()
  for (const w of input.waits) {
    if (w.kind !== 'permission' || w.startedAt < from || w.startedAt >= to) continue
    const key = permissionKey(w.detail)
    const p = permissions.get(key) ?? { key, count: 0, waitMs: 0, projects: new Set<string>() }
    p.count++
    p.waitMs += Math.min(w.endedAt ?? to, to) - w.startedAt
    p.projects.add(basename(w.project))
    permissions.set(key, p)
  }

  return {
    from,
    to,
    fleet: measured.fleet,
    workedMs: measured.fleet.workedMs,
    idleMs: measured.fleet.idleMs,
    idleCost: cost(measured.fleet.idleMs),
    currency: input.economics.currency,
    longestWaits,
    nByDay: input.days.map((d) => {
      const m = fleetMeasures(history, { ...d, breakAfterMs, minSamples })
      return { from: d.from, to: d.to, n: m.n, instructions: m.tInstruct.samples }
    }),
    projects: rows(measured.projects, basename),
    agents: rows(measured.agents, (k) => labels.get(k) ?? k),
    permissions: [...permissions.values()]
      .sort((a, b) => b.count - a.count || b.waitMs - a.waitMs)
      .slice(0, top * 2)
      .map((p) => ({ ...p, projects: [...p.projects].sort() })),
  }
}

function basename(path: string): string {
  return (
    path
      .split(/[\\/]+/)
      .filter(Boolean)
      .pop() ?? path
  )
}
