// tend pings: what was pinged, held back, or cancelled, and why (newest first).
import { defineCommand } from 'citty'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'
import { intOption } from './options.ts'
import { printJson, table } from './output.ts'
import { oneLine } from '../core/clip.ts'

export default defineCommand({
  meta: { name: 'pings', description: 'Show the pings sent and held back, with their reasons' },
  args: {
    limit: { type: 'string', description: 'How many (default 30)' },
    json: { type: 'boolean', description: 'Print JSON' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const limit = intOption('--limit', args.limit, { max: 1000 }) ?? 30
      const { client, config } = connect()
      const data = await call(config, () => client.v1.pings.$get({ query: { limit: String(limit) } }))
      if (args.json) return printJson(data)
      if (data.pings.length === 0) return void process.stdout.write('No pings yet.\n')
      const rows = data.pings.map((p) => [
        new Date(p.at).toLocaleTimeString(),
        p.channel,
        p.step >= 0 ? String(p.step) : '',
        p.outcome,
        p.waitId,
        oneLine(p.outcome === 'sent' ? (p.title ?? '') : `${p.reason ?? ''}: ${p.detail ?? ''}`, 70),
      ])
      process.stdout.write(`${table(['TIME', 'CHANNEL', 'STEP', 'OUTCOME', 'WAIT', 'WHAT / WHY'], rows)}\n`)
    })
  },
})
