// Registering `tend mcp` with Claude Code (user scope), and finding that registration again.
// Claude Code keeps MCP servers in its own state file (~/.claude.json), which it rewrites itself: tend
// never edits it, it asks `claude mcp add-json --scope user` to, and only reads it back.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Config } from '../config.ts'
import { MCP_SERVER_NAME } from './server.ts'
import { packageFile } from '../package-files.ts'

/** bin/tend, from src/mcp/ or dist/mcp/ alike. */
export const TEND_BIN = packageFile('bin', 'tend')

export interface StdioServerConfig {
  type: 'stdio'
  command: string
  args: string[]
  env?: Record<string, string>
}

/**
 * What Claude Code runs: this Node and this tend, `mcp` (with `--allow-answers` if asked), and the
 * environment that points it at the same receiver (TEND_HOME, TEND_URL, when they differ from the
 * defaults). Never the token: `tend mcp` reads it from the token file, like the CLI.
 */
export function tendServerConfig(
  config: Config,
  opts: { allowAnswers: boolean; env?: NodeJS.ProcessEnv },
): StdioServerConfig {
  const env = opts.env ?? process.env
  const pinned: Record<string, string> = {}
  if (env['TEND_HOME']) pinned['TEND_HOME'] = config.paths.configDir
  if (env['TEND_URL'] || env['TEND_PORT'] || env['TEND_HOST']) pinned['TEND_URL'] = config.url
  return {
    type: 'stdio',
    command: process.execPath,
    args: [TEND_BIN, 'mcp', ...(opts.allowAnswers ? ['--allow-answers'] : [])],
    ...(Object.keys(pinned).length ? { env: pinned } : {}),
  }
}

/** Claude Code's own config file, where user-scope MCP servers live. */
export function claudeConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['CLAUDE_CONFIG_DIR'] || env['HOME'] || homedir(), '.claude.json')
}

/** Whether a registered server runs `tend mcp`: its command or first argument is a tend binary. */
export function runsTendMcp(server: unknown): server is StdioServerConfig {
  const s = server as Partial<StdioServerConfig> | null
  if (!s || typeof s.command !== 'string') return false
  const words = [s.command, ...(Array.isArray(s.args) ? s.args : [])]
  const bin = words.findIndex((w) => typeof w === 'string' && /(^|[\\/])tend$/.test(w))
  return bin >= 0 && words[bin + 1] === 'mcp'
}

export interface FoundRegistration {
  name: string
  server: StdioServerConfig
  allowAnswers: boolean
}

/** The user-scope MCP servers of Claude Code that run `tend mcp` (normally one, named tend). */
export function findTendRegistrations(file = claudeConfigFile()): FoundRegistration[] {
  let parsed: { mcpServers?: Record<string, unknown> }
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed
  } catch {
    return []
  }
  return Object.entries(parsed.mcpServers ?? {})
    .filter((entry): entry is [string, StdioServerConfig] => runsTendMcp(entry[1]))
    .map(([name, server]) => ({ name, server, allowAnswers: server.args.includes('--allow-answers') }))
}

/** The line a person can run instead (or to see what `tend install --mcp` does). */
export function addJsonCommand(server: StdioServerConfig, claudeBin = 'claude'): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  return `${claudeBin} mcp add-json --scope user ${MCP_SERVER_NAME} ${quote(JSON.stringify(server))}`
}

export type RegisterOutcome =
  { status: 'unchanged' | 'added' | 'replaced'; file: string } | { status: 'failed'; error: string; manual: string }

/** Registers (or updates) the server named tend at user scope, through Claude Code's own command. */
export function registerWithClaude(
  claudeBin: string,
  server: StdioServerConfig,
  env: NodeJS.ProcessEnv = process.env,
): RegisterOutcome {
  const file = claudeConfigFile(env)
  const manual = addJsonCommand(server, claudeBin)
  const existing = findExisting(file)
  if (existing !== undefined && !runsTendMcp(existing))
    return {
      status: 'failed',
      error: `${file} already has an MCP server named ${MCP_SERVER_NAME} that does not run tend mcp; tend left it alone`,
      manual,
    }
  if (existing !== undefined && JSON.stringify(normalize(existing)) === JSON.stringify(normalize(server)))
    return { status: 'unchanged', file }
  const claude = (...args: string[]) =>
    execFileSync(claudeBin, ['mcp', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  try {
    if (existing !== undefined) claude('remove', '--scope', 'user', MCP_SERVER_NAME)
    claude('add-json', '--scope', 'user', MCP_SERVER_NAME, JSON.stringify(server))
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    return { status: 'failed', error: (e.stderr || e.message).trim().split('\n')[0] ?? e.message, manual }
  }
  return { status: existing === undefined ? 'added' : 'replaced', file }
}

function findExisting(file: string): unknown {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers?: Record<string, unknown> }
    return parsed.mcpServers?.[MCP_SERVER_NAME]
  } catch {
    return undefined
  }
}

/** Claude Code may write `env: {}` or leave `type` out: compare what matters. */
function normalize(server: unknown) {
  const s = (server ?? {}) as Partial<StdioServerConfig>
  return { type: s.type ?? 'stdio', command: s.command, args: s.args ?? [], env: s.env ?? {} }
}

/** `tend install --mcp`: registers the server and says what happened (or the line to run instead). */
export function installMcp(
  config: Config,
  claude: { bin: string; version: string | null },
  allowAnswers: boolean,
): { ok: boolean; text: string } {
  const server = tendServerConfig(config, { allowAnswers })
  const outcome: RegisterOutcome = claude.version
    ? registerWithClaude(claude.bin, server)
    : { status: 'failed', error: `${claude.bin} --version failed`, manual: addJsonCommand(server) }
  const answers = allowAnswers
    ? ' with answers ON (reply/approve/deny)'
    : ' (read-only: add --allow-answers for reply/approve/deny)'
  switch (outcome.status) {
    case 'unchanged':
      return {
        ok: true,
        text: `tend MCP server already registered for Claude Code in ${outcome.file}; nothing changed\n`,
      }
    case 'added':
    case 'replaced':
      return {
        ok: true,
        text: `tend MCP server ${outcome.status === 'added' ? 'registered' : 'updated'} for Claude Code (user scope, ${outcome.file})${answers}: its tools are mcp__tend__needs_me, …\n`,
      }
    case 'failed':
      return {
        ok: false,
        text: `tend MCP server not registered: ${outcome.error}. Register it yourself with:\n  ${outcome.manual}\n`,
      }
  }
}
