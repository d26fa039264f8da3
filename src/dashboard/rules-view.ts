// The dashboard's Rules view: the permission rules (kind, rule, scope, reason, origin) with add and
// remove, a call tested against an agent or a directory, the suggestions learned from the person's
// approvals (Accept), and what the rules changed (interruptions avoided per day, T_work around each).
import { html } from 'hono/html'
import { formatDuration } from '../core/duration.ts'
import type { Rule } from '../core/rules/permission-rule.ts'
import type { Suggestion } from '../core/rules/suggest.ts'
import type { RuleEffects } from '../store/rules.ts'

const day = (t: number) => new Date(t).toISOString().slice(0, 10)
const ms = (v: number | null, n: number) => (v === null ? '–' : `${formatDuration(v)} (${n})`)

export function scopeText(r: Pick<Rule, 'scope' | 'target'>): string {
  if (r.scope === 'everywhere') return 'everywhere'
  if (r.scope === 'agent') return `agent ${r.target?.slice(0, 8) ?? ''}`
  return r.target ?? ''
}

export function rulesTable(rules: Rule[]) {
  if (rules.length === 0) return html`<p class="empty">No rules: every permission asks you.</p>`
  return html`<table class="rules">
    <thead>
      <tr>
        <th>#</th>
        <th>kind</th>
        <th class="wide">rule</th>
        <th>scope</th>
        <th class="wide">reason</th>
        <th>origin</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${rules.map(
        (r) =>
          html`<tr data-rule="${r.id}" class="rule-${r.kind}">
            <td>${r.id}</td>
            <td><b class="rule-kind">${r.kind}</b></td>
            <td class="wide"><code>${r.rule}</code></td>
            <td>${scopeText(r)}</td>
            <td class="wide">${r.reason ?? ''}</td>
            <td>${r.origin === 'suggestion' ? 'suggested' : 'you'}</td>
            <td><button type="button" data-remove-rule="${r.id}">Remove</button></td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

export function suggestionsHtml(suggestions: Suggestion[], includeRisky: boolean) {
  const toggle = html`<label class="toggle"
    ><input type="checkbox" id="risky-toggle" ${includeRisky ? 'checked' : ''} /> include risky</label
  >`
  if (suggestions.length === 0)
    return html`${toggle}
      <p class="empty">No suggestion: approve the same call a few times and tend offers a rule for it.</p>`
  return html`${toggle}
    <table class="suggestions">
      <thead>
        <tr>
          <th>#</th>
          <th class="wide">rule</th>
          <th>under</th>
          <th>approved</th>
          <th>risk</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${suggestions.map(
          (s, i) =>
            html`<tr data-suggestion="${i + 1}">
              <td>${i + 1}</td>
              <td class="wide"><code>${s.rule}</code></td>
              <td>${s.path}</td>
              <td>${s.approvals} of ${s.approvals + s.denials} over ${s.days} ${s.days === 1 ? 'day' : 'days'}</td>
              <td>${s.risk ?? ''}</td>
              <td>
                <button type="button" data-accept-rule="${s.rule}" data-accept-path="${s.path}">Accept</button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`
}

export function effectsHtml(e: RuleEffects) {
  const k = e.byKind
  return html`<p>
      ${e.decisions} automatic ${e.decisions === 1 ? 'decision' : 'decisions'} (${k.allow} allowed, ${k.deny} denied,
      ${k.ask} asked) · <b>${e.interruptionsAvoided}</b> interruptions avoided
    </p>
    ${
      e.days.length
        ? html`<table class="effects-days">
            <thead>
              <tr>
                <th>day</th>
                <th>interruptions avoided</th>
                <th>decisions</th>
              </tr>
            </thead>
            <tbody>
              ${e.days.map(
                (d) =>
                  html`<tr>
                    <td>${day(d.day)}</td>
                    <td>${d.interruptionsAvoided}</td>
                    <td>${d.decisions}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }
    ${
      e.rules.length
        ? html`<table class="effects-rules">
            <thead>
              <tr>
                <th>#</th>
                <th class="wide">rule</th>
                <th>decisions</th>
                <th>avoided</th>
                <th>T<sub>work</sub> before</th>
                <th>T<sub>work</sub> after</th>
              </tr>
            </thead>
            <tbody>
              ${e.rules.map(
                (r) =>
                  html`<tr>
                    <td>${r.id}</td>
                    <td class="wide"><code>${r.kind} ${r.rule}</code></td>
                    <td>${r.decisions}</td>
                    <td>${r.interruptionsAvoided}</td>
                    <td>${ms(r.tWorkBeforeMs, r.samplesBefore)}</td>
                    <td>${ms(r.tWorkAfterMs, r.samplesAfter)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }`
}

export interface RulesPageData {
  rules: Rule[]
  suggestions: Suggestion[]
  includeRisky: boolean
  effects: RuleEffects
}

/** The parts an add, a remove or an accept replaces. */
export function rulesBody(d: RulesPageData) {
  return html`<section id="rules" aria-labelledby="rules-h">
      <h2 id="rules-h">Rules <span class="hint">deny wins over ask, ask over allow</span></h2>
      ${rulesTable(d.rules)}
    </section>
    <section id="suggestions" aria-labelledby="suggestions-h">
      <h2 id="suggestions-h">Suggested from your approvals</h2>
      ${suggestionsHtml(d.suggestions, d.includeRisky)}
    </section>
    <section id="effects" aria-labelledby="effects-h">
      <h2 id="effects-h">What the rules changed, last 7 days</h2>
      ${effectsHtml(d.effects)}
    </section>`
}

export function rulesMain(d: RulesPageData) {
  return html`<section id="rule-forms" aria-labelledby="add-h">
      <h2 id="add-h">Add a rule</h2>
      <form id="rule-add" class="rule-form">
        <label
          >kind
          <select name="kind">
            <option value="allow">allow</option>
            <option value="ask">ask</option>
            <option value="deny">deny</option>
          </select></label
        >
        <label class="grow">rule <input name="rule" placeholder="Bash(npm test:*)" required /></label>
        <label class="grow"
          >applies to <input name="scope" placeholder="an agent, or a path glob like ~/work/api/**; empty: everywhere"
        /></label>
        <label class="grow">reason (deny) <input name="reason" placeholder="what the agent is told" /></label>
        <button type="submit">Add</button>
      </form>
      <h2 id="test-h">Test a call</h2>
      <form id="rule-test" class="rule-form">
        <label class="grow">call <input name="call" placeholder="Bash(npm test && rm -rf /)" required /></label>
        <label class="grow"
          >agent or directory <input name="target" placeholder="api·1a2b3c4d or /home/me/work/api" required
        /></label>
        <button type="submit">Test</button>
      </form>
      <output id="rule-test-result" aria-live="polite"></output>
    </section>
    <div id="rules-body">${rulesBody(d)}</div>`
}

/** What a test answers, in words: "deny — rule #2 deny Bash(rm -rf:*) (everywhere): Denied by …". */
export function testResultText(r: {
  decision: string | null
  rule: Rule | null
  subject: string | null
  message: string | null
}): string {
  if (!r.decision || !r.rule) return 'no rule applies: Claude Code asks you as usual'
  const subject = r.subject ? ` on ${r.subject}` : ''
  return `${r.decision} — rule #${r.rule.id} ${r.rule.kind} ${r.rule.rule} (${scopeText(r.rule)})${subject}`
}
