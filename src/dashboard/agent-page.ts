// A read-only page about one agent, opened from a desktop ping (served by server/routes/open.ts).
import { html, raw } from 'hono/html'
import { agentLabel, shortId } from '../core/agent-name.ts'
import { formatDuration } from '../core/duration.ts'
import type { RankedAgent } from '../core/ranking.ts'
import { waitSummary } from '../core/wait-summary.ts'

export interface AgentTimelineEntry {
  occurredAt: number
  name: string
  toolName: string | null
  subagentId: string | null
}

/** The page's HTML: the agent's state, what it waits for, how to answer, its latest events. */
export function agentPageHtml(view: RankedAgent, timeline: AgentTimelineEntry[], t: number) {
  const id = shortId(view.sessionId)
  const answer = view.wait?.kind === 'permission' ? `tend approve ${id}` : `tend reply ${id} "…"`
  return html`<!doctype html>
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
        <p>
          To answer from this browser, run <code>tend open</code> and open this link again: a signed-in browser goes on
          to the dashboard.
        </p>
        <h2>Timeline</h2>
        <table>
          ${raw(
            timeline
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
    </html>`
}
