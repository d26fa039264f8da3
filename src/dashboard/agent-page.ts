// A read-only page about one agent, opened from a desktop ping: GET /open/:sessionId?sig=…
// The signature (an HMAC of the session id under the install's token) lets a browser open it
// without the bearer token, and only for that agent.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import { html, raw } from 'hono/html'
import { agentLabel, shortId } from '../core/agent-name.ts'
import { formatDuration } from '../core/duration.ts'
import { rankAgents } from '../core/ranking.ts'
import { waitSummary } from '../core/wait-summary.ts'
import { getAgentDetail, listAgentViews } from '../store/agents.ts'
import { ApiError } from '../server/errors.ts'
import type { AppEnv } from '../server/env.ts'
import type { Services } from '../server/services.ts'

export function pageSignature(token: string, sessionId: string): string {
  return createHmac('sha256', token).update(`open:${sessionId}`).digest('base64url').slice(0, 32)
}

export function agentPageUrl(services: Pick<Services, 'config' | 'token'>, sessionId: string): string {
  return `${services.config.url}/open/${encodeURIComponent(sessionId)}?sig=${pageSignature(services.token, sessionId)}`
}

function validSignature(token: string, sessionId: string, sig: string): boolean {
  const expected = Buffer.from(pageSignature(token, sessionId))
  const given = Buffer.from(sig)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export const agentPage = new Hono<AppEnv>().get('/:sessionId', (c) => {
  const { store, token, now } = c.get('services')
  const sessionId = c.req.param('sessionId')
  if (!validSignature(token, sessionId, c.req.query('sig') ?? ''))
    throw new ApiError(401, 'unauthorized', 'invalid or missing signature')
  const detail = getAgentDetail(store.db, sessionId, 200)
  if (!detail) throw new ApiError(404, 'not_found', 'no such agent')
  const t = now()
  const view = rankAgents(listAgentViews(store.db, { sessionId }), t)[0]!
  const id = shortId(sessionId)
  const answer = view.wait?.kind === 'permission' ? `tend approve ${id}` : `tend reply ${id} "…"`
  c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  c.header('referrer-policy', 'no-referrer')
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>${agentLabel(view)} · tend</title>
          <style>
            body {
              font:
                15px system-ui,
                sans-serif;
              margin: 2rem;
              max-width: 60rem;
            }
            code,
            pre {
              background: #f3f3f3;
              padding: 0.1rem 0.3rem;
            }
            table {
              border-collapse: collapse;
            }
            td {
              padding: 0.15rem 0.6rem;
              border-bottom: 1px solid #eee;
              font-size: 13px;
            }
          </style>
        </head>
        <body>
          <h1>${agentLabel(view)}</h1>
          <p>
            <b>${view.state}</b
            >${view.wait ? html` for ${formatDuration(t - view.wait.startedAt)}: ${waitSummary(view.wait, 500)}` : ''}
          </p>
          <p>${view.why}</p>
          <p>Directory: <code>${view.cwd ?? '?'}</code></p>
          ${view.wait ? html`<p>Answer from a terminal: <code>${answer}</code></p>` : ''}
          <h2>Timeline</h2>
          <table>
            ${raw(
              detail.timeline
                .slice(-100)
                .map(
                  (e) =>
                    html`<tr>
                      <td>${new Date(e.occurredAt).toLocaleTimeString()}</td>
                      <td>${e.name}</td>
                      <td>${e.toolName ?? ''}</td>
                      <td>${e.subagentId ? 'subagent' : ''}</td>
                    </tr>`,
                )
                .join(''),
            )}
          </table>
        </body>
      </html>`,
  )
})
