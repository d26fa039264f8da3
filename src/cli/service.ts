// The receiver as install.sh runs it: a systemd user unit, a launchd agent, or a background process
// (its pid in the data directory's lock file). Finding which, and stopping, starting and removing it.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Config } from '../config.ts'
import { CliError } from './errors.ts'
import { packageFile } from '../package-files.ts'

export const SYSTEMD_UNIT = 'tend.service'
export const LAUNCHD_LABEL = 'dev.tend.receiver'
export const TEND_BIN = packageFile('bin', 'tend')

export type Manager = { kind: 'systemd'; unitFile: string } | { kind: 'launchd'; plist: string } | { kind: 'process' }

/** Where install.sh puts each manager's file (the same rules as install.sh). */
export function managerFiles(env: NodeJS.ProcessEnv = process.env) {
  const home = env['HOME'] ?? homedir()
  return {
    unitFile: join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'systemd', 'user', SYSTEMD_UNIT),
    plist: join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`),
    binLink: join(env['XDG_BIN_HOME'] || join(home, '.local', 'bin'), 'tend'),
  }
}

/** Which way install.sh started the receiver: the manager whose file it wrote, else a plain process. */
export function detectManager(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): Manager {
  const files = managerFiles(env)
  if (platform === 'darwin' && exists(files.plist)) return { kind: 'launchd', plist: files.plist }
  if (platform !== 'darwin' && exists(files.unitFile)) return { kind: 'systemd', unitFile: files.unitFile }
  return { kind: 'process' }
}

export function logFile(config: Config): string {
  return join(config.paths.dataDir, 'serve.log')
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || (r.error?.message ?? '') }
}

function must(cmd: string, args: string[]): void {
  const r = run(cmd, args)
  if (!r.ok) throw new CliError(`${cmd} ${args.join(' ')} failed${r.out ? `: ${r.out}` : ''}`)
}

const launchdTarget = () => `gui/${process.getuid?.() ?? 0}/${LAUNCHD_LABEL}`

/**
 * Is that live pid a `tend serve`? A receiver that died leaves its pid in tend.pid or serve.pid, and
 * the system may give it to another program since: its command line says (/proc, else ps).
 */
export function isTendServe(pid: number): boolean {
  let args: string[]
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    const r = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 5_000 })
    if (r.error) return true // no ps to ask: the live pid is trusted
    args = (r.stdout ?? '').trim().split(/\s+/)
  }
  return args.includes('serve')
}

/** The receiver's pid, when it runs: from its lock file (tend.pid), or the pid install.sh recorded (serve.pid). */
export function runningPid(config: Config): number | null {
  const read = (name: string, parse: (text: string) => number) => {
    try {
      const pid = parse(readFileSync(join(config.paths.dataDir, name), 'utf8'))
      if (!Number.isInteger(pid) || pid <= 1) return null
      process.kill(pid, 0)
      return isTendServe(pid) ? pid : null
    } catch {
      return null
    }
  }
  return (
    read('tend.pid', (text) => (JSON.parse(text) as { pid: number }).pid) ?? read('serve.pid', (text) => Number(text))
  )
}

/** Does something accept connections on the receiver's port? */
function answers(config: Config): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: config.host, port: config.port })
    socket.setTimeout(1_000)
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

/** Stops the receiver; says what it did. */
export async function stopReceiver(config: Config, manager: Manager): Promise<string> {
  if (manager.kind === 'systemd') {
    must('systemctl', ['--user', 'stop', SYSTEMD_UNIT])
    return 'receiver stopped (systemd user unit tend.service; `tend restart` starts it again)'
  }
  if (manager.kind === 'launchd') {
    run('launchctl', ['bootout', launchdTarget()])
    return `receiver stopped (launchd agent ${LAUNCHD_LABEL}; \`tend restart\` starts it again)`
  }
  const pid = runningPid(config)
  if (pid === null) return `no receiver runs for ${config.paths.dataDir}`
  process.kill(pid, 'SIGTERM')
  if (!(await until(() => runningPid(config) === null, 10_000))) {
    throw new CliError(`the receiver (pid ${pid}) did not stop within 10 s`)
  }
  rmSync(join(config.paths.dataDir, 'serve.pid'), { force: true })
  return `receiver stopped (pid ${pid})`
}

/** Starts (or restarts) the receiver the way it was installed; waits until it listens. */
export async function restartReceiver(config: Config, manager: Manager): Promise<string> {
  if (manager.kind === 'systemd') {
    must('systemctl', ['--user', 'restart', SYSTEMD_UNIT])
  } else if (manager.kind === 'launchd') {
    // kickstart -k restarts a loaded agent; one that was stopped (booted out) is loaded again.
    if (!run('launchctl', ['kickstart', '-k', launchdTarget()]).ok) {
      must('launchctl', ['bootstrap', `gui/${process.getuid?.() ?? 0}`, manager.plist])
    }
  } else {
    if (runningPid(config) !== null) await stopReceiver(config, manager)
    mkdirSync(config.paths.dataDir, { recursive: true, mode: 0o700 })
    const log = openSync(logFile(config), 'a')
    const child = spawn(process.execPath, [TEND_BIN, 'serve'], { detached: true, stdio: ['ignore', log, log] })
    child.unref()
    writeFileSync(join(config.paths.dataDir, 'serve.pid'), `${child.pid}\n`)
  }
  const listening = await until(async () => runningPid(config) !== null && (await answers(config)), 15_000)
  if (!listening) throw new CliError(`the receiver did not come up; see \`tend logs\` (${logFile(config)})`)
  const how =
    manager.kind === 'systemd'
      ? 'systemd user unit'
      : manager.kind === 'launchd'
        ? 'launchd agent'
        : 'background process'
  return `receiver running on ${config.url} (${how}, pid ${runningPid(config)}; logs: tend logs)`
}

/** Stops the receiver and removes what install.sh made it run under. */
export async function removeService(config: Config, manager: Manager): Promise<string> {
  if (manager.kind === 'systemd') {
    run('systemctl', ['--user', 'disable', '--now', SYSTEMD_UNIT])
    rmSync(manager.unitFile, { force: true })
    run('systemctl', ['--user', 'daemon-reload'])
    return `systemd user unit removed (${manager.unitFile})`
  }
  if (manager.kind === 'launchd') {
    run('launchctl', ['bootout', launchdTarget()])
    rmSync(manager.plist, { force: true })
    return `launchd agent removed (${manager.plist})`
  }
  return await stopReceiver(config, manager)
}
