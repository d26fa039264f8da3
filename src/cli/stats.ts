// tend stats: your attention economics over a window — T_work, T_instruct, waits, idle agent-time and
// its cost, N = T_work / T_instruct with its interval, and the practical limit; --by project|agent.
import { defineCommand } from 'citty'
import { formatDuration } from '../core/duration.ts'
import { describeN, formatN } from '../core/economics.ts'
import { MIN_SAMPLES, type Measure } from '../core/spread.ts'
import { call, connect, type OkBody } from './client.ts'
import { guard } from './errors.ts'
import { intOption, UsageError } from './options.ts'
import { printJson, table } from './output.ts'

type Client = ReturnType<typeof connect>['client']
export type MetricsBody = OkBody<Awaited<ReturnType<Client['v1']['metrics']['$get']>>>

/** "12m00s (9m10s–15m00s, 23)" or "not enough data (3 of 5)". */
export function describeMeasure(m: Measure): string {
  if (m.median === null || !m.iqr) return `not enough data (${m.samples} of ${MIN_SAMPLES})`
  return `${formatDuration(m.median)} (IQR ${formatDuration(m.iqr[0])}–${formatDuration(m.iqr[1])}, n=${m.samples})`
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const money = (amount: number | null, currency: string) => (amount === null ? '' : `${currency}${amount.toFixed(2)}`)

export function renderStats(data: MetricsBody): string[] {
  const f = data.fleet
  const c = data.capacity
  const cost = money(data.idleCost, data.currency)
  return [
    `last ${plural(data.days, 'day')} · ${plural(data.agents.length, 'agent')} · ${plural(data.projects.length, 'project')}`,
    `  T_work      ${describeMeasure(f.tWork)}`,
    `              agents work this long per instruction, permission waits excluded`,
    `  T_instruct  ${describeMeasure(f.tInstruct)}`,
    `              you take this long per instruction, from when you could first answer` +
      (f.instructAfterBreak ? ` (+${f.instructAfterBreak} after a break, not counted)` : ''),
    `  permission  ${describeMeasure(f.tPermission)}  per permission prompt`,
    `  wait        ${describeMeasure(f.wait)}  an agent waits this long for you`,
    `  idle        ${formatDuration(f.idleMs)} of agent-time blocked on you` +
      (cost ? ` (${cost} at ${data.currency}${data.pricePerAgentHour}/agent-hour)` : ''),
    `  worked      ${formatDuration(f.workedMs)} of agent-time working`,
    `  N           ${describeN(f.n)}  agents you can keep busy (T_work / T_instruct)`,
    `  limit       ${formatN(c.capacity.limit)} (${c.capacity.limitedBy === 'measured' ? 'your measured N' : `your ceiling of ${formatN(c.capacity.ceiling)}`}) · ${c.live} live` +
      (c.warning ? ' · over the limit: agents will queue on you' : ''),
  ]
}

export function renderBy(data: MetricsBody, by: 'project' | 'agent'): string {
  const rows = (by === 'project' ? data.projects : data.agents).map((g) => [
    g.label,
    g.tWork.median === null ? '-' : formatDuration(g.tWork.median),
    g.tInstruct.median === null ? '-' : formatDuration(g.tInstruct.median),
    describeN(g.n),
    formatDuration(g.idleMs),
    String(g.answers),
  ])
  return table([by.toUpperCase(), 'T_WORK', 'T_INSTRUCT', 'N', 'IDLE', 'ANSWERS'], rows)
}

export default defineCommand({
  meta: {
    name: 'stats',
    description: 'How long agents work per instruction and wait for you, and how many you can keep busy',
  },
  args: {
    days: { type: 'string', description: 'Window in days (default 7)' },
    by: { type: 'string', description: 'One row per project or per agent: --by project|agent' },
    json: { type: 'boolean', description: 'Print JSON' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const days = intOption('--days', args.days, { max: 365 }) ?? 7
      if (args.by !== undefined && args.by !== 'project' && args.by !== 'agent') {
        throw new UsageError(`--by: expected project or agent (got '${String(args.by)}')`)
      }
      const { client, config } = connect()
      const data = await call(config, () => client.v1.metrics.$get({ query: { days: String(days) } }))
      if (args.json) return printJson(data)
      const lines = args.by ? [renderBy(data, args.by)] : renderStats(data)
      process.stdout.write(`${lines.join('\n')}\n`)
    })
  },
})
