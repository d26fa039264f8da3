// Builds a real app on a temp-file SQLite database, migrated by the real migrate().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type Config } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { createApp } from '../../src/server/app.ts'
import { startServer, type RunningServer, type StartOptions } from '../../src/server/serve.ts'
import { createServices, type Services } from '../../src/service/services.ts'
import { openStore } from '../../src/store/db.ts'
import { freePort } from './hook.ts'

export const TEST_TOKEN = 'test-token-0123456789abcdef'

export function tempHome(prefix = 'tend-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * The real receiver (startServer) on a free port with its data in `home`, configured by `configFile`;
 * `env` is what the CLI and the hook are given to reach it.
 */
export async function startTestReceiver(
  home: string,
  opts: { configFile?: object } & Partial<StartOptions> = {},
): Promise<{ env: Record<string, string>; server: RunningServer }> {
  const { configFile, ...start } = opts
  if (configFile) writeFileSync(join(home, 'config.json'), JSON.stringify(configFile))
  const env = { TEND_HOME: home, HOME: home, TEND_PORT: String(await freePort()) }
  const server = await startServer(loadConfig(env), { log: silentLogger, ...start })
  return { env, server }
}

export interface TestApp {
  app: ReturnType<typeof createApp>
  services: Services
  config: Config
  clock: { now: number }
  /** A request with the token and a JSON body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  get(path: string, headers?: Record<string, string>): Promise<Response>
  close(): void
}

export function makeApp(opts: { env?: Record<string, string>; now?: number; configFile?: object } = {}): TestApp {
  const home = tempHome()
  if (opts.configFile) writeFileSync(join(home.dir, 'config.json'), JSON.stringify(opts.configFile))
  const config = loadConfig({ TEND_HOME: home.dir, HOME: home.dir, ...opts.env })
  const store = openStore(config.paths.dbFile)
  const clock = { now: opts.now ?? Date.now() }
  const services = createServices({ config, store, token: TEST_TOKEN, log: silentLogger, now: () => clock.now })
  const app = createApp(services)
  const auth = { authorization: `Bearer ${TEST_TOKEN}` }
  return {
    app,
    services,
    config,
    clock,
    post: async (path, body, headers = {}) =>
      app.request(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: async (path, headers = {}) => app.request(`http://127.0.0.1${path}`, { headers: { ...auth, ...headers } }),
    close() {
      services.spool.close()
      store.close()
      home.cleanup()
    },
  }
}
