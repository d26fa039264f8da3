// Which agent a reference names, as every front end takes it: `next`, a session id or its prefix, a project.
import { shortId } from '../core/agent-name.ts'
import { rankAgents } from '../core/ranking.ts'
import { listAgentViews, resolveAgentRef } from '../store/agents.ts'
import type { Db } from '../store/db.ts'
import { Refusal } from './errors.ts'

/** `next` is the top of the ranking; otherwise a session id, a prefix of it, or a project name. */
export function resolveAgent(db: Db, ref: string, now: number): string {
  if (ref === 'next') {
    const top = rankAgents(listAgentViews(db, { blockedOnly: true, now }), now)[0]
    if (!top || top.rank === null) throw new Refusal('not_found', 'no agent is waiting for you')
    return top.sessionId
  }
  const resolved = resolveAgentRef(db, ref)
  if (resolved.ok) return resolved.sessionId
  if (resolved.reason === 'ambiguous') {
    throw new Refusal('ambiguous', `'${ref}' matches several agents; use a longer id`, {
      candidates: resolved.candidates.map(shortId),
    })
  }
  throw new Refusal('not_found', `no agent matches '${ref}'`)
}
