// Review batching on the queue page: the finished agents gathered for the next digest, and when it goes.
import { html } from 'hono/html'
import type { batchView } from '../service/batch-view.ts'
import { clock } from './queue.ts'
import { agentHref } from './agent-href.ts'

export type BatchView = ReturnType<typeof batchView>

const at = (t: number) => html`<time class="at" data-at="${t}">${new Date(t).toISOString().slice(11, 16)} UTC</time>`

export function batchHtml(b: BatchView, now: number) {
  if (!b.enabled) return html``
  const when = b.nextAt === null ? 'no digest planned' : html`the next digest goes at ${at(b.nextAt)}`
  if (b.waits.length === 0) return html`<p class="empty">Nothing gathered yet; ${when}.</p>`
  return html`<p>${b.waits.length} finished ${b.waits.length === 1 ? 'agent' : 'agents'} gathered: ${when}.</p>
    <ul class="batch">
      ${b.waits.map(
        (w) =>
          html`<li data-session="${w.sessionId}">
            <a href="${agentHref(w.sessionId)}">${w.label}</a> <span class="hint">${w.project}</span>
            ${clock(w.startedAt, now)}
          </li>`,
      )}
    </ul>`
}
