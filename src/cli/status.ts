// tend status: the ranked table of agents (or --json for scripts).
import { defineCommand } from 'citty'
import type { RankedAgent } from '../core/ranking.ts'
import { formatDuration } from '../core/duration.ts'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'
import { oneLine, printJson, table } from './output.ts'

type Listed = RankedAgent & { label: string; shortId: string }

/** What the agent waits for, in a few words: the tool and command, the question, the error. */
export function waitingFor(agent: Listed): string {
  const detail = (agent.wait?.detail ?? {}) as { toolName?: string; toolInput?: Record<string, unknown>; message?: string; error?: string }
  switch (agent.wait?.kind) {
    case 'permission': {
      const input = detail.toolInput ?? {}
      const what = input['command'] ?? input['file_path'] ?? input['url'] ?? input['pattern'] ?? ''
      return oneLine(`${detail.toolName ?? 'a tool'} ${typeof what === 'string' ? what : ''}`, 48)
    }
    case 'question':
      return oneLine(detail.message ?? 'a question', 48)
    case 'error':
      return oneLine(`API error: ${detail.error ?? 'unknown'}`, 48)
    case 'done':
      return oneLine(detail.message ? `done: ${detail.message}` : 'done, next instruction', 48)
    default:
      return ''
  }
}

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
      const data = await call<{ now: number; agents: Listed[] }>(config, () =>
        client.v1.agents.$get({ query: args.all ? { all: '1' } : {} }),
      )
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
        waitingFor(a),
        a.why,
      ])
      process.stdout.write(`${table(['#', 'AGENT', 'STATE', 'WAITING', 'FOR', 'WHY'], rows)}\n`)
    })
  },
})
