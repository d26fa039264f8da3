// GET /v1/agents (ranked, each with its why) and GET /v1/agents/:ref (state, waits, timeline).
import { Hono } from 'hono'
import { z } from 'zod'
import { agentLabel, shortId } from '../../core/agent-name.ts'
import { rankAgents, type RankedAgent } from '../../core/ranking.ts'
import { orderTimeline } from '../../core/timeline.ts'
import { getAgentDetail, listAgentViews } from '../../store/agents.ts'
import { resolveAgent } from '../../service/agents.ts'
import { modsOf } from '../../store/mods.ts'
import { replyPath } from '../../core/reply-path.ts'
import type { Services } from '../../service/services.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const ListQuerySchema = z.object({ all: z.enum(['0', '1', 'true', 'false']).optional() })

/** `before`: the `older` cursor of a page ("<time>.<seq>"), to page back through a long timeline. */
const DetailQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  before: z
    .string()
    .regex(/^\d+\.\d+$/, 'expected the `older` cursor of a previous page, "<time>.<seq>"')
    .transform((v) => {
      const [at, seq] = v.split('.').map(Number)
      return { at: at!, seq: seq! }
    })
    .optional(),
})

/** What the API adds to a ranked agent: its names, whether a hook is held, how a reply reaches it. */
function presented(services: Services, agents: RankedAgent[]) {
  const mods = modsOf(
    services.store.db,
    agents.map((a) => a.sessionId),
  )
  return agents.map((a) => ({
    ...a,
    shortId: shortId(a.sessionId),
    label: agentLabel(a),
    held: Boolean(a.wait && services.holds.get(a.wait.id)),
    /** mod: a reply arrives as the person's own prompt; hook: as a held hook's relayed text. */
    replyPath: replyPath(mods.get(a.sessionId), services.inbox.connected(a.sessionId)),
    /** The Claude Code version, as its mod reported it (null without the mod). */
    claudeVersion: mods.get(a.sessionId)?.claudeVersion ?? null,
  }))
}

export const agentsRoute = new Hono<AppEnv>()
  .get('/', validate('query', ListQuerySchema), (c) => {
    const services = c.get('services')
    const all = ['1', 'true'].includes(c.req.valid('query').all ?? '')
    const t = services.now()
    const ranked = rankAgents(listAgentViews(services.store.db, { includeEnded: all, now: t }), t)
    return c.json({ now: t, agents: presented(services, ranked) })
  })
  .get('/:ref', validate('query', DetailQuerySchema), (c) => {
    const services = c.get('services')
    const { store } = services
    const t = services.now()
    const sessionId = resolveAgent(store.db, c.req.param('ref'), t)
    const { limit, before } = c.req.valid('query')
    const detail = getAgentDetail(store.db, sessionId, { limit, before })!
    const [view] = presented(services, rankAgents(listAgentViews(store.db, { sessionId, now: t }), t))
    return c.json({
      now: t,
      agent: {
        ...view!,
        continuesSessionId: detail.row.continuesSessionId,
        lastMessage: detail.row.lastMessage,
      },
      waits: detail.waits.map((w) => ({ ...w, durationMs: (w.endedAt ?? t) - w.startedAt })),
      timeline: orderTimeline(detail.timeline).map((e) => ({
        seq: e.seq,
        name: e.name,
        occurredAt: e.occurredAt,
        receivedAt: e.receivedAt,
        subagentId: e.subagentId,
        toolName: e.toolName,
        toolUseId: e.toolUseId,
        late: e.late,
        replayed: e.replayed,
        origin: e.origin,
        payload: e.payload,
      })),
      /** The latest events come first in paging: pass this as `before` for the page before them. */
      older: detail.older && `${detail.older.at}.${detail.older.seq}`,
    })
  })
