// tend stats: your attention economics — T_work, waiting, T_instruct, and N = T_work / T_instruct.
import { defineCommand } from 'citty'
import { formatDuration } from '../core/duration.ts'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'
import { intOption } from './options.ts'
import { printJson } from './output.ts'

const d = (ms: number | null) => (ms === null ? 'not known yet' : formatDuration(ms))

export default defineCommand({
  meta: {
    name: 'stats',
    description: 'How long agents work per instruction and wait for you, and how many you can keep busy',
  },
  args: {
    days: { type: 'string', description: 'Window in days (default 7)' },
    json: { type: 'boolean', description: 'Print JSON' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const days = intOption('--days', args.days, { max: 365 }) ?? 7
      const { client, config } = connect()
      const data = await call(config, () => client.v1.metrics.$get({ query: { days: String(days) } }))
      if (args.json) return printJson(data)
      const m = data.metrics
      const lines = [
        `last ${data.days} day${data.days === 1 ? '' : 's'}:`,
        `  T_work      ${d(m.tWorkMs)}  agents work this long per instruction (median of ${m.samples.instructions})`,
        `  waiting     ${d(m.tWaitMs)}  a wait lasts this long (median of ${m.samples.waits}); ${formatDuration(m.waitTotalMs)} in all`,
        `  T_instruct  ${d(m.tInstructMs)}  you take this long per instruction (median gap between your prompts, ${m.samples.promptGaps} gaps)`,
        `  N           ${m.n === null ? 'not known yet' : m.n}  agents you can keep busy (T_work / T_instruct)`,
      ]
      process.stdout.write(`${lines.join('\n')}\n`)
    })
  },
})
