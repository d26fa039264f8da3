// The weekly report as a page (the same numbers as tend report and GET /v1/report): agent-hours worked
// and idle, the longest waits and why, N by day, what costs most attention, the permission prompts
// that recur, and beside them what the rules decided instead of the person.
import { html } from 'hono/html'
import { formatDuration } from '../core/duration.ts'
import { describeN } from '../core/economics.ts'
import type { CostRow, Report } from '../core/report.ts'
import { KIND_TEXT } from '../core/wait-summary.ts'
import type { RuleEffects } from '../store/rules.ts'
import { effectsHtml } from './rules-view.ts'
import { agentHref } from './agent-href.ts'

const day = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })
const money = (amount: number | null, currency: string) => (amount === null ? '' : ` (${currency}${amount.toFixed(2)})`)

function costTable(name: string, rows: CostRow[], currency: string) {
  if (rows.length === 0) return ''
  return html`<table class="costs">
    <thead>
      <tr>
        <th class="wide">${name}</th>
        <th>answers</th>
        <th>your time</th>
        <th>idle on you</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <td class="wide">${r.label}</td>
            <td>${r.answers}</td>
            <td>${formatDuration(r.attentionMs)}</td>
            <td>${formatDuration(r.idleMs)}${money(r.idleCost, currency)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

export function reportMain(r: Report, days: number, capacityLine: string, effects: RuleEffects) {
  return html`<section id="report" aria-labelledby="report-h">
      <h2 id="report-h">Report · ${day(r.from)} – ${day(r.to)} (${days} ${days === 1 ? 'day' : 'days'})</h2>
      <dl class="figures">
        <div>
          <dt>agent-hours worked</dt>
          <dd id="report-worked">${formatDuration(r.workedMs)}</dd>
        </div>
        <div>
          <dt>idle, blocked on you</dt>
          <dd id="report-idle">${formatDuration(r.idleMs)}${money(r.idleCost, r.currency)}</dd>
        </div>
      </dl>
      <p class="capacity">Now: ${capacityLine}</p>
      <h3>N by day (T<sub>work</sub> / T<sub>instruct</sub>)</h3>
      <table class="n-by-day">
        <thead>
          <tr>
            <th>day</th>
            <th>N</th>
            <th>instructions</th>
          </tr>
        </thead>
        <tbody>
          ${r.nByDay.map(
            (d) =>
              html`<tr>
                <td>${day(d.from)}</td>
                <td>${describeN(d.n)}</td>
                <td>${d.instructions}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h3>Longest waits</h3>
      ${
        r.longestWaits.length === 0
          ? html`<p class="empty">None.</p>`
          : html`<table class="longest">
              <thead>
                <tr>
                  <th>waited</th>
                  <th>agent</th>
                  <th>kind</th>
                  <th class="wide">why</th>
                  <th>ended</th>
                </tr>
              </thead>
              <tbody>
                ${r.longestWaits.map(
                  (w) =>
                    html`<tr>
                      <td>${formatDuration(w.durationMs)}</td>
                      <td><a href="${agentHref(w.sessionId)}">${w.label}</a></td>
                      <td>${KIND_TEXT[w.kind]}</td>
                      <td class="wide">${w.why}</td>
                      <td>${w.open ? 'still waiting' : (w.endedBy ?? '')}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <h3>Costing you most attention</h3>
      ${
        r.projects.length + r.agents.length === 0
          ? html`<p class="empty">Nothing yet.</p>`
          : html`${costTable('project', r.projects, r.currency)} ${costTable('agent', r.agents, r.currency)}`
      }
      <h3>Permission prompts that recur</h3>
      ${
        r.permissions.length === 0
          ? html`<p class="empty">None: no prompt came back.</p>`
          : html`<table class="recurring">
                <thead>
                  <tr>
                    <th>count</th>
                    <th class="wide">prompt</th>
                    <th>waited</th>
                    <th>projects</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.permissions.map(
                    (p) =>
                      html`<tr>
                        <td>${p.count}×</td>
                        <td class="wide"><code>${p.key}</code></td>
                        <td>${formatDuration(p.waitMs)}</td>
                        <td>${p.projects.join(', ')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <p class="hint">A rule for each would let agents work on: <a href="/ui/rules">Rules</a>.</p>`
      }
    </section>
    <section id="report-rules" aria-labelledby="report-rules-h">
      <h2 id="report-rules-h">Decided by rules instead of you</h2>
      ${effectsHtml(effects)}
    </section>`
}
