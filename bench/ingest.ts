// Bench: ingest under 100 concurrent agents, over HTTP keep-alive, into a real SQLite file.
//
// The receiver runs as its own process (`node bin/tend serve` on a temp TEND_HOME), the load
// generator in this process: an undici Pool with one keep-alive connection per agent, each agent
// posting its next event when the previous answer is back. Bodies are serialized before the clock
// starts, so the generator's share of the 2 cores is mostly HTTP. Afterwards the receiver is
// stopped and its SQLite file reopened to count what was durably written.
// Then the same load against bench/null-receiver.ts (same HTTP stack, stores nothing): the HTTP
// ceiling of this machine. Then the same event mix in-process, no sockets, layer by layer: the
// store's ingestEvent alone, services.receive (+ holds, presence, bus listeners such as the
// notifier), zod alone, and Hono's app.fetch (middleware + validation + receive).
// Pings are switched off in the bench's config.json (no desktop popups while benchmarking); the
// notification policy itself still runs on every change.
//
//   node --import tsx bench/ingest.ts
//   env: BENCH_AGENTS=100  BENCH_INGEST_EVENTS=30000 (HTTP run)  BENCH_INGEST_MAX_SECONDS=40 (its time
//   limit; the null run gets 1/4, each in-process layer 0.3 of it)  BENCH_INPROC_EVENTS=3000 (per layer)
//   BENCH_CPU_PROF=dir  also writes a .cpuprofile of the receiver process into dir
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { Pool } from 'undici'
import { loadConfig } from '../src/config.ts'
import { canonicalJson } from '../src/core/canonical-json.ts'
import { HookEventSchema, type EventMeta, type HookEvent } from '../src/core/hook-event.ts'
import { silentLogger } from '../src/log.ts'
import { createApp } from '../src/server/app.ts'
import { startServer } from '../src/server/serve.ts'
import { openStore } from '../src/store/db.ts'
import { ingestEvent } from '../src/store/ingest.ts'
import { freePort } from '../test/helpers/hook.ts'
import { payload } from '../test/helpers/payloads.ts'
import {
  f1,
  f2,
  header,
  int,
  isMain,
  loadLine,
  machineLine,
  processCpuMs,
  receiverBuild,
  cleanEnv,
  spawnListening,
  startReceiverProcess,
  summarize,
  tempDir,
  textTable,
  writeQuietConfig,
  type Summary,
} from './lib.ts'

const NULL_RECEIVER = fileURLToPath(new URL('./null-receiver.ts', import.meta.url))

/** One realistic turn: the prompt, three tool calls (the second asks permission), the batch, the stop. */
export function turnEvents(
  base: { session_id: string; cwd: string; transcript_path: string },
  agent: number,
  turn: number,
  promptId: string,
): HookEvent[] {
  const t = { ...base, prompt_id: promptId }
  const tool = (n: number) => `toolu_${agent}_${turn}_${n}`
  const cmd = (n: number) => ({ command: `npm test -- --grep case-${turn}-${n}`, description: `Run test ${n}` })
  return [
    payload('UserPromptSubmit', { ...t, prompt: `agent ${agent}, turn ${turn}: fix the failing test and explain` }),
    payload('PreToolUse', { ...t, tool_use_id: tool(1), tool_input: cmd(1) }),
    payload('PostToolUse', { ...t, tool_use_id: tool(1), tool_input: cmd(1) }),
    payload('PreToolUse', { ...t, tool_use_id: tool(2), tool_input: cmd(2) }),
    payload('PermissionRequest', { ...t, tool_input: cmd(2) }),
    payload('PostToolUse', { ...t, tool_use_id: tool(2), tool_input: cmd(2) }),
    payload('PreToolUse', { ...t, tool_use_id: tool(3), tool_input: cmd(3) }),
    payload('PostToolUse', { ...t, tool_use_id: tool(3), tool_input: cmd(3) }),
    payload('PostToolBatch', t),
    payload('Stop', { ...t, last_assistant_message: `Turn ${turn} done: the test passes now.` }),
  ]
}

/** One agent's realistic session: a start, then turns of prompt → tools (one needs permission) → stop. */
export function agentSession(agent: number, count: number): HookEvent[] {
  const sessionId = randomUUID()
  const cwd = `/home/me/work/project-${String(agent).padStart(3, '0')}`
  const base = { session_id: sessionId, cwd, transcript_path: `/home/me/.claude/projects/${sessionId}.jsonl` }
  const out: HookEvent[] = [payload('SessionStart:startup', base)]
  for (let turn = 0; out.length < count; turn++) out.push(...turnEvents(base, agent, turn, randomUUID()))
  return out.slice(0, count)
}

export interface HttpIngestResult {
  agents: number
  sent: number
  measured: number
  seconds: number
  eventsPerSecond: number
  latencyMs: Summary
  statuses: Record<string, number>
  outcomes: Record<string, number>
  errors: number
  receiverCpuUsPerEvent: number
  generatorCpuUsPerEvent: number
  rows: { events: number; agents: number; waits: number; openWaits: number; sessions: number }
  ok200: number
  durableOk: boolean
  dbBytes: number
  timedOut: boolean
  /** events/s over each fifth of the measured events, in order: shows a slowdown as history grows. */
  rateByFifth: number[]
}

export interface InProcessTier {
  label: string
  events: number
  eventsPerSecond: number
  usPerEvent: number
  p50us: number
  p99us: number
  timedOut: boolean
}

export interface IngestBenchResult {
  http: HttpIngestResult
  /** The same load against a receiver that stores nothing (HTTP stack only). */
  nullHttp: LoadStats
  inProcess: InProcessTier[]
  /** Other load on the machine during the bench. */
  load: string
}

interface LoadStats {
  sent: number
  measured: number
  seconds: number
  eventsPerSecond: number
  latencyMs: Summary
  statuses: Record<string, number>
  outcomes: Record<string, number>
  errors: number
  serverCpuUsPerEvent: number
  generatorCpuUsPerEvent: number
  timedOut: boolean
  rateByFifth: number[]
}

/**
 * The load: one keep-alive connection per agent (undici Pool), each agent posting its next event
 * when the previous answer is back. The first `warmPerAgent` events of each agent are not timed.
 */
async function drive(opts: {
  url: string
  token: string
  serverPid: number
  bodies: string[][]
  warmPerAgent: number
  maxSeconds: number
}): Promise<LoadStats> {
  const agents = opts.bodies.length
  const pool = new Pool(opts.url, { connections: agents, pipelining: 1, keepAliveTimeout: 60_000 })
  const auth = `Bearer ${opts.token}`
  const statuses: Record<string, number> = {}
  const outcomes: Record<string, number> = {}
  const latencies: number[] = []
  const doneAt: number[] = []
  let errors = 0
  let sent = 0
  let completed = 0
  const warmTotal = opts.warmPerAgent * agents
  let measuring = warmTotal === 0
  let tStart = performance.now()
  let cpuServer0 = processCpuMs(opts.serverPid)
  let cpuGen0 = process.cpuUsage()
  let timedOut = false
  const deadline = performance.now() + opts.maxSeconds * 1000

  async function agent(a: number) {
    let lastStamp = 0
    for (const body of opts.bodies[a]!) {
      if (performance.now() > deadline) {
        timedOut = true
        return
      }
      // Strictly increasing per agent, as a real agent's hooks are ms apart.
      lastStamp = Math.max(Date.now(), lastStamp + 1)
      const counted = measuring
      const t0 = performance.now()
      sent++
      try {
        const res = await pool.request({
          path: '/v1/hooks',
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json', 'x-tend-time': String(lastStamp) },
          body,
        })
        await res.body.dump()
        const t1 = performance.now()
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
        const outcome = String(res.headers['x-tend-outcome'] ?? 'none')
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
        if (counted) {
          latencies.push(t1 - t0)
          doneAt.push(t1)
        }
      } catch {
        errors++
      }
      completed++
      if (!measuring && completed >= warmTotal) {
        measuring = true
        tStart = performance.now()
        cpuServer0 = processCpuMs(opts.serverPid)
        cpuGen0 = process.cpuUsage()
      }
    }
  }

  await Promise.all(Array.from({ length: agents }, (_, a) => agent(a)))
  const tEnd = performance.now()
  const cpuServer = processCpuMs(opts.serverPid) - cpuServer0
  const cpuGen = process.cpuUsage(cpuGen0)
  await pool.close()

  const measured = latencies.length
  const rateByFifth: number[] = []
  for (let k = 0; k < 5; k++) {
    const from = Math.floor((k * measured) / 5)
    const to = Math.floor(((k + 1) * measured) / 5) - 1
    const t0 = from === 0 ? tStart : doneAt[from - 1]!
    if (to > from) rateByFifth.push(((to - from + 1) * 1000) / (doneAt[to]! - t0))
  }
  return {
    sent,
    measured,
    seconds: (tEnd - tStart) / 1000,
    eventsPerSecond: (measured * 1000) / (tEnd - tStart),
    latencyMs: summarize(latencies),
    statuses,
    outcomes,
    errors,
    serverCpuUsPerEvent: (cpuServer * 1000) / measured,
    generatorCpuUsPerEvent: (cpuGen.user + cpuGen.system) / measured,
    timedOut,
    rateByFifth,
  }
}

async function runHttp(opts: {
  agents: number
  total: number
  maxSeconds: number
  cpuProfDir?: string
}): Promise<HttpIngestResult> {
  const perAgent = Math.ceil(opts.total / opts.agents)
  const warmPerAgent = Math.min(5, Math.floor(perAgent / 5))
  const bodies = Array.from({ length: opts.agents }, (_, a) => agentSession(a, perAgent).map((e) => JSON.stringify(e)))
  const home = tempDir('ingest-http')
  try {
    writeQuietConfig(home.dir)
    const port = await freePort()
    const receiver = await startReceiverProcess({
      home: home.dir,
      port,
      nodeArgs: opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [],
    })
    let load: LoadStats
    try {
      load = await drive({
        url: receiver.url,
        token: receiver.token,
        serverPid: receiver.pid,
        bodies,
        warmPerAgent,
        maxSeconds: opts.maxSeconds,
      })
    } finally {
      const code = await receiver.stop()
      if (code !== 0) throw new Error(`receiver exited with ${code}`)
    }

    // Durable writes: reopen the file the receiver wrote and closed.
    const db = new Database(join(home.dir, 'tend.db'), { readonly: true })
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    const rows = {
      events: one('select count(*) as n from events'),
      agents: one('select count(*) as n from agents'),
      waits: one('select count(*) as n from waits'),
      openWaits: one('select count(*) as n from waits where ended_at is null'),
      sessions: one('select count(distinct session_id) as n from events'),
    }
    const dbBytes = one('select page_count * page_size as n from pragma_page_count(), pragma_page_size()')
    db.close()

    const ok200 = load.statuses['200'] ?? 0
    return {
      agents: opts.agents,
      ...load,
      receiverCpuUsPerEvent: load.serverCpuUsPerEvent,
      rows,
      ok200,
      durableOk: rows.events === ok200 - (load.outcomes['duplicate'] ?? 0) && rows.agents === opts.agents,
      dbBytes,
    }
  } finally {
    home.cleanup()
  }
}

/** The same load against a receiver that stores nothing: the HTTP stack's own ceiling here. */
async function runNullHttp(opts: { agents: number; total: number; maxSeconds: number }): Promise<LoadStats> {
  const perAgent = Math.ceil(opts.total / opts.agents)
  const bodies = Array.from({ length: opts.agents }, (_, a) => agentSession(a, perAgent).map((e) => JSON.stringify(e)))
  const port = await freePort()
  const token = 'null-receiver-token-0123456789'
  const proc = await spawnListening(['--import', 'tsx', NULL_RECEIVER, String(port), token], cleanEnv({}))
  try {
    return await drive({
      url: `http://127.0.0.1:${port}`,
      token,
      serverPid: proc.pid,
      bodies,
      warmPerAgent: Math.min(5, Math.floor(perAgent / 5)),
      maxSeconds: opts.maxSeconds,
    })
  } finally {
    await proc.stop()
  }
}

/** The same event mix, round-robin over the agents (as the concurrent load interleaves them). */
function interleaved(agents: number, total: number): HookEvent[] {
  const per = Math.ceil(total / agents)
  const sessions = Array.from({ length: agents }, (_, a) => agentSession(a, per))
  const out: HookEvent[] = []
  for (let k = 0; k < per; k++) for (const s of sessions) if (s[k]) out.push(s[k]!)
  return out.slice(0, total)
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Times fn over events warm..total-1 (after warm untimed calls); stops early at maxSeconds. */
async function timeTier(
  label: string,
  total: number,
  warm: number,
  maxSeconds: number,
  fn: (i: number) => unknown | Promise<unknown>,
): Promise<InProcessTier> {
  // Sync functions are not awaited: an await would let deferred listener work run after each call.
  for (let i = 0; i < warm; i++) {
    const r = fn(i)
    if (r instanceof Promise) await r
  }
  const each: number[] = []
  const t0 = performance.now()
  const deadline = t0 + maxSeconds * 1000
  let timedOut = false
  for (let i = warm; i < total; i++) {
    const s = performance.now()
    if (s > deadline) {
      timedOut = true
      break
    }
    const r = fn(i)
    if (r instanceof Promise) await r
    each.push((performance.now() - s) * 1000)
  }
  const ms = performance.now() - t0
  const n = each.length
  const s = summarize(each)
  return {
    label,
    events: n,
    eventsPerSecond: (n * 1000) / ms,
    usPerEvent: (ms * 1000) / n,
    p50us: s.median,
    p99us: s.p99,
    timedOut,
  }
}

/** Per agent, strictly increasing time stamps (as a real agent's hooks are ms apart). */
function stamper() {
  const last = new Map<string, number>()
  return (e: HookEvent): EventMeta => {
    const at = Math.max(Date.now(), (last.get(e.session_id) ?? 0) + 1)
    last.set(e.session_id, at)
    return { occurredAt: at, receivedAt: at }
  }
}

async function runInProcess(opts: {
  agents: number
  total: number
  maxSecondsPerTier: number
}): Promise<InProcessTier[]> {
  const warm = Math.min(1000, Math.floor(opts.total / 10))
  const tiers: InProcessTier[] = []
  const cap = opts.maxSecondsPerTier

  // 1. The store alone: canonical JSON + hash + one SQLite transaction (dedupe, state, event, agent, waits).
  {
    const events = interleaved(opts.agents, opts.total)
    const home = tempDir('ingest-store')
    const config = loadConfig({ TEND_HOME: home.dir, HOME: home.dir })
    const store = openStore(config.paths.dbFile)
    const meta = stamper()
    tiers.push(
      await timeTier('store ingestEvent (SQLite txn only)', events.length, warm, cap, (i) =>
        ingestEvent(store.db, events[i]!, canonicalJson(events[i]!), meta(events[i]!), {
          maxFieldBytes: config.maxFieldBytes,
        }),
      ),
    )
    store.close()
    home.cleanup()
  }

  // 2a. services.receive in a tight loop, as called by a replay: what bus listeners defer to a later
  //     turn of the event loop (the notifier's round) coalesces into one run at the end.
  {
    const events = interleaved(opts.agents, opts.total)
    const home = tempDir('ingest-receive-sync')
    writeQuietConfig(home.dir)
    const server = await startServer(loadConfig({ TEND_HOME: home.dir, HOME: home.dir }), {
      log: silentLogger,
      port: 0,
    })
    const meta = stamper()
    tiers.push(
      await timeTier('services.receive, tight loop', events.length, warm, cap, (i) =>
        server.services.receive(events[i]!, meta(events[i]!)),
      ),
    )
    await server.close()
    home.cleanup()
  }

  // 2b. services.receive with everything listening (notifier, holds, presence), yielding to the event
  //    loop after each event as the server does between requests, so async listeners run too.
  {
    const events = interleaved(opts.agents, opts.total)
    const home = tempDir('ingest-receive')
    writeQuietConfig(home.dir)
    const server = await startServer(loadConfig({ TEND_HOME: home.dir, HOME: home.dir }), {
      log: silentLogger,
      port: 0,
    })
    const meta = stamper()
    tiers.push(
      await timeTier('services.receive, yield after each', events.length, warm, cap, async (i) => {
        server.services.receive(events[i]!, meta(events[i]!))
        await yieldToLoop()
      }),
    )
    await server.close()
    home.cleanup()
  }

  // 3. JSON.parse + zod HookEventSchema: what validation costs, no store.
  {
    const bodies = interleaved(opts.agents, opts.total).map((e) => JSON.stringify(e))
    tiers.push(
      await timeTier('JSON.parse + zod validate', bodies.length, warm, cap, (i) =>
        HookEventSchema.parse(JSON.parse(bodies[i]!)),
      ),
    )
  }

  // 4. app.fetch: the whole Hono app (request id, host/origin/body-limit, bearer, zod, receive), no socket.
  {
    const bodies = interleaved(opts.agents, opts.total).map((e) => JSON.stringify(e))
    const home = tempDir('ingest-fetch')
    writeQuietConfig(home.dir)
    const server = await startServer(loadConfig({ TEND_HOME: home.dir, HOME: home.dir }), {
      log: silentLogger,
      port: 0,
    })
    const app = createApp(server.services)
    const auth = `Bearer ${server.services.token}`
    const host = new URL(server.url).host
    let stamp = Date.now()
    let bad = 0
    tiers.push(
      await timeTier('Hono app.fetch, yield after each', bodies.length, warm, cap, async (i) => {
        stamp = Math.max(Date.now(), stamp + 1)
        const res = await app.fetch(
          new Request(`${server.url}/v1/hooks`, {
            method: 'POST',
            headers: { host, authorization: auth, 'content-type': 'application/json', 'x-tend-time': String(stamp) },
            body: bodies[i]!,
          }),
        )
        if (res.status !== 200) bad++
        await res.arrayBuffer()
        await yieldToLoop()
      }),
    )
    if (bad) throw new Error(`app.fetch: ${bad} answers were not 200`)
    await server.close()
    home.cleanup()
  }
  return tiers
}

export async function runIngestBench(opts: { log?: (s: string) => void } = {}): Promise<IngestBenchResult> {
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`))
  const loadBefore = loadLine()
  const agents = Number(process.env['BENCH_AGENTS'] ?? 100)
  const total = Number(process.env['BENCH_INGEST_EVENTS'] ?? 30_000)
  const inProcTotal = Number(process.env['BENCH_INPROC_EVENTS'] ?? 3_000)
  const maxSeconds = Number(process.env['BENCH_INGEST_MAX_SECONDS'] ?? 40)
  const http = await runHttp({ agents, total, maxSeconds, cpuProfDir: process.env['BENCH_CPU_PROF'] })
  const nullHttp = await runNullHttp({
    agents,
    total: Math.min(total, 20_000),
    maxSeconds: Math.max(5, Math.round(maxSeconds / 4)),
  })
  const inProcess = await runInProcess({
    agents,
    total: inProcTotal,
    maxSecondsPerTier: Math.max(4, Math.round(maxSeconds * 0.3)),
  })
  const result = { http, nullHttp, inProcess, load: `${loadBefore} before, ${loadLine()} after` }
  printIngestResult(result, log)
  return result
}

export function printIngestResult(r: IngestBenchResult, log: (s: string) => void): void {
  const h = r.http
  const n = r.nullHttp
  header(
    `ingest: ${h.agents} concurrent agents over HTTP keep-alive (receiver: separate process, ${receiverBuild()}; ${machineLine()}; ${r.load})`,
  )
  log(
    textTable(
      ['metric', 'value'],
      [
        ['events sent (incl. warm-up)', int(h.sent)],
        ['events measured', int(h.measured)],
        ['wall time measured', `${f2(h.seconds)} s${h.timedOut ? ' (stopped at the time limit)' : ''}`],
        [
          'throughput',
          `${int(h.eventsPerSecond)} events/s (target ≥ 5,000: ${h.eventsPerSecond >= 5000 ? 'met' : 'MISSED'})`,
        ],
        ['events/s by fifth of the run', h.rateByFifth.map(int).join(' → ')],
        [
          'latency p50 / p90 / p99 / max',
          `${f2(h.latencyMs.median)} / ${f2(h.latencyMs.p90)} / ${f2(h.latencyMs.p99)} / ${f1(h.latencyMs.max)} ms`,
        ],
        [
          'HTTP statuses',
          Object.entries(h.statuses)
            .map(([k, v]) => `${k}×${v}`)
            .join(' ') + (h.errors ? `, ${h.errors} errors` : ''),
        ],
        [
          'outcomes (x-tend-outcome)',
          Object.entries(h.outcomes)
            .map(([k, v]) => `${k}×${v}`)
            .join(' '),
        ],
        ['receiver CPU per event', `${int(h.receiverCpuUsPerEvent)} µs`],
        ['load generator CPU per event', `${int(h.generatorCpuUsPerEvent)} µs`],
        [
          'durable: events rows / 200 answers',
          `${int(h.rows.events)} / ${int(h.ok200)} ${h.rows.events === h.ok200 ? '(equal)' : '(DIFFER)'}`,
        ],
        [
          'agents rows',
          `${h.rows.agents} (expected ${h.agents})${h.rows.agents === h.agents ? '' : ' MISMATCH'}; sessions in events ${h.rows.sessions}`,
        ],
        ['waits rows (still open)', `${int(h.rows.waits)} (${h.rows.openWaits})`],
        ['SQLite file after run', `${f1(h.dbBytes / 1048576)} MiB`],
      ],
    ),
  )
  log('')
  log(
    `same load, receiver that stores nothing (Hono + node-server, bearer, JSON parse; bench/null-receiver.ts): ` +
      `${int(n.eventsPerSecond)} events/s, p50 ${f2(n.latencyMs.median)} ms, p99 ${f2(n.latencyMs.p99)} ms, ` +
      `server CPU ${int(n.serverCpuUsPerEvent)} µs/event, generator CPU ${int(n.generatorCpuUsPerEvent)} µs/event` +
      `${n.timedOut ? ' (time limit)' : ''}; statuses ${Object.entries(n.statuses)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')}`,
  )
  log('')
  log(
    'in-process, same event mix, no sockets (one caller, sequential; each layer includes the ones above it except zod):',
  )
  log(
    textTable(
      ['layer', 'events', 'events/s', 'µs/event', 'p50 µs', 'p99 µs'],
      r.inProcess.map((t) => [
        t.label + (t.timedOut ? ' (time limit)' : ''),
        int(t.events),
        int(t.eventsPerSecond),
        f1(t.usPerEvent),
        f1(t.p50us),
        f1(t.p99us),
      ]),
    ),
  )
  log(
    'layers: store = ingestEvent alone (canonical JSON, hash, one SQLite transaction); receive = + services ' +
      '(holds, presence, bus listeners such as the notifier); "yield after each" lets deferred listener work run per ' +
      'event, as on a server between requests; app.fetch = + Hono middleware, zod, Request/Response.',
  )
  const share = (n.serverCpuUsPerEvent / h.receiverCpuUsPerEvent) * 100
  log(
    `HTTP share: the receiver process spent ${int(h.receiverCpuUsPerEvent)} µs CPU per event; the same HTTP stack storing nothing ` +
      `spent ${int(n.serverCpuUsPerEvent)} µs (${f1(share)}%). The rest is tend's own work per event.`,
  )
}

if (isMain(import.meta.url)) {
  await runIngestBench()
}
