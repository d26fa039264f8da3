// Ranks every agent: blocked ones by urgency (each with its why), then the rest by recency.
import { isBlocked, type AgentState, type WaitKind } from './agent-state.ts'
import { formatDuration } from './duration.ts'
import { compareUrgency, DEFAULT_PRIORITY, overtakesAt, urgency, type UrgencyInput } from './urgency.ts'

export interface AgentView {
  sessionId: string
  project: string
  cwd: string | null
  state: AgentState
  stateSince: number
  lastEventAt: number
  priority: number | null
  tWorkMs: number | null
  wait: { id: string; kind: WaitKind; startedAt: number; detail: Record<string, unknown> } | null
}

export interface RankedAgent extends AgentView {
  /** 1 for the agent to answer first; null for agents nobody waits on. */
  rank: number | null
  score: number
  waitingMs: number | null
  why: string
}

const RESTING_ORDER: Record<string, number> = { stale: 0, working: 1, idle: 2, ended: 3 }

export function rankAgents(views: AgentView[], now: number): RankedAgent[] {
  const blocked: RankedAgent[] = []
  const rest: RankedAgent[] = []
  for (const view of views) {
    if (isBlocked(view.state) && view.wait) {
      const u = urgency(urgencyInput(view), now)
      blocked.push({ ...view, rank: 0, score: u.score, waitingMs: now - view.wait.startedAt, why: u.why })
    } else {
      rest.push({ ...view, rank: null, score: 0, waitingMs: null, why: restingWhy(view, now) })
    }
  }
  blocked.sort((a, b) =>
    compareUrgency(
      { score: a.score, waitStartedAt: a.wait!.startedAt, id: a.sessionId },
      { score: b.score, waitStartedAt: b.wait!.startedAt, id: b.sessionId },
    ),
  )
  blocked.forEach((a, i) => (a.rank = i + 1))
  rest.sort((a, b) => (RESTING_ORDER[a.state] ?? 9) - (RESTING_ORDER[b.state] ?? 9) || b.lastEventAt - a.lastEventAt)
  return [...blocked, ...rest]
}

function urgencyInput(view: AgentView): UrgencyInput {
  return {
    kind: view.wait!.kind,
    waitStartedAt: view.wait!.startedAt,
    priority: view.priority ?? DEFAULT_PRIORITY,
    tWorkMs: view.tWorkMs,
  }
}

/**
 * When another blocked agent comes to outrank the top one by the clock alone (its score grows
 * faster), a second after the lines cross so the rounded scores agree; null if none ever does.
 */
export function topChangeAt(ranked: RankedAgent[], now: number): number | null {
  const blocked = ranked.filter((a) => a.rank !== null && a.wait)
  const [top, ...rest] = blocked
  if (!top) return null
  const times = rest
    .map((other) => overtakesAt(urgencyInput(top), urgencyInput(other), now))
    .filter((t): t is number => t !== null)
  return times.length ? Math.max(now, Math.min(...times)) + 1000 : null
}

function restingWhy(view: AgentView, now: number): string {
  const since = formatDuration(now - view.stateSince)
  switch (view.state) {
    case 'working':
      return `working for ${since}`
    case 'stale':
      return `silent for ${formatDuration(now - view.lastEventAt)} (interrupted?)`
    case 'idle':
      return `started, no instruction yet (${since})`
    case 'ended':
      return `ended ${since} ago`
    default:
      return `${view.state} for ${since}`
  }
}
