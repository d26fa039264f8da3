// What the dashboard shows of the fleet at one moment: every agent ranked, with what the page needs
// beside the ranking (held hook, reply path, machine), the presence and the latest pings.
import { agentLabel, shortId } from '../core/agent-name.ts'
import { rankAgents, type RankedAgent } from '../core/ranking.ts'
import { replyPath, type ReplyPath } from '../core/reply-path.ts'
import type { Services } from '../service/services.ts'
import { machinesOf } from '../store/agent-history.ts'
import { listAgentViews } from '../store/agents.ts'
import { modsOf } from '../store/mods.ts'
import { recentPings } from '../store/pings.ts'
import type { PingRow } from '../store/agent-history.ts'

export interface FleetAgent extends RankedAgent {
  label: string
  shortId: string
  held: boolean
  replyPath: ReplyPath
  machine: string | null
}

export interface Fleet {
  now: number
  agents: FleetAgent[]
  away: boolean
  pings: PingRow[]
}

export function presentAgents(services: Services, ranked: RankedAgent[]): FleetAgent[] {
  const ids = ranked.map((a) => a.sessionId)
  const mods = modsOf(services.store.db, ids)
  const machines = machinesOf(services.store.db, ids)
  return ranked.map((a) => ({
    ...a,
    label: agentLabel(a),
    shortId: shortId(a.sessionId),
    held: Boolean(a.wait && services.holds.get(a.wait.id)),
    replyPath: replyPath(mods.get(a.sessionId), services.inbox.connected(a.sessionId)),
    machine: machines.get(a.sessionId) ?? null,
  }))
}

export function fleetNow(services: Services, opts: { pings?: number } = {}): Fleet {
  const now = services.now()
  const ranked = rankAgents(listAgentViews(services.store.db), now)
  return {
    now,
    agents: presentAgents(services, ranked),
    away: services.presence().awayNow,
    pings: recentPings(services.store.db, opts.pings ?? 30),
  }
}
