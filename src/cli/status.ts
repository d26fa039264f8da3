// tend status: the ranked table of agents (or --json for scripts).
import { defineCommand } from 'citty'
import { formatDuration } from '../core/duration.ts'
import { waitSummary } from '../core/wait-summary.ts'
import { REPLY_PATH_TEXT } from '../core/reply-path.ts'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'
import { printJson, table } from './output.ts'

export default defineCommand({
  meta: { name: 'status', description: 'List agents, the most-blocked first, with why' },
  args: {
    json: { type: 'boolean', description: 'Print JSON for scripts' },
    all: { type: 'boolean', description: 'Include ended agents' },
    verbose: { type: 'boolean', description: 'Show stack traces' },
  },
  async run({ args }) {
    await guard(Boolean(args.verbose), async () => {
      const { client, config } = connect()
      const data = await call(config, () => client.v1.agents.$get({ query: args.all ? { all: '1' } : {} }))
      if (args.json) return printJson(data)
      if (data.agents.length === 0) {
        process.stdout.write('No agents yet. Start Claude Code in a project (tend install adds the hooks).\n')
        return
      }
      const rows = data.agents.map((a) => [
        a.rank ? String(a.rank) : '-',
        a.label,
        a.state,
        a.waitingMs !== null ? formatDuration(a.waitingMs) : '',
        a.wait ? waitSummary(a.wait, 48) : '',
        // How a reply would reach it: as the person's own prompt (tend's mod) or as hook feedback.
        a.state === 'ended' ? '' : REPLY_PATH_TEXT[a.replyPath],
        a.why,
      ])
      process.stdout.write(`${table(['#', 'AGENT', 'STATE', 'WAITING', 'FOR', 'REPLIES', 'WHY'], rows)}\n`)
    })
  },
})
