// Shared bench helpers: percentiles, a receiver in its own process, process CPU from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadConfig } from '../src/config.ts'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BIN_TEND = join(ROOT, 'bin', 'tend')

/** True when this module file is the script node was started with (each bench runs alone too). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1]
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl
}

export interface Summary {
  n: number
  min: number
  median: number
  p90: number
  p99: number
  max: number
  mean: number
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b)
  const sum = s.reduce((a, b) => a + b, 0)
  return {
    n: s.length,
    min: s[0] ?? Number.NaN,
    median: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? Number.NaN,
    mean: s.length ? sum / s.length : Number.NaN,
  }
}

export const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–')
export const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–')
export const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–')

/** A fixed-width text table (for the console), columns right-aligned except the first. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n')
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tend-bench-${prefix}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A minimal environment: no proxies, no user TEND_* leaking in. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...extra }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux only; NaN elsewhere). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks * 1000) / 100 // CLK_TCK is 100 on Linux
  } catch {
    return Number.NaN
  }
}

export interface ListeningProcess {
  pid: number
  child: ChildProcess
  /** SIGTERM, then the exit (a receiver closes its server and its SQLite file first). */
  stop(): Promise<number | null>
}

export interface ReceiverProcess extends ListeningProcess {
  url: string
  token: string
}

/** Spawns `node ARGS`, resolves once it prints "listening" on stdout. */
export async function spawnListening(args: string[], env: Record<string, string>): Promise<ListeningProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${args.join(' ')} did not start in 30 s:\n${stderr}`))
    }, 30_000)
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes('listening')) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${args.join(' ')} exited (${code}) before listening:\n${stderr}`))
    })
  })
  return {
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/**
 * `node bin/tend serve` as a child process on TEND_HOME/TEND_PORT, the way a user runs it
 * (bin/tend runs dist/ when built, else src/ through tsx). Resolves once it listens.
 */
export async function startReceiverProcess(opts: {
  home: string
  port: number
  nodeArgs?: string[]
}): Promise<ReceiverProcess> {
  const entry = FORCE_SRC ? ['--import', 'tsx', join(ROOT, 'src', 'cli', 'index.ts')] : [BIN_TEND]
  const proc = await spawnListening(
    [...(opts.nodeArgs ?? []), ...entry, 'serve', '--quiet'],
    cleanEnv({ HOME: opts.home, TEND_HOME: opts.home, TEND_PORT: String(opts.port) }),
  )
  const token = readFileSync(join(opts.home, 'token'), 'utf8').trim()
  return { ...proc, url: `http://127.0.0.1:${opts.port}`, token }
}

export function header(title: string): void {
  process.stdout.write(`\n=== ${title}\n`)
}

export function machineLine(): string {
  return `node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs`
}

/** BENCH_RECEIVER=src runs the receiver from src/ through tsx even when dist/ is built. */
const FORCE_SRC = process.env['BENCH_RECEIVER'] === 'src'

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs)
  }
  return newest
}

/** What the receiver process runs: bin/tend uses the build in dist/ when present, else src/ through tsx. */
export function receiverBuild(): string {
  if (FORCE_SRC) return 'src/ via tsx (BENCH_RECEIVER=src)'
  const built = join(ROOT, 'dist', 'cli', 'index.js')
  if (!existsSync(built)) return 'bin/tend on src/ via tsx'
  const stale = newestMtime(join(ROOT, 'src')) > newestMtime(join(ROOT, 'dist'))
  return stale
    ? 'bin/tend on dist/ — STALE: src/ changed after the last build (npm run build, or BENCH_RECEIVER=src)'
    : 'bin/tend on dist/'
}

/** The commit measured, and how many files differ from it (benchmarks of a moving tree say so). */
export function treeLine(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? ''
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown'
  const dirty = git('status', '--porcelain', '--', 'src', 'hooks', 'drizzle').split('\n').filter(Boolean).length
  return dirty ? `${head} + ${dirty} uncommitted changes in src/ hooks/ drizzle/` : head
}

/**
 * A bench must not pop up desktop notifications or post to Slack: pings off in <home>/config.json
 * (the notification policy still runs). If the config schema refuses it, the defaults stay.
 */
export function writeQuietConfig(home: string): void {
  const file = join(home, 'config.json')
  writeFileSync(file, JSON.stringify({ notify: { desktop: { enabled: false }, slack: { enabled: false } } }))
  try {
    loadConfig({ TEND_HOME: home, HOME: home })
  } catch {
    rmSync(file, { force: true })
  }
}

/** The 1/5/15-minute load averages: on a 2-core machine, anything else running skews the figures. */
export function loadLine(): string {
  try {
    const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ')
    return `load avg ${a} ${b} ${c}`
  } catch {
    return 'load avg unknown'
  }
}
