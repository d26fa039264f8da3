// tend report [--week]: the week in attention — agent-hours worked and idle on you, the longest waits
// and why, N day by day, the agents and projects that cost you most, and the permission prompts that
// recur (each a rule away from agents working on), and what the permission rules decided instead of you.
import { defineCommand } from 'citty'
import { formatDuration } from '../core/duration.ts'
import { describeN } from '../core/economics.ts'
import { call, connect, type OkBody } from './client.ts'
import { guard } from './errors.ts'
import { intOption } from './options.ts'
import { printJson, table } from './output.ts'

type Client = ReturnType<typeof connect>['client']
export type ReportBody = OkBody<Awaited<ReturnType<Client['v1']['report']['$get']>>>

const day = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })
const money = (amount: number | null, currency: string) => (amount === null ? '' : ` (${currency}${amount.toFixed(2)})`)

export function renderReport(body: ReportBody): string[] {
  const r = body.report
  const out: string[] = []
  out.push(`tend report · ${day(r.from)} – ${day(r.to)} (${body.days} days)`, '')
  out.push(
    `Agent-hours: ${formatDuration(r.workedMs)} worked · ${formatDuration(r.idleMs)} idle, blocked on you${money(r.idleCost, r.currency)}`,
  )
  out.push(`Now: ${body.capacity.line}`, '')

  out.push('N by day (T_work / T_instruct):')
  for (const d of r.nByDay) out.push(`  ${day(d.from).padEnd(12)} ${describeN(d.n)}  (${d.instructions} instructions)`)
  out.push('')

  out.push('Longest waits:')
  if (r.longestWaits.length === 0) out.push('  none')
  else
    out.push(
      indent(
        table(
          ['WAITED', 'AGENT', 'KIND', 'WHY', 'ENDED'],
          r.longestWaits.map((w) => [
            formatDuration(w.durationMs),
            w.label,
            w.kind,
            w.why,
            w.open ? 'still waiting' : (w.endedBy ?? ''),
          ]),
        ),
      ),
    )
  out.push('')

  out.push('Costing you most attention (your time answering + agent-time idle on you):')
  for (const [name, rows] of [
    ['projects', r.projects],
    ['agents', r.agents],
  ] as const) {
    if (rows.length === 0) continue
    out.push(
      indent(
        table(
          [name.toUpperCase(), 'ANSWERS', 'YOUR TIME', 'IDLE'],
          rows.map((x) => [
            x.label,
            String(x.answers),
            formatDuration(x.attentionMs),
            `${formatDuration(x.idleMs)}${money(x.idleCost, r.currency)}`,
          ]),
        ),
      ),
    )
  }
  out.push('')

  out.push('Permission prompts that recur (a rule for each would raise T_work):')
  if (r.permissions.length === 0) out.push('  none')
  else
    out.push(
      indent(
        table(
          ['COUNT', 'PROMPT', 'WAITED', 'PROJECTS'],
          r.permissions.map((p) => [`${p.count}×`, p.key, formatDuration(p.waitMs), p.projects.join(', ')]),
        ),
      ),
    )
  out.push('', ...renderRuleEffects(body.rules))
  return out
}

/** What the rules decided instead of the person: by kind, interruptions avoided per day, T_work around each rule. */
export function renderRuleEffects(e: ReportBody['rules']): string[] {
  const out: string[] = []
  const k = e.byKind
  out.push(
    `Decided by rules: ${e.decisions} (${k.allow} allowed, ${k.deny} denied, ${k.ask} asked) · ${e.interruptionsAvoided} interruptions avoided`,
  )
  for (const d of e.days)
    out.push(`  ${day(d.day).padEnd(12)} ${d.interruptionsAvoided} avoided (${d.decisions} decisions)`)
  const ms = (v: number | null, n: number) => (v === null ? '–' : `${formatDuration(v)} (${n})`)
  if (e.rules.length)
    out.push(
      indent(
        table(
          ['#', 'RULE', 'DECISIONS', 'AVOIDED', 'T_WORK BEFORE', 'T_WORK AFTER'],
          e.rules.map((r) => [
            String(r.id),
            `${r.kind} ${r.rule}`,
            String(r.decisions),
            String(r.interruptionsAvoided),
            ms(r.tWorkBeforeMs, r.samplesBefore),
            ms(r.tWorkAfterMs, r.samplesAfter),
          ]),
        ),
      ),
    )
  return out
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')

export default defineCommand({
  meta: {
    name: 'report',
    description: 'The week in attention: worked vs idle, longest waits, N by day, what costs you',
  },
  args: {
    week: { type: 'boolean', description: 'The last 7 days, day by day (the default)' },
    days: { type: 'string', description: 'Another number of days (1–90)' },
    json: { type: 'boolean', description: 'Print JSON' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const days = args.week ? 7 : (intOption('--days', args.days, { min: 1, max: 90 }) ?? 7)
      const { client, config } = connect()
      const body = await call(config, () => client.v1.report.$get({ query: { days: String(days) } }))
      if (args.json) return printJson(body)
      process.stdout.write(`${renderReport(body).join('\n')}\n`)
    })
  },
})
