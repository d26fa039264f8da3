// The dashboard's front page: the queue, the other agents, attention economics, pings, sessions.
import { html } from 'hono/html'
import { formatDuration } from '../core/duration.ts'
import type { Measures } from '../core/metrics.ts'
import type { BrowserSessionInfo } from '../service/browser-auth.ts'
import { batchHtml, type BatchView } from './batch-list.ts'
import type { Fleet } from './fleet.ts'
import { pingsHtml } from './pings-log.ts'
import { othersHtml, queueHtml } from './queue.ts'
import { sessionsHtml } from './sessions-list.ts'

/** The parts the live stream replaces, by element id. */
export function fleetFragments(fleet: Fleet) {
  const waiting = fleet.agents.filter((a) => a.rank !== null).length
  return {
    'queue-list': queueHtml(fleet.agents, fleet.now),
    'others-list': othersHtml(fleet.agents, fleet.now),
    'pings-list': pingsHtml(fleet.pings),
    'queue-count': html`${waiting}`,
    presence: html`${fleet.away ? 'away' : 'present'}`,
  }
}

const ms = (v: number | null) => (v === null ? '–' : formatDuration(v))

function metricsSummary(m: Measures, capacityLine: string) {
  return html`<p class="capacity">${capacityLine}</p>
    <dl class="figures">
      <div>
        <dt>T<sub>work</sub></dt>
        <dd>${ms(m.tWork.median)}</dd>
      </div>
      <div>
        <dt>T<sub>instruct</sub></dt>
        <dd>${ms(m.tInstruct.median)}</dd>
      </div>
      <div>
        <dt>N = T<sub>work</sub>/T<sub>instruct</sub></dt>
        <dd>${m.n ? Math.round(m.n.value * 10) / 10 : '–'}</dd>
      </div>
      <div>
        <dt>median wait</dt>
        <dd>${ms(m.wait.median)}</dd>
      </div>
      <div>
        <dt>agents idle on you</dt>
        <dd>${formatDuration(m.idleMs)}</dd>
      </div>
    </dl>`
}

export function homeMain(
  fleet: Fleet,
  week: Measures,
  capacityLine: string,
  sessions: BrowserSessionInfo[],
  sessionId: string,
  batch?: BatchView,
) {
  const f = fleetFragments(fleet)
  return html`<section id="queue" aria-labelledby="queue-h">
      <h2 id="queue-h">Waiting for you <span id="queue-count" class="count" data-live>${f['queue-count']}</span></h2>
      <div id="queue-list" data-live>${f['queue-list']}</div>
      ${
        batch?.enabled
          ? html`<h2 id="batch-h">Review batch</h2>
              <div id="batch-list" data-live>${batchHtml(batch, fleet.now)}</div>`
          : ''
      }
    </section>
    <section id="others" aria-labelledby="others-h">
      <h2 id="others-h">Working, idle, stale</h2>
      <div id="others-list" data-live>${f['others-list']}</div>
    </section>
    <section id="attention" aria-labelledby="attention-h">
      <h2 id="attention-h">Attention, last 7 days</h2>
      ${metricsSummary(week, capacityLine)}
      <div id="charts" class="charts" data-days="7">
        <figure>
          <figcaption>Idle agent-minutes (blocked on you) and median wait, per day</figcaption>
          <div data-chart="idle"></div>
        </figure>
        <figure>
          <figcaption>Measured N against agents active, per day</figcaption>
          <div data-chart="n"></div>
        </figure>
        <figure>
          <figcaption>T<sub>work</sub> per day: median and quartiles (min)</figcaption>
          <div data-chart="tWork"></div>
        </figure>
        <figure>
          <figcaption>T<sub>instruct</sub> per day: median and quartiles (min)</figcaption>
          <div data-chart="tInstruct"></div>
        </figure>
      </div>
    </section>
    <section id="pings" aria-labelledby="pings-h">
      <h2 id="pings-h">Pings</h2>
      <div id="pings-list" data-live>${f['pings-list']}</div>
    </section>
    <section id="sessions" aria-labelledby="sessions-h">
      <h2 id="sessions-h">Signed-in browsers</h2>
      <div id="sessions-list">${sessionsHtml(sessions, sessionId)}</div>
    </section>`
}
