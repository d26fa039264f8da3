// tend serve: runs the receiver in the foreground until SIGINT/SIGTERM/SIGHUP.
import { defineCommand } from 'citty'
import { loadConfig } from '../config.ts'
import { createLogger } from '../log.ts'
import { startServer } from '../server/serve.ts'
import { guard } from './errors.ts'
import { portOption } from './options.ts'

export default defineCommand({
  meta: { name: 'serve', description: 'Run the receiver (hooks post here; status, replies and pings go through it)' },
  args: {
    port: { type: 'string', description: 'Port to listen on (default: TEND_PORT or 4761)' },
    quiet: { type: 'boolean', description: 'Log warnings and errors only' },
    verbose: { type: 'boolean', description: 'Show stack traces' },
  },
  async run({ args }) {
    await guard(Boolean(args.verbose), async () => {
      const port = portOption('--port', args.port)
      const config = loadConfig()
      const log = createLogger({ quiet: Boolean(args.quiet) })
      const server = await startServer(config, { log, port })
      const stop = (signal: string) => {
        log.info('stopping', { signal })
        void server.close().then(() => process.exit(0))
      }
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop(signal))
      process.stdout.write(`tend: listening on ${server.url}\n`)
    })
  },
})
