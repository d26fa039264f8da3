// tend install / tend uninstall: tend's hooks in (or out of) a Claude Code settings.json; uninstall
// --all also removes the receiver's service, the `tend` link and (asked) the data.
import { existsSync, lstatSync, readlinkSync, rmSync } from 'node:fs'
import { homedir, hostname } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { defineCommand } from 'citty'
import { loadConfig } from '../config.ts'
import { guard, CliError } from './errors.ts'
import { detectClaudeVersion, type ClaudeVersion } from './claude-version.ts'
import { mergeTendHooks, NEWER_OBSERVED_EVENTS, observedEvents, removeTendHooks } from './hook-settings.ts'
import { mergeTendPlugin, removeTendPlugin } from './plugin-settings.ts'
import { installMcp } from '../mcp/registration.ts'
import { detectManager, managerFiles, removeService, TEND_BIN } from './service.ts'
import { readSettings, SettingsError, writeSettings, type WriteOutcome } from './settings-file.ts'
import { packageFile } from '../package-files.ts'

export const HOOK_PATH = packageFile('hooks', 'tend-hook')
/** The local marketplace holding tend's Claude Code mod (claude-plugin/). */
export const MARKETPLACE_DIR = packageFile('claude-plugin')

function settingsPath(given: string | undefined): string {
  return given ? resolve(given) : join(process.env['HOME'] ?? homedir(), '.claude', 'settings.json')
}

/** Environment the hooks must share with the receiver when it differs from the defaults. */
function pinnedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  // The machine's name travels with every event: a receiver that collects remote dev boxes must
  // not judge their agents by its own process table.
  const pinned: Record<string, string> = { TEND_MACHINE: hostname() }
  const config = loadConfig(env)
  if (env['TEND_HOME']) pinned['TEND_HOME'] = config.paths.configDir
  if (env['TEND_URL'] || env['TEND_PORT'] || env['TEND_HOST']) pinned['TEND_URL'] = config.url
  return pinned
}

/**
 * tend's hooks and its plugin merged into the settings file at `path`, pointed at the receiver `env`
 * names (TEND_HOME, TEND_PORT…), for the Claude Code `claude` found. Idempotent; the old file is backed up.
 */
export function installInto(path: string, claude: ClaudeVersion, env: NodeJS.ProcessEnv = process.env): WriteOutcome {
  const before = readSettings(path)
  const { paths, url } = loadConfig(env)
  const withHooks = mergeTendHooks(before ?? {}, {
    hookPath: HOOK_PATH,
    env: pinnedEnv(env),
    claudeVersion: claude.version,
  })
  // The mod (Claude Code 2.1.287+) submits replies as the person's prompt; older versions ignore it.
  const after = mergeTendPlugin(withHooks, MARKETPLACE_DIR, {
    tokenFile: paths.tokenFile,
    socket: paths.socketFile,
    url,
  })
  return writeSettings(path, before, after)
}

const settingsArg = {
  settings: {
    type: 'string',
    description: 'Settings file (default ~/.claude/settings.json; or a project .claude/settings.json)',
  },
  verbose: { type: 'boolean', description: 'Show stack traces' },
} as const

/** Runs a settings edit with the CLI's error handling: a bad settings file is one clear line. */
function editSettings(args: { settings?: string; verbose?: boolean }, edit: (path: string) => void) {
  return guard(Boolean(args.verbose), () => {
    try {
      edit(settingsPath(args.settings))
    } catch (err) {
      if (err instanceof SettingsError) throw new CliError(err.message)
      throw err
    }
  })
}

export const install = defineCommand({
  meta: {
    name: 'install',
    description: "Add tend's hooks and its Claude Code plugin to Claude Code's settings (idempotent, backed up)",
  },
  args: {
    ...settingsArg,
    claude: { type: 'string', description: 'The Claude Code binary the hooks are for (default: claude on PATH)' },
    mcp: {
      type: 'boolean',
      description: 'Also register `tend mcp` with Claude Code (user scope, `claude mcp add-json`)',
    },
    'allow-answers': {
      type: 'boolean',
      description: 'With --mcp: let its clients reply / approve / deny (off by default: a privilege)',
    },
  },
  run({ args }) {
    return editSettings(args, (path) => {
      if (args['allow-answers'] && !args.mcp) throw new CliError('--allow-answers goes with --mcp')
      const claude = detectClaudeVersion(args.claude || 'claude')
      const outcome = installInto(path, claude)
      process.stdout.write(versionNote(claude.bin, claude.version))
      if (!outcome.changed)
        process.stdout.write(`tend hooks and plugin already installed in ${path}; nothing changed\n`)
      else {
        process.stdout.write(`tend hooks and plugin installed in ${path}\n`)
        if (outcome.backup) process.stdout.write(`previous file kept as ${outcome.backup}\n`)
      }
      if (args.mcp) {
        const mcp = installMcp(loadConfig(), claude, Boolean(args['allow-answers']))
        process.stdout.write(mcp.text)
        if (!mcp.ok) process.exitCode = 1
      }
    })
  },
})

/** Which events depend on the Claude Code found, so a person knows to re-run install after an update. */
function versionNote(bin: string, version: string | null): string {
  const newer = Object.keys(NEWER_OBSERVED_EVENTS)
  const hooked = observedEvents(version).filter((e) => newer.includes(e))
  const missing = newer.filter((e) => !hooked.includes(e))
  if (!version) return `Claude Code not found (${bin} --version failed): ${missing.join(', ')} not hooked\n`
  if (missing.length === 0) return `Claude Code ${version}: ${hooked.join(', ')} hooked too\n`
  const since = [...new Set(missing.map((e) => NEWER_OBSERVED_EVENTS[e as keyof typeof NEWER_OBSERVED_EVENTS]))]
  return `Claude Code ${version}: ${missing.join(', ')} not hooked (need ${since.join(', ')}+; re-run tend install after updating)\n`
}

export const uninstall = defineCommand({
  meta: {
    name: 'uninstall',
    description:
      "Remove tend's hooks and plugin from Claude Code's settings; --all also the service, the tend link and (asked) the data",
  },
  args: {
    ...settingsArg,
    all: {
      type: 'boolean',
      description: 'Also stop and remove the receiver service, the `tend` link, and (after asking) the data',
    },
    yes: { type: 'boolean', description: 'With --all: remove the data without asking' },
  },
  async run({ args }) {
    await editSettings(args, (path) => {
      const before = readSettings(path)
      if (!before) return void process.stdout.write(`${path} does not exist; nothing to remove\n`)
      const outcome = writeSettings(path, before, removeTendPlugin(removeTendHooks(before)))
      process.stdout.write(
        outcome.changed
          ? `tend hooks and plugin removed from ${path} (backup: ${outcome.backup})\n`
          : `no tend hooks or plugin in ${path}\n`,
      )
    })
    if (!args.all || process.exitCode) return
    await guard(Boolean(args.verbose), () => uninstallAll(Boolean(args.yes)))
  },
})

/** --all: the service, the link install.sh made, and the data (asked first unless --yes). */
async function uninstallAll(yes: boolean): Promise<void> {
  const config = loadConfig()
  const say = (line: string) => process.stdout.write(`${line}\n`)
  say(await removeService(config, detectManager()))
  const { binLink } = managerFiles()
  let link: string | null = null
  try {
    link = lstatSync(binLink).isSymbolicLink() ? readlinkSync(binLink) : null
  } catch {
    // no link
  }
  if (link && resolve(dirname(binLink), link) === TEND_BIN) {
    rmSync(binLink)
    say(`removed the link ${binLink}`)
  }
  const dirs = [...new Set([config.paths.dataDir, config.paths.configDir])].filter((d) => existsSync(d))
  if (dirs.length === 0) return
  const what = `tend's data (database, token, config, logs) in ${dirs.join(' and ')}`
  const remove = yes || (await confirm(`Remove ${what}? [y/N] `))
  if (!remove) {
    say(`kept ${what}${process.stdin.isTTY ? '' : ' (not a terminal: --yes removes it)'}`)
    return
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  say(`removed ${dirs.join(' and ')}`)
  say('`claude mcp remove --scope user tend` removes the MCP registration, if you made one')
}

/** Asks on a terminal; anything else is a no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}
