// tend demo: a simulated fleet in a throwaway TEND_HOME, posted through the receiver's real hook
// endpoint as tend-hook posts it, answerable from the dashboard, the CLI or anywhere. Ctrl-C stops
// the receiver and removes the directory.
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineCommand } from 'citty'
import { loadConfig, type Config } from '../config.ts'
import { createLogger } from '../log.ts'
import { startServer, type RunningServer } from '../server/serve.ts'
import { readToken } from '../token.ts'
import { call, connect } from './client.ts'
import { DemoAgent, type DemoContext } from './demo-agent.ts'
import { FLEET } from './demo-fleet.ts'
import { guard } from './errors.ts'
import { openLoginLink, opener } from './open.ts'
import { portOption } from './options.ts'

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The demo's receiver never pings anyone, and holds what it holds for the whole demo. */
const DEMO_CONFIG = {
  holds: { permissionWindowSec: 86_000, stopWindowSec: 86_000, autoAwayAfterSec: 0, stopBlockCap: 0 },
  notify: { desktop: { enabled: false }, slack: { enabled: false } },
}

/** A one-time login link to the dashboard (as `tend open` makes), opened where there is a display. */
async function openDashboard(config: Config): Promise<{ url: string; opened: boolean } | null> {
  try {
    const { client } = connect(config)
    const link = await call(config, () => client.v1.browser['login-links'].$post())
    const command = opener()
    const opened = command ? await openLoginLink(command, link.url, config.paths.configDir) : false
    return { url: link.url, opened }
  } catch {
    return null
  }
}

function banner(
  server: RunningServer,
  dir: string,
  agents: DemoAgent[],
  login: { url: string; opened: boolean } | null,
): string {
  const cli = `TEND_HOME=${dir} TEND_PORT=${server.port} tend`
  const lines = [
    `tend demo: ${agents.length} simulated agents, a receiver on ${server.url}`,
    `  data:      ${dir} (removed when the demo stops)`,
    login?.opened
      ? `  dashboard: ${server.url}/ (opened in your browser)`
      : login
        ? `  dashboard: ${login.url} (a one-time login link)`
        : `  dashboard: ${server.url}/ (sign in with: ${cli} open)`,
    '',
    'Answer them from the dashboard, or from another terminal:',
    `  ${cli} status --watch`,
    `  ${cli} approve billing-api`,
    `  ${cli} reply next "bottom sheet, please"`,
    `  ${cli} deny platform-infra "not before the freeze ends"`,
    '',
    'An answered agent works a few seconds and stops again. The demo runs as if you were away',
    '(`tend away`), so a finished agent without the mod holds its Stop for your reply.',
    'Ctrl-C stops it and leaves nothing behind.',
  ]
  return `${lines.join('\n')}\n`
}

export default defineCommand({
  meta: { name: 'demo', description: 'A simulated fleet to try tend on: answer it from the dashboard or the CLI' },
  args: {
    open: { type: 'boolean', default: true, description: 'Open the dashboard in a browser (--no-open: only print it)' },
    port: { type: 'string', description: 'Port for the demo receiver (default: a free one)' },
    verbose: { type: 'boolean', description: "Show the receiver's log and stack traces" },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const port = portOption('--port', args.port) ?? (await freePort())
      const dir = mkdtempSync(join(tmpdir(), 'tend-demo-'))
      // Whatever happens from here, the directory goes with the process.
      const removeDir = () => rmSync(dir, { recursive: true, force: true })
      process.once('exit', removeDir)
      const abort = new AbortController()
      let server: RunningServer | undefined
      let agents: DemoAgent[] = []
      let stopping = false
      // Ctrl-C at any point, even while the fleet is still being set up, leaves nothing behind.
      const stop = async (signal: string) => {
        // A second Ctrl-C while closing hangs: go now (the exit handler still removes the directory).
        if (stopping) process.exit(130)
        stopping = true
        abort.abort()
        await Promise.allSettled(agents.map((a) => a.stopped()))
        await server?.close()
        removeDir()
        process.stdout.write(`\ntend demo: stopped (${signal}); ${dir} removed\n`)
        process.exit(0)
      }
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal))

      writeFileSync(join(dir, 'config.json'), `${JSON.stringify(DEMO_CONFIG, null, 2)}\n`)
      // Only what the demo chooses: never the person's TEND_URL, token, or Slack tokens.
      const env = { HOME: process.env['HOME'] ?? dir, TEND_HOME: dir, TEND_PORT: String(port), TEND_HOST: '127.0.0.1' }
      const config = loadConfig(env)
      const logFile = join(dir, 'serve.log')
      const log = createLogger({
        write: (line) => (args.verbose ? process.stderr.write(`${line}\n`) : appendFileSync(logFile, `${line}\n`)),
      })
      server = await startServer(config, { log, channels: () => [] })
      const token = readToken(config)!
      const ctx: DemoContext = {
        url: server.url,
        token,
        machine: hostname(),
        home: env.HOME,
        signal: abort.signal,
        log: (line) => log.info(line),
      }
      try {
        // Away, so Stops without the mod are held for a reply (as `tend away` does).
        await fetch(`${server.url}/v1/presence`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ away: true }),
          signal: abort.signal,
        })
        agents = FLEET.map((spec) => new DemoAgent(spec, ctx))
        await Promise.all(agents.map((a) => a.open()))
      } catch (err) {
        if (abort.signal.aborted) return // stopping: stop() ends the process
        throw err
      }

      const login = args.open ? await openDashboard(config) : null
      process.stdout.write(banner(server, dir, agents, login))
      for (const agent of agents) agent.run()
    })
  },
})
