// The ranked queue (every blocked agent, with what it asks and how to answer it) and the agents
// nobody waits on; rendered whole on every change and swapped in by the page's script.
import { html } from 'hono/html'
import { formatDuration } from '../core/duration.ts'
import { clip } from '../core/clip.ts'
import { KIND_TEXT, toolTarget } from '../core/wait-summary.ts'
import type { FleetAgent } from './fleet.ts'
import { agentHref } from './agent-href.ts'

const PRIORITIES = [1, 2, 3, 4, 5]

/** A clock the page's script keeps ticking from `data-since`. */
export const clock = (since: number, now: number) =>
  html`<time class="clock" data-since="${since}" datetime="${new Date(since).toISOString()}"
    >${formatDuration(now - since)}</time
  >`

export function prioritySelect(a: Pick<FleetAgent, 'sessionId' | 'priority' | 'label'>, opts: { bare?: boolean } = {}) {
  const select = html`<select data-priority-target="${a.sessionId}" aria-label="priority of ${a.label}">
    ${PRIORITIES.map((p) => html`<option value="${p}" ${(a.priority ?? 3) === p ? 'selected' : ''}>${p}</option>`)}
  </select>`
  return opts.bare ? select : html`<label class="prio">priority ${select}</label>`
}

/** What the agent asks: the question, or the tool and its command, or the error. */
export function asks(a: FleetAgent) {
  const w = a.wait!
  const d = w.detail as { toolName?: string; toolInput?: Record<string, unknown>; message?: string; error?: string }
  switch (w.kind) {
    case 'permission':
      return html`<div class="asks">
        <b class="tool">${d.toolName ?? 'a tool'}</b>
        <pre>${clip(toolTarget(d.toolInput) || JSON.stringify(d.toolInput ?? {}), 2000)}</pre>
      </div>`
    case 'question':
      return html`<div class="asks"><p>${clip(d.message || 'a question', 2000)}</p></div>`
    case 'error':
      return html`<div class="asks"><p>API error: ${d.error ?? 'unknown'}</p></div>`
    case 'done':
      return html`<div class="asks">
        <p>${d.message ? clip(d.message, 2000) : 'done, waiting for the next instruction'}</p>
      </div>`
  }
}

function answerForm(a: FleetAgent) {
  const w = a.wait!
  if (w.kind === 'permission') {
    return html`<div class="answer">
      <button type="button" class="approve" data-action="approve" data-wait="${w.id}">Approve</button>
      <button type="button" class="deny" data-action="deny" data-wait="${w.id}">Deny</button>
      ${a.held ? '' : html`<span class="hint">not held: answer it in the terminal</span>`}
    </div>`
  }
  return html`<form class="answer reply" data-wait="${w.id}">
    <textarea
      name="text"
      rows="2"
      data-draft="${w.id}"
      placeholder="Reply to ${a.label}…"
      aria-label="reply to ${a.label}"
    ></textarea>
    <button type="submit" data-action="reply" data-wait="${w.id}">Send</button>
  </form>`
}

export function waitCard(a: FleetAgent, now: number, opts: { link?: boolean } = {}) {
  const w = a.wait!
  const name = opts.link === false ? a.label : html`<a href="${agentHref(a.sessionId)}">${a.label}</a>`
  return html`<article
    class="card kind-${w.kind}"
    data-session="${a.sessionId}"
    data-wait="${w.id}"
    data-kind="${w.kind}"
  >
    <header>
      <span class="rank">#${a.rank}</span>
      <h3>${name}</h3>
      <span class="kind">${KIND_TEXT[w.kind]}</span>
      ${clock(w.startedAt, now)}
    </header>
    ${asks(a)}
    <p class="why">${a.why}</p>
    <div class="meta">
      ${opts.link === false ? '' : prioritySelect(a)}
      <span title="machine">${a.machine ?? 'this machine'}</span>
      <span title="how a reply reaches it"
        >${a.replyPath === 'mod' ? 'reply as a prompt (mod)' : a.held ? 'hook held' : 'hook not held'}</span
      >
    </div>
    ${answerForm(a)}
  </article>`
}

export function queueHtml(agents: FleetAgent[], now: number) {
  const blocked = agents.filter((a) => a.rank !== null && a.wait)
  if (blocked.length === 0) return html`<p class="empty">Nobody is waiting for you.</p>`
  return html`${blocked.map((a) => waitCard(a, now))}`
}

export function othersHtml(agents: FleetAgent[], now: number) {
  const rest = agents.filter((a) => a.rank === null)
  if (rest.length === 0) return html`<p class="empty">No other agents.</p>`
  return html`<table class="others">
    <thead>
      <tr>
        <th>agent</th>
        <th>state</th>
        <th>since</th>
        <th class="wide">why</th>
        <th>machine</th>
        <th>priority</th>
      </tr>
    </thead>
    <tbody>
      ${rest.map(
        (a) =>
          html`<tr class="state-${a.state}" data-session="${a.sessionId}">
            <td><a href="${agentHref(a.sessionId)}">${a.label}</a></td>
            <td><span class="state">${a.state}</span></td>
            <td>${clock(a.stateSince, now)}</td>
            <td class="wide">${a.why}</td>
            <td>${a.machine ?? ''}</td>
            <td>${prioritySelect(a, { bare: true })}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
}
