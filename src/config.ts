// Configuration: resolved once at start from the environment, then passed in; never read later.
import { z } from 'zod'
import { receiverAddress, resolvePaths } from './client-config.ts'
import { ConfigFileError, readConfigFile, type FileConfig } from './config-file.ts'

export { DEFAULT_PORT, resolvePaths } from './client-config.ts'

const EnvSchema = z.object({
  TEND_HOME: z.string().min(1).optional(),
  TEND_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TEND_HOST: z.string().min(1).optional(),
  TEND_URL: z.url().optional(),
  TEND_TOKEN: z.string().min(16, 'TEND_TOKEN must be at least 16 characters').optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'SLACK_BOT_TOKEN must be a bot token (xoxb-…)').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'SLACK_APP_TOKEN must be an app-level token (xapp-…)').optional(),
  XDG_CONFIG_HOME: z.string().optional(),
  XDG_DATA_HOME: z.string().optional(),
  XDG_RUNTIME_DIR: z.string().optional(),
  HOME: z.string().optional(),
})

/** The environment tend reads, validated. */
export type TendEnv = z.infer<typeof EnvSchema>

export interface Paths {
  configDir: string
  dataDir: string
  tokenFile: string
  configFile: string
  dbFile: string
  spoolDir: string
  /** The hooks' private way in: a unix socket in the 0700 data directory, which no other user can reach or squat. */
  socketFile: string
  /**
   * Where the hook counts events it could neither deliver nor spool (the data directory's disk full
   * or unwritable): a per-user directory elsewhere, $XDG_RUNTIME_DIR (memory) or /tmp.
   */
  lostFile: string
}

export interface Config {
  paths: Paths
  host: string
  port: number
  /** What hooks and the CLI talk to. */
  url: string
  /** From TEND_TOKEN; otherwise the token file is read (or created) by the caller. */
  tokenOverride: string | null
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number
  /** Largest stored field of a payload (tool_input, tool_response …), in bytes. */
  maxFieldBytes: number
  /** Most agents live at once: a new session beyond it is refused (429) until some end. */
  maxLiveAgents: number
  /** config.json, validated, with the Slack tokens from the environment taking precedence. */
  file: FileConfig
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) throw new ConfigError(`invalid environment:\n${z.prettifyError(parsed.error)}`)
  const e = parsed.data
  const paths = resolvePaths(e)
  let file: FileConfig
  try {
    file = readConfigFile(paths.configFile)
  } catch (err) {
    if (err instanceof ConfigFileError) throw new ConfigError(err.message)
    throw err
  }
  if (e.SLACK_BOT_TOKEN) file.slack.botToken = e.SLACK_BOT_TOKEN
  if (e.SLACK_APP_TOKEN) file.slack.appToken = e.SLACK_APP_TOKEN
  return {
    paths,
    ...receiverAddress(e),
    tokenOverride: e.TEND_TOKEN ?? null,
    bodyLimitBytes: 4 * 1024 * 1024,
    maxFieldBytes: 16 * 1024,
    maxLiveAgents: 500,
    file,
  }
}
