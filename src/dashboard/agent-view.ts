// One agent in the dashboard: what it waits for (answerable), its priority, and its timeline —
// events, waits, answers and pings, latest first, a page at a time; subagent events marked.
import { html } from 'hono/html'
import { clip, oneLine } from '../core/clip.ts'
import { formatDuration } from '../core/duration.ts'
import { endingPhrase } from '../core/wait-ending.ts'
import { toolTarget } from '../core/wait-summary.ts'
import type { EventRow, PingRow, ReplyRow, WaitRow } from '../store/agent-history.ts'
import { RULE_DECISION_EVENT } from '../store/rules.ts'
import type { FleetAgent } from './fleet.ts'
import { clock, prioritySelect, waitCard } from './queue.ts'
import { agentHref } from './agent-href.ts'

export interface TimelineEntry {
  at: number
  type: 'event' | 'wait' | 'answer' | 'ping'
  title: string
  text: string
  subagent: string | null
}

function eventText(e: EventRow): string {
  const p = e.payload as Record<string, unknown>
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '')
  switch (e.name) {
    case 'UserPromptSubmit':
      return str('prompt')
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PermissionRequest':
    case 'PostToolUseFailure':
      return toolTarget(p['tool_input'] as Record<string, unknown> | undefined)
    case 'Notification':
      return str('message')
    case 'Stop':
    case 'SubagentStop':
      return str('last_assistant_message')
    case 'StopFailure':
      return str('error')
    case RULE_DECISION_EVENT:
      return ruleDecisionText(p)
    default:
      return ''
  }
}

const DECIDED = { allow: 'allowed', deny: 'denied', ask: 'asked you to confirm' } as Record<string, string>

/** "allowed by rule #3 Bash(npm test:*): npm test -- --watch=false" */
export function ruleDecisionText(p: Record<string, unknown>): string {
  const verb = DECIDED[String(p['decision'])] ?? String(p['decision'])
  const subject = typeof p['subject'] === 'string' && p['subject'] ? `: ${p['subject']}` : ''
  return `${verb} by rule #${String(p['rule_id'])} ${String(p['rule'] ?? '')}${subject}`
}

/** Merges a page of events with the waits, answers and pings of the same span of time, latest first. */
export function timelineEntries(
  events: EventRow[],
  waits: WaitRow[],
  replies: ReplyRow[],
  pings: PingRow[],
  span: { from: number; to: number },
): TimelineEntry[] {
  const inSpan = (t: number) => t >= span.from && t <= span.to
  // Latest first; a stable sort keeps events of the same millisecond in their order.
  const entries: TimelineEntry[] = [...events].reverse().map((e) => ({
    at: e.occurredAt,
    type: 'event',
    title: [
      e.name === RULE_DECISION_EVENT ? 'Rule decision' : e.name,
      e.toolName,
      e.late ? '(late)' : '',
      e.replayed ? '(replayed)' : '',
    ]
      .filter(Boolean)
      .join(' '),
    text: oneLine(eventText(e), 300),
    subagent: e.subagentId,
  }))
  for (const w of waits) {
    if (inSpan(w.startedAt))
      entries.push({ at: w.startedAt, type: 'wait', title: `wait opened: ${w.kind}`, text: '', subagent: null })
    if (w.endedAt !== null && inSpan(w.endedAt))
      entries.push({
        at: w.endedAt,
        type: 'wait',
        title: `wait ended after ${formatDuration(w.endedAt - w.startedAt)}`,
        text: endingPhrase(w),
        subagent: null,
      })
  }
  for (const r of replies)
    entries.push({
      at: r.at,
      type: 'answer',
      title: `${r.action} via ${r.via}: ${r.outcome}${r.path ? ` (${r.path})` : ''}`,
      text: r.text ? oneLine(r.text, 300) : '',
      subagent: null,
    })
  for (const p of pings)
    entries.push({
      at: p.at,
      type: 'ping',
      title: `ping ${p.channel}: ${p.outcome}`,
      text: [p.reason, p.detail ?? p.title].filter(Boolean).join(': '),
      subagent: null,
    })
  return entries.sort((a, b) => b.at - a.at)
}

export function timelineHtml(entries: TimelineEntry[]) {
  if (entries.length === 0) return html`<p class="empty">No events.</p>`
  return html`<ol class="timeline">
    ${entries.map(
      (e) =>
        html`<li class="t-${e.type}${e.subagent ? ' subagent' : ''}">
          <time class="at" data-at="${e.at}" datetime="${new Date(e.at).toISOString()}"
            >${new Date(e.at).toISOString().slice(11, 19)}</time
          >
          <span class="title"
            >${e.subagent ? html`<span class="badge" title="subagent ${e.subagent}">subagent</span> ` : ''}${e.title}</span
          >
          ${e.text ? html`<span class="text">${e.text}</span>` : ''}
        </li>`,
    )}
  </ol>`
}

/** The live part of the agent view: its wait (or state) and its first page of timeline. */
export function agentLive(agent: FleetAgent, now: number) {
  return agent.wait && agent.rank !== null
    ? waitCard(agent, now, { link: false })
    : html`<p class="state-line">
        <span class="state">${agent.state}</span> for ${clock(agent.stateSince, now)} · ${agent.why}
      </p>`
}

export function agentMain(
  agent: FleetAgent,
  now: number,
  timeline: TimelineEntry[],
  paging: { older: string | null; isLatest: boolean; lastMessage: string | null },
) {
  return html`<section id="agent" data-agent="${agent.sessionId}" aria-labelledby="agent-h">
    <p><a href="/">← all agents</a></p>
    <h2 id="agent-h">${agent.label}</h2>
    <p class="meta"><code>${agent.cwd ?? '?'}</code> · ${agent.machine ?? 'this machine'} · ${prioritySelect(agent)}</p>
    <div id="agent-live" data-live>${agentLive(agent, now)}</div>
    ${
      paging.lastMessage
        ? html`<details>
            <summary>Its last message</summary>
            <pre>${clip(paging.lastMessage, 4000)}</pre>
          </details>`
        : ''
    }
    <h3>Timeline <small>latest first</small></h3>
    <div id="timeline" ${paging.isLatest ? 'data-live' : ''}>${timelineHtml(timeline)}</div>
    <nav class="pager">
      ${paging.isLatest ? '' : html`<a href="${agentHref(agent.sessionId)}">Latest</a>`}
      ${paging.older ? html`<a href="${agentHref(agent.sessionId, paging.older)}" rel="next">Older →</a>` : ''}
    </nav>
  </section>`
}
