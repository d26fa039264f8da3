// GET /open/:sessionId?exp=…&sig=…: the read-only agent page a ping's Open button opens, without the bearer
// token: the signature is valid for that one agent (service/agent-link.ts). A browser signed in to the
// dashboard goes on to that agent's view there, where it can answer.
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { sessionCookieName, sessionFromCookie } from '../../service/browser-auth.ts'
import { rankAgents } from '../../core/ranking.ts'
import { agentPageHtml } from '../../dashboard/agent-page.ts'
import { validPageLink } from '../../service/agent-link.ts'
import { getAgentDetail, listAgentViews } from '../../store/agents.ts'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'
import { dashboardHeaders } from '../middleware/browser-session.ts'

export const openRoute = new Hono<AppEnv>().get('/:sessionId', (c) => {
  const services = c.get('services')
  const { store, token, now } = services
  const sessionId = c.req.param('sessionId')
  // The link's signature is a secret for a day: kept out of caches, Referer headers and frames.
  dashboardHeaders(c)
  const link = { exp: c.req.queries('exp') ?? [], sig: c.req.queries('sig') ?? [] }
  if (!validPageLink(token, sessionId, link, now()))
    throw new ApiError(401, 'unauthorized', 'invalid, expired or missing link signature')
  const detail = getAgentDetail(store.db, sessionId, { limit: 100 })
  if (!detail) throw new ApiError(404, 'not_found', 'no such agent')
  if (sessionFromCookie(services, getCookie(c, sessionCookieName(services.config))))
    return c.redirect(`/ui/agents/${encodeURIComponent(sessionId)}`, 303)
  const t = now()
  const view = rankAgents(listAgentViews(store.db, { sessionId, now: t }), t)[0]!
  c.header(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  )
  return c.html(agentPageHtml(view, detail.timeline, t))
})
