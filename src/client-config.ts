// Where a client finds the receiver (its URL) and its token, from the environment, without loading the
// validation: zod alone is a tenth of a second of every `tend` call. loadConfig (config.ts) stays the one
// validation, of the same variables by the same schema; a client runs it when a call fails
// (cli/client.ts), so a bad variable is still named precisely, and the receiver runs it at start.
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Config, Paths, TendEnv } from './config.ts'

export const DEFAULT_PORT = 4761

/**
 * TEND_HOME puts config, token, data and spool in one directory. Without it, config and token
 * go under $XDG_CONFIG_HOME/tend and data and spool under $XDG_DATA_HOME/tend.
 * hooks/tend-hook resolves the same defaults: keep the two in step.
 */
export function resolvePaths(env: TendEnv): Paths {
  const home = env.HOME ?? homedir()
  const configDir = env.TEND_HOME ?? join(env.XDG_CONFIG_HOME || join(home, '.config'), 'tend')
  const dataDir = env.TEND_HOME ?? join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'tend')
  return {
    configDir,
    dataDir,
    tokenFile: join(configDir, 'token'),
    configFile: join(configDir, 'config.json'),
    dbFile: join(dataDir, 'tend.db'),
    spoolDir: join(dataDir, 'spool'),
    socketFile: join(dataDir, 'tend.sock'),
    lostFile: join(env.XDG_RUNTIME_DIR || '/tmp', `tend-${process.getuid?.() ?? 0}`, 'lost'),
  }
}

/** The address the receiver listens on, and the URL hooks and the CLI reach it by. */
export function receiverAddress(env: TendEnv): Pick<Config, 'host' | 'port' | 'url'> {
  const host = env.TEND_HOST ?? '127.0.0.1'
  const port = env.TEND_PORT ?? (env.TEND_URL ? Number(new URL(env.TEND_URL).port) || DEFAULT_PORT : DEFAULT_PORT)
  const urlHost = host.includes(':') ? `[${host}]` : host
  const url = (env.TEND_URL ?? `http://${urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost}:${port}`).replace(/\/+$/, '')
  return { host, port, url }
}

/** What a client of the receiver needs; `validated`: it came from loadConfig. */
export type ClientConfig = Pick<Config, 'paths' | 'url' | 'tokenOverride'> & { validated?: boolean }

/**
 * The client's view of the environment, read as loadConfig reads it but unchecked: a value the schema
 * refuses makes the call fail (an unreachable URL, a refused token), and the client then says why.
 */
export function clientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const e = { ...env, TEND_PORT: env['TEND_PORT'] === undefined ? undefined : Number(env['TEND_PORT']) } as TendEnv
  let url: string
  try {
    url = receiverAddress(e).url
  } catch {
    url = env['TEND_URL'] ?? '' // not a URL: the call fails and the validation names it
  }
  return { paths: resolvePaths(e), url, tokenOverride: e.TEND_TOKEN ?? null, validated: false }
}
