// tend mcp: tend as a stdio MCP server (needs_me, agent, stats; reply/approve/deny with --allow-answers).
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { defineCommand } from 'citty'
import { loadConfig } from '../config.ts'
import { receiverApi } from '../mcp/receiver.ts'
import { createTendMcpServer } from '../mcp/server.ts'
import { guard } from './errors.ts'
import { packageFile } from '../package-files.ts'

const VERSION = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version

export default defineCommand({
  meta: {
    name: 'mcp',
    description:
      'Serve tend over MCP on stdin/stdout for Claude Code or any MCP client: which agent needs you, its context, your stats',
  },
  args: {
    'allow-answers': {
      type: 'boolean',
      description:
        'Also offer reply / approve / deny: any client of this server may then answer agents with your authority',
    },
    verbose: { type: 'boolean', description: 'Show stack traces' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      // stdout is the protocol's: everything for a person goes to stderr.
      const config = loadConfig()
      const allowAnswers = Boolean(args['allow-answers'])
      const server = createTendMcpServer({
        api: receiverApi(config),
        allowAnswers,
        user: userInfo().username,
        version: VERSION,
      })
      await server.connect(new StdioServerTransport())
      process.stderr.write(
        `tend mcp: serving on stdio for the receiver at ${config.url}; answers ${allowAnswers ? 'on' : 'off'}\n`,
      )
    })
  },
})
