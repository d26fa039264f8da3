// Reads what the agent view shows: the agent (ranked among the fleet's names), a page of its
// events, and the waits, answers and pings of the same span.
import { rankAgents } from '../core/ranking.ts'
import type { Services } from '../service/services.ts'
import { pingsOfSession, repliesOfSession } from '../store/agent-history.ts'
import { getAgentDetail, listAgentViews, type TimelineCursor } from '../store/agents.ts'
import { timelineEntries, type TimelineEntry } from './agent-view.ts'
import { presentAgents, type FleetAgent } from './fleet.ts'

export const TIMELINE_PAGE = 100

export interface AgentPageData {
  agent: FleetAgent
  now: number
  timeline: TimelineEntry[]
  older: string | null
  lastMessage: string | null
}

export function agentPageData(services: Services, sessionId: string, before?: TimelineCursor): AgentPageData | null {
  const db = services.store.db
  const now = services.now()
  const detail = getAgentDetail(db, sessionId, { limit: TIMELINE_PAGE, before })
  if (!detail) return null
  const [agent] = presentAgents(services, rankAgents(listAgentViews(db, { sessionId }), now))
  // The span this page covers: from its oldest event (or the beginning) to its newest (or now, on the latest page).
  const from = detail.older ? detail.timeline[0]!.occurredAt : 0
  const to = before ? before.at : now
  return {
    agent: agent!,
    now,
    timeline: timelineEntries(
      detail.timeline,
      detail.waits,
      repliesOfSession(db, sessionId, from, to),
      pingsOfSession(db, sessionId, from, to),
      { from, to },
    ),
    older: detail.older && `${detail.older.at}.${detail.older.seq}`,
    lastMessage: detail.row.lastMessage,
  }
}
