// The pings log: every ping sent, failed, held back or cancelled, with its reason.
import { html } from 'hono/html'
import { shortId } from '../core/agent-name.ts'
import type { PingRow } from '../store/agent-history.ts'
import { agentHref } from './agent-href.ts'

export function pingsHtml(pings: PingRow[]) {
  if (pings.length === 0) return html`<p class="empty">No pings yet.</p>`
  return html`<table class="pings">
    <thead>
      <tr>
        <th>when</th>
        <th>agent</th>
        <th>channel</th>
        <th>outcome</th>
        <th class="wide">why / what</th>
      </tr>
    </thead>
    <tbody>
      ${pings.map(
        (p) =>
          html`<tr class="outcome-${p.outcome}">
            <td>
              <time class="at" data-at="${p.at}" datetime="${new Date(p.at).toISOString()}"
                >${new Date(p.at).toISOString().slice(11, 19)}</time
              >
            </td>
            <td><a href="${agentHref(p.sessionId)}">${shortId(p.sessionId)}</a></td>
            <td>${p.channel}${p.step > 0 ? html` · step ${p.step}` : ''}</td>
            <td>${p.outcome}</td>
            <td class="wide">${[p.reason, p.detail ?? p.title].filter(Boolean).join(': ')}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
}
