// Bench: months of history. Fills a database with 1,000 agents and N events through the receiver's
// own ingest path (services.receive, committed in batches as the ingest queue does), then starts
// the receiver on it as its own process (`node bin/tend serve`, notifications on: the default
// config) and times, in the same run, against a trivial authenticated GET (`GET /v1/presence`):
// the ranking (`GET /v1/agents`), one agent (`GET /v1/agents/:id`), the stats
// (`GET /v1/metrics?days=7`); `tend status --json`'s CPU against `node -e 0`; the idle receiver's
// CPU over 30 s; its RSS; and the database's bytes per event, before and after retention.
//
// The history: five agents a day (1,000 agents over 200 days), each a session of turns (prompt,
// tool calls, one permission answered after 20 s, a stop answered after a minute); all but the
// last 20 ended. Before the receiver starts, one retention pass (30 days) runs in-process and is
// timed, so the receiver's own hourly pass finds nothing to do while it is measured.
//
//   npm run bench -- scale [--events N] [--keep DIR [--reuse]]
//   --events N  events in all (default 100,000; the targets are for 1,000,000)
//   --keep DIR  fill DIR as the TEND_HOME and leave it there (to measure it again, or by hand)
//   --reuse     with --keep: measure the database already in DIR again, without filling it
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Pool } from 'undici'
import { loadConfig } from '../src/config.ts'
import type { HookEvent } from '../src/core/hook-event.ts'
import { turnEvents } from './ingest.ts'
import { silentLogger } from '../src/log.ts'
import { createPruner } from '../src/service/pruner.ts'
import { createServices } from '../src/service/services.ts'
import { openStore } from '../src/store/db.ts'
import { freePort } from '../test/helpers/hook.ts'
import { payload } from '../test/helpers/payloads.ts'
import {
  BIN_TEND,
  f1,
  f2,
  header,
  int,
  isMain,
  loadLine,
  processCpuMs,
  receiverBuild,
  startReceiverProcess,
  summarize,
  tempDir,
  textTable,
} from './lib.ts'

const AGENTS = 1000
const LIVE = 20
const SPAN_MS = 200 * 24 * 3600_000
const IDLE_SAMPLE_MS = 30_000
const BATCH = 2000

export interface ScaleOptions {
  events: number
  keep?: string
  reuse?: boolean
}

export interface ScaleResult {
  events: number
  agents: number
  liveAgents: number
  fillSeconds: number
  fillEventsPerSecond: number
  prune: { payloads: number; seconds: number }
  ms: Record<'trivial' | 'agents' | 'agent' | 'metrics', number>
  statusCpuMs: number
  nodeCpuMs: number
  idleCpuPercent: number
  rssMb: number
  peakRssMb: number
  bytesPerEvent: { full: number; retained: number }
  load: string
}

/** Seconds between one event and the next: a permission is answered after 20 s, a stop after a minute. */
function gapAfter(name: string): number {
  if (name === 'Stop') return 60_000
  if (name === 'PermissionRequest') return 20_000
  return 10_000
}

/** One agent's session: turns of prompt → tools (one needs permission) → stop, then its end unless live. */
const sessionIdOf = (agent: number) =>
  `${String(agent).padStart(8, '0')}-5ca1-4e00-8000-${String(agent).padStart(12, '0')}`

function session(agent: number, count: number, live: boolean): HookEvent[] {
  const sessionId = sessionIdOf(agent)
  const cwd = `/home/me/work/project-${String(agent % 40).padStart(2, '0')}`
  const base = { session_id: sessionId, cwd, transcript_path: `/home/me/.claude/projects/${sessionId}.jsonl` }
  const out: HookEvent[] = [payload('SessionStart:startup', base)]
  const body = live ? count : count - 1
  for (let turn = 0; out.length < body; turn++) out.push(...turnEvents(base, agent, turn, `${sessionId}-p${turn}`))
  const events = out.slice(0, body)
  if (!live) events.push(payload('SessionEnd:other', base))
  return events
}

/** Fills home's database through services.receive, BATCH events per transaction (as the ingest queue commits). */
function fill(home: string, total: number, now: number): { seconds: number } {
  const config = loadConfig({ TEND_HOME: home, HOME: home })
  const store = openStore(config.paths.dbFile)
  const services = createServices({ config, store, token: 'bench-token-0123456789', log: silentLogger, now: () => now })
  const perAgent = Math.max(12, Math.floor(total / AGENTS))
  const t0 = performance.now()
  let pending: Array<() => void> = []
  const flush = () => {
    const batch = pending
    pending = []
    store.db.transaction(() => batch.forEach((f) => f()))
  }
  for (let a = 0; a < AGENTS; a++) {
    const live = a >= AGENTS - LIVE
    const events = session(a, perAgent, live)
    // Agent a starts (AGENTS - a) slots before now; a slot is SPAN / AGENTS (about five agents a day).
    const sessionMs = events.reduce((sum, e) => sum + gapAfter(e.hook_event_name), 0)
    let at = now - (AGENTS - a) * (SPAN_MS / AGENTS) + (SPAN_MS / AGENTS - sessionMs - 60_000)
    for (const event of events) {
      const occurredAt = at
      pending.push(() => void services.receive(event, { occurredAt, receivedAt: occurredAt }))
      at += gapAfter(event.hook_event_name)
      if (pending.length >= BATCH) flush()
    }
    if (a % 100 === 99) process.stdout.write(`  filled ${a + 1} agents\n`)
  }
  flush()
  const seconds = (performance.now() - t0) / 1000
  services.spool.close()
  store.checkpoint()
  store.close()
  return { seconds }
}

function dbBytes(home: string): number {
  const size = (f: string) => {
    try {
      return statSync(join(home, f)).size
    } catch {
      return 0
    }
  }
  return size('tend.db') + size('tend.db-wal')
}

/** CPU ms (user + system) of `runs` runs of a command, from bash's `times` for its children. */
function childCpuMs(command: string, runs: number, env: Record<string, string>): number {
  const script = `for i in $(seq ${runs}); do ${command} > /dev/null 2>&1; done; times`
  const out = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env }, encoding: 'utf8' }).stdout
  const children = out.trim().split('\n').at(-1)!.split(/\s+/)
  const sec = (s: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(s)
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN
  }
  return ((sec(children[0]!) + sec(children[1]!)) * 1000) / runs
}

function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN)
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

function parseArgs(argv: string[]): ScaleOptions {
  const opts: ScaleOptions = { events: 100_000 }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--events') opts.events = Number(argv[++i])
    else if (argv[i] === '--keep') opts.keep = argv[++i]
    else if (argv[i] === '--reuse') opts.reuse = true
  }
  if (!Number.isInteger(opts.events) || opts.events < AGENTS * 12) {
    throw new Error(`--events must be a whole number ≥ ${AGENTS * 12} (12 per agent)`)
  }
  return opts
}

export async function runScaleBench(opts: ScaleOptions = parseArgs(process.argv.slice(2))): Promise<ScaleResult> {
  header(`scale: ${int(opts.events)} events, ${AGENTS} agents (${LIVE} live), receiver ${receiverBuild()}`)
  const temp = opts.keep ? null : tempDir('scale')
  const home = opts.keep ?? temp!.dir
  mkdirSync(home, { recursive: true })
  const now = Date.now()
  try {
    const reuse = Boolean(opts.reuse && opts.keep && existsSync(join(home, 'tend.db')))
    const filled = reuse ? { seconds: Number.NaN } : fill(home, opts.events, now)
    const full = reuse ? Number.NaN : dbBytes(home)
    if (!reuse)
      process.stdout.write(`  filled in ${f1(filled.seconds)} s (${int(opts.events / filled.seconds)} events/s)\n`)

    // Retention's first pass, timed, before the receiver starts (it would otherwise run during the measurements).
    const config = loadConfig({ TEND_HOME: home, HOME: home })
    const store = openStore(config.paths.dbFile)
    const p0 = performance.now()
    const pruner = createPruner({ store, log: silentLogger, now: () => now, payloadDays: 30, everyMs: 1e9 })
    const pruned = await pruner.run()
    await pruner.stop()
    const pruneSeconds = (performance.now() - p0) / 1000
    const events = reuse
      ? (store.sqlite.prepare('select count(*) as n from events').get() as { n: number }).n
      : opts.events
    store.checkpoint()
    store.close()
    const retained = dbBytes(home)
    process.stdout.write(`  retention pass: ${int(pruned)} payloads dropped in ${f1(pruneSeconds)} s\n`)

    const port = await freePort()
    const receiver = await startReceiverProcess({ home, port })
    const pool = new Pool(receiver.url, { connections: 1, keepAliveTimeout: 60_000 })
    const auth = { authorization: `Bearer ${receiver.token}` }
    const timed = async (path: string) => {
      const t0 = performance.now()
      const res = await pool.request({ method: 'GET', path, headers: auth })
      await res.body.text()
      if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode}`)
      return performance.now() - t0
    }
    const live = sessionIdOf(AGENTS - 1)
    const paths = {
      trivial: '/v1/presence',
      agents: '/v1/agents',
      agent: `/v1/agents/${live}`,
      metrics: '/v1/metrics?days=7',
    }
    const samples: Record<keyof typeof paths, number[]> = { trivial: [], agents: [], agent: [], metrics: [] }
    for (let i = 0; i < 25; i++) {
      for (const key of Object.keys(paths) as Array<keyof typeof paths>) {
        const ms = await timed(paths[key])
        if (i >= 5) samples[key].push(ms) // the first five warm up
      }
    }
    const ms = {
      trivial: summarize(samples.trivial).median,
      agents: summarize(samples.agents).median,
      agent: summarize(samples.agent).median,
      metrics: summarize(samples.metrics).median,
    }

    const cliEnv = { TEND_HOME: home, HOME: home, TEND_PORT: String(port) }
    const statusCpuMs = childCpuMs(`${process.execPath} ${BIN_TEND} status --json`, 5, cliEnv)
    const nodeCpuMs = childCpuMs(`${process.execPath} -e 0`, 5, cliEnv)

    // Idle: nothing posts, nobody asks; the notifier has sent what it had to (the 20 live agents wait).
    await new Promise((r) => setTimeout(r, 3000))
    const cpu0 = processCpuMs(receiver.pid)
    await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS))
    const idleCpuPercent = ((processCpuMs(receiver.pid) - cpu0) / IDLE_SAMPLE_MS) * 100
    const mem = rss(receiver.pid)
    await pool.close()
    await receiver.stop()

    const result: ScaleResult = {
      events,
      agents: AGENTS,
      liveAgents: LIVE,
      fillSeconds: filled.seconds,
      fillEventsPerSecond: events / filled.seconds,
      prune: { payloads: pruned, seconds: pruneSeconds },
      ms,
      statusCpuMs,
      nodeCpuMs,
      idleCpuPercent,
      rssMb: mem.now,
      peakRssMb: mem.peak,
      bytesPerEvent: { full: full / events, retained: retained / events },
      load: loadLine(),
    }
    printScaleResult(result)
    return result
  } finally {
    temp?.cleanup()
  }
}

export function printScaleResult(r: ScaleResult): void {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
  const ratio = (x: number) => x / r.ms.trivial
  const rows = [
    ['GET /v1/presence (trivial, baseline)', `${f2(r.ms.trivial)} ms`, '1.0×', ''],
    [
      'GET /v1/agents',
      `${f2(r.ms.agents)} ms`,
      `${f1(ratio(r.ms.agents))}×`,
      `≤ 3×: ${verdict(ratio(r.ms.agents) <= 3)}`,
    ],
    ['GET /v1/agents/:id', `${f2(r.ms.agent)} ms`, `${f1(ratio(r.ms.agent))}×`, ''],
    [
      'GET /v1/metrics?days=7',
      `${f2(r.ms.metrics)} ms`,
      `${f1(ratio(r.ms.metrics))}×`,
      `≤ 5×: ${verdict(ratio(r.ms.metrics) <= 5)}`,
    ],
    [
      'tend status --json, CPU',
      `${int(r.statusCpuMs)} ms`,
      `${f1(r.statusCpuMs / r.nodeCpuMs)}× node -e 0 (${int(r.nodeCpuMs)} ms)`,
      `≤ 2.5×: ${verdict(r.statusCpuMs / r.nodeCpuMs <= 2.5)}`,
    ],
    [
      'idle receiver, notifications on, 30 s',
      `${f2(r.idleCpuPercent)}% of a core`,
      '',
      `≤ 1%: ${verdict(r.idleCpuPercent <= 1)}`,
    ],
    ['receiver RSS (peak)', `${int(r.rssMb)} MB (${int(r.peakRssMb)})`, '', `≤ 150 MB: ${verdict(r.rssMb <= 150)}`],
    ['database, all payloads', `${int(r.bytesPerEvent.full)} B/event`, '', ''],
    ['database, after retention (30 days)', `${int(r.bytesPerEvent.retained)} B/event`, '', ''],
    [
      'fill (services.receive, 2,000 per transaction)',
      `${int(r.fillEventsPerSecond)} events/s`,
      `${f1(r.fillSeconds)} s`,
      '',
    ],
    ['retention pass', `${int(r.prune.payloads)} payloads`, `${f1(r.prune.seconds)} s`, ''],
  ]
  process.stdout.write(`\n${textTable(['measure', 'value', 'ratio', 'target'], rows)}\n`)
  process.stdout.write(`(${int(r.events)} events, ${r.agents} agents, ${r.liveAgents} live; ${r.load})\n`)
}

if (isMain(import.meta.url)) await runScaleBench()
