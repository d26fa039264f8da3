// Bench: hooks/tend-hook wall time per event vs a plain curl POST of the same body, same run.
//
// Both are timed identically by one bash loop (bench/hook-driver.sh): $EPOCHREALTIME is read
// (no fork) right before and after each command, so a figure is fork+exec of the command plus
// everything it does until it exits, as when Claude Code runs the hook. Runs alternate
// (hook, curl, curl, hook …) so drift and warm caches hit both alike. A Node spawnSync
// cross-check of the up case is printed too: it adds Node's own spawn cost to both.
//
//   node --import tsx bench/hook.ts            (BENCH_HOOK_N=200 runs of each by default)
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { HookEvent } from '../src/core/hook-event.ts'
import { freePort, HOOK } from '../test/helpers/hook.ts'
import { payload } from '../test/helpers/payloads.ts'
import {
  cleanEnv,
  f1,
  header,
  isMain,
  loadLine,
  machineLine,
  receiverBuild,
  startReceiverProcess,
  summarize,
  tempDir,
  textTable,
  writeQuietConfig,
  type Summary,
} from './lib.ts'

const DRIVER = new URL('./hook-driver.sh', import.meta.url).pathname

export interface HookRow {
  case: string
  label: string
  ms: Summary
  /** Exit codes seen (tend-hook must always exit 0; curl fails with 7 when nothing listens). */
  exitCodes: string
}

export interface HookBenchResult {
  n: number
  rows: HookRow[]
  /** Other load on the machine during the bench. */
  load: string
  /** tend-hook median minus curl median, per case. */
  overhead: Array<{ case: string; hookMedian: number; curlMedian: number; overheadMs: number; hookP99: number }>
  checks: string[]
}

interface DriverRun {
  hook: number[]
  curl: number[]
  hookCodes: Map<number, number>
  curlCodes: Map<number, number>
}

/** What makes each body distinct (the receiver dedupes identical bodies); same length on both sides. */
const VARY: Record<string, (side: string, id: string) => Record<string, unknown>> = {
  PostToolUse: (side, id) => ({ tool_use_id: `toolu_bench_${side}_${id}` }),
  Stop: (side, id) => ({ last_assistant_message: `Done (${side} run ${id}): the tests pass now.` }),
}

/** Writes `count` bodies per side (a session each), all the same size and all distinct. */
function writeBodies(dir: string, key: keyof typeof VARY, count: number): { hookSession: string; curlSession: string } {
  mkdirSync(dir, { recursive: true })
  const hookSession = randomUUID()
  const curlSession = randomUUID()
  for (const [side, session] of [
    ['hook', hookSession],
    ['curl', curlSession],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const id = String(i).padStart(5, '0')
      const event: HookEvent = payload(key, { session_id: session, ...VARY[key]!(side, id) })
      writeFileSync(join(dir, `${side}-${id}.json`), JSON.stringify(event))
    }
  }
  return { hookSession, curlSession }
}

function runDriver(opts: {
  n: number
  first?: number
  dir: string
  url: string
  token: string
  mode: 'observe' | 'hold'
  holdSeconds?: number
  env: Record<string, string>
}): DriverRun {
  const args = [
    DRIVER,
    'pair',
    String(opts.first ?? 0),
    String(opts.n),
    opts.dir,
    opts.url,
    opts.token,
    HOOK,
    opts.mode,
    String(opts.holdSeconds ?? 0),
  ]
  const r = spawnSync('bash', args, { env: opts.env, encoding: 'utf8', maxBuffer: 16 << 20 })
  if (r.status !== 0) throw new Error(`hook driver failed (${r.status}): ${r.stderr}`)
  const run: DriverRun = { hook: [], curl: [], hookCodes: new Map(), curlCodes: new Map() }
  for (const line of r.stdout.split('\n')) {
    const [side, micros, code] = line.split(' ')
    if (side !== 'hook' && side !== 'curl') continue
    run[side].push(Number(micros) / 1000)
    const codes = side === 'hook' ? run.hookCodes : run.curlCodes
    codes.set(Number(code), (codes.get(Number(code)) ?? 0) + 1)
  }
  return run
}

function runFloor(what: 'true' | 'curl-version' | 'sh-noop', n: number, env: Record<string, string>): number[] {
  const r = spawnSync('bash', [DRIVER, 'floor', what, String(n)], { env, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`floor driver failed: ${r.stderr}`)
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l) / 1000)
}

const codes = (m: Map<number, number>) => [...m].map(([c, k]) => `${c}×${k}`).join(' ')

/** The same up case timed from Node (spawnSync around each process): Node's spawn cost on both. */
function nodeSpawnCrossCheck(n: number, dir: string, url: string, token: string, env: Record<string, string>) {
  const hook: number[] = []
  const curl: number[] = []
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(5, '0')
    const hookBody = readFileSync(join(dir, `hook-${id}.json`))
    const order = i % 2 === 0 ? ['hook', 'curl'] : ['curl', 'hook']
    for (const side of order) {
      if (side === 'hook') {
        const t0 = performance.now()
        spawnSync(HOOK, ['observe'], { env, input: hookBody, stdio: ['pipe', 'ignore', 'ignore'] })
        hook.push(performance.now() - t0)
      } else {
        const now = String(Date.now())
        const t0 = performance.now()
        spawnSync(
          'curl',
          [
            '-s',
            '-o',
            '/dev/null',
            '-X',
            'POST',
            `${url}/v1/hooks`,
            '-H',
            `Authorization: Bearer ${token}`,
            '-H',
            'Content-Type: application/json',
            '-H',
            `X-Tend-Time: ${now}`,
            '-H',
            'X-Tend-Pid: ',
            '-H',
            'X-Tend-Hold: 0',
            '--data-binary',
            `@${join(dir, `curl-${id}.json`)}`,
          ],
          { env, stdio: 'ignore' },
        )
        curl.push(performance.now() - t0)
      }
    }
  }
  return { hook: summarize(hook), curl: summarize(curl) }
}

export async function runHookBench(opts: { n?: number; log?: (s: string) => void } = {}): Promise<HookBenchResult> {
  const n = opts.n ?? Number(process.env['BENCH_HOOK_N'] ?? 200)
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`))
  const warm = 10
  const loadBefore = loadLine()
  const rows: HookRow[] = []
  const checks: string[] = []
  const overhead: HookBenchResult['overhead'] = []
  const add = (kase: string, run: DriverRun, hookLabel: string, curlLabel: string) => {
    const h = summarize(run.hook)
    const c = summarize(run.curl)
    rows.push({ case: kase, label: hookLabel, ms: h, exitCodes: codes(run.hookCodes) })
    rows.push({ case: kase, label: curlLabel, ms: c, exitCodes: codes(run.curlCodes) })
    overhead.push({
      case: kase,
      hookMedian: h.median,
      curlMedian: c.median,
      overheadMs: h.median - c.median,
      hookP99: h.p99,
    })
  }

  // (a) receiver up, observe; (c) hold mode against the same receiver. It answers a Stop at once
  // while the person counts as present (a fresh receiver: yes), so this times the forwarder only.
  const up = tempDir('hook-up')
  const bodies = tempDir('hook-bodies')
  try {
    const port = await freePort()
    writeQuietConfig(up.dir)
    const receiver = await startReceiverProcess({ home: up.dir, port })
    const env = cleanEnv({ HOME: up.dir, TEND_HOME: up.dir, TEND_PORT: String(port) })
    const observeDir = join(bodies.dir, 'observe')
    const holdDir = join(bodies.dir, 'hold')
    const nHold = Math.max(20, Math.round(n / 2))
    const nNode = Math.max(20, Math.round(n / 4))
    const sessions = writeBodies(observeDir, 'PostToolUse', warm + n)
    const holdSessions = writeBodies(holdDir, 'Stop', warm + nHold)
    try {
      runDriver({ n: warm, dir: observeDir, url: receiver.url, token: receiver.token, mode: 'observe', env })
      const a = runDriver({
        n,
        first: warm,
        dir: observeDir,
        url: receiver.url,
        token: receiver.token,
        mode: 'observe',
        env,
      })
      add('up', a, 'tend-hook observe', 'curl POST')

      // One probe first: should the receiver's policy hold the Stop after all, skip rather than wait.
      const probe = runDriver({
        n: 1,
        dir: holdDir,
        url: receiver.url,
        token: receiver.token,
        mode: 'hold',
        holdSeconds: 30,
        env,
      })
      if (Math.max(...probe.hook, ...probe.curl) < 2000) {
        runDriver({
          n: warm - 1,
          first: 1,
          dir: holdDir,
          url: receiver.url,
          token: receiver.token,
          mode: 'hold',
          holdSeconds: 30,
          env,
        })
        const c = runDriver({
          n: nHold,
          first: warm,
          dir: holdDir,
          url: receiver.url,
          token: receiver.token,
          mode: 'hold',
          holdSeconds: 30,
          env,
        })
        add('hold', c, 'tend-hook hold 30', 'curl POST (X-Tend-Hold: 30)')
      } else {
        checks.push('hold case skipped: the receiver held the probe Stop instead of answering at once')
      }

      // Node spawnSync cross-check on fresh bodies (a replay of the same bodies would be deduped).
      const nodeDir = join(bodies.dir, 'node')
      writeBodies(nodeDir, 'PostToolUse', nNode)
      const x = nodeSpawnCrossCheck(nNode, nodeDir, receiver.url, receiver.token, env)
      rows.push({ case: 'up (node)', label: 'tend-hook observe', ms: x.hook, exitCodes: '' })
      rows.push({ case: 'up (node)', label: 'curl POST', ms: x.curl, exitCodes: '' })
      overhead.push({
        case: 'up (node)',
        hookMedian: x.hook.median,
        curlMedian: x.curl.median,
        overheadMs: x.hook.median - x.curl.median,
        hookP99: x.hook.p99,
      })
    } finally {
      const code = await receiver.stop()
      if (code !== 0) checks.push(`receiver exited with ${code}`)
    }
    // Every run must have been stored: count the rows each side left (warm-up runs included).
    const db = new Database(join(up.dir, 'tend.db'), { readonly: true })
    const count = db.prepare('select count(*) as n from events where session_id = ?')
    const rowsOf = (s: string) => (count.get(s) as { n: number }).n
    checks.push(
      `stored rows: observe hook ${rowsOf(sessions.hookSession)}/${warm + n}, curl ${rowsOf(sessions.curlSession)}/${warm + n}; ` +
        `hold hook ${rowsOf(holdSessions.hookSession)}/${warm + nHold}, curl ${rowsOf(holdSessions.curlSession)}/${warm + nHold}`,
    )
    db.close()
    const spooledUp = readdirSafe(join(up.dir, 'spool')).length
    if (spooledUp) checks.push(`WARNING: ${spooledUp} events spooled while the receiver was up`)
  } finally {
    up.cleanup()
    bodies.cleanup()
  }

  // (b) receiver down: a port nothing listens on. tend-hook spools; curl fails (exit 7).
  const down = tempDir('hook-down')
  try {
    const port = await freePort()
    writeFileSync(join(down.dir, 'token'), 'bench-token-not-used-0123456789\n', { mode: 0o600 })
    const env = cleanEnv({ HOME: down.dir, TEND_HOME: down.dir, TEND_PORT: String(port) })
    const dir = join(down.dir, 'bodies')
    writeBodies(dir, 'PostToolUse', warm + n)
    const url = `http://127.0.0.1:${port}`
    runDriver({ n: warm, dir, url, token: 'x', mode: 'observe', env })
    const b = runDriver({ n, first: warm, dir, url, token: 'x', mode: 'observe', env })
    add('down', b, 'tend-hook observe (spools)', 'curl POST (fails)')
    const spooled = readdirSafe(join(down.dir, 'spool')).filter((f) => f.endsWith('.json')).length
    checks.push(`receiver down: ${spooled}/${warm + n} events spooled (spool dir removed after)`)
  } finally {
    down.cleanup()
  }

  // Floors: what any process start costs here, and curl's own start-up with no network at all.
  const floorEnv = cleanEnv({})
  rows.push({ case: 'floor', label: '/bin/true', ms: summarize(runFloor('true', 100, floorEnv)), exitCodes: '' })
  rows.push({
    case: 'floor',
    label: 'sh -c : (dash start)',
    ms: summarize(runFloor('sh-noop', 100, floorEnv)),
    exitCodes: '',
  })
  rows.push({
    case: 'floor',
    label: 'curl --version',
    ms: summarize(runFloor('curl-version', 100, floorEnv)),
    exitCodes: '',
  })

  const result = { n, rows, overhead, checks, load: `${loadBefore} before, ${loadLine()} after` }
  printHookResult(result, log)
  return result
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

export function printHookResult(r: HookBenchResult, log: (s: string) => void): void {
  header(
    `hook forwarder vs plain curl (${r.n} runs each, timed in one bash loop with $EPOCHREALTIME; receiver: ${receiverBuild()}; ${machineLine()}; ${r.load})`,
  )
  log(
    textTable(
      ['case', 'command', 'runs', 'median ms', 'p90 ms', 'p99 ms', 'max ms', 'exit codes'],
      r.rows.map((x) => [
        x.case,
        x.label,
        String(x.ms.n),
        f1(x.ms.median),
        f1(x.ms.p90),
        f1(x.ms.p99),
        f1(x.ms.max),
        x.exitCodes,
      ]),
    ),
  )
  log('')
  log(
    textTable(
      ['case', 'tend-hook median', 'curl median', 'overhead (median)', 'target'],
      r.overhead.map((o) => [
        o.case,
        `${f1(o.hookMedian)} ms`,
        `${f1(o.curlMedian)} ms`,
        `${o.overheadMs >= 0 ? '+' : ''}${f1(o.overheadMs)} ms`,
        o.case === 'up'
          ? `≤ 20 ms: ${o.hookMedian <= 20 ? 'met' : 'MISSED'}`
          : o.case === 'down'
            ? `≤ 50 ms: ${o.hookMedian <= 50 ? 'met' : 'MISSED'}`
            : '',
      ]),
    ),
  )
  for (const c of r.checks) log(`check: ${c}`)
}

if (isMain(import.meta.url)) {
  await runHookBench()
}
