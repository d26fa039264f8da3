// The signed-in browsers, each revocable (this one is marked; logging out revokes it).
import { html } from 'hono/html'
import type { BrowserSessionInfo } from '../service/browser-auth.ts'

const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ')

export function sessionsHtml(sessions: BrowserSessionInfo[], currentId: string) {
  return html`<table class="sessions">
    <thead>
      <tr>
        <th>session</th>
        <th>signed in</th>
        <th>last seen</th>
        <th class="wide">browser</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${sessions.map(
        (s) =>
          html`<tr data-browser-session="${s.id}">
            <td><code>${s.id}</code>${s.id === currentId ? html` <b>(this one)</b>` : ''}</td>
            <td>${day(s.createdAt)} UTC</td>
            <td>${day(s.lastSeenAt)} UTC</td>
            <td class="wide">${s.userAgent ?? ''}</td>
            <td><button type="button" data-revoke="${s.id}">Revoke</button></td>
          </tr>`,
      )}
    </tbody>
  </table>`
}
