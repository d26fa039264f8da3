// Replies into a running Claude Code session, on the real Claude Code in tmux with the real receiver, the
// settings `tend install` writes and the mock model API (the e2e harness):
// - reply latency: from POST /v1/waits/:id/answer returning to the model request that carries the reply, through
//   tend's mod (a long-poll on the receiver's socket), against the held-Stop fallback ({"decision":"block"}) and
//   a mod that polls an inbox folder every 250 ms instead (written here, as a throwaway plugin);
// - idle cost: CPU an idle interactive session spends without a plugin, with tend's mod, with the polling mod.
// Figures only, never assertions.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import type { RunningServer } from '../src/server/serve.ts'
import type { AnthropicMock, Turn } from '../test/fakes/anthropic-mock.ts'
import type { InteractiveClaude } from '../test/helpers/claude.ts'
import type { E2E } from '../test/helpers/e2e.ts'
import { f1, f2, header, isMain, loadLine, summarize, textTable, type Summary } from './lib.ts'

const VERSION = process.env['BENCH_MOD_CLAUDE'] ?? '2.1.332'
/** Replies per path, one session each. */
const N = Number(process.env['BENCH_MOD_N'] ?? 10)
/** How long each idle session is measured, after it has settled. */
const IDLE_SEC = Number(process.env['BENCH_MOD_IDLE_SEC'] ?? 20)
// Claude Code finishes starting up (marketplace reconcile, a boot canary ~10 s in) before this.
const SETTLE_SEC = Number(process.env['BENCH_MOD_SETTLE_SEC'] ?? 15)
/** The alternative mod's poll interval. */
const INBOX_POLL_MS = 250
const READY = '? for shortcuts'
const ROUND_TIMEOUT_MS = 20_000
/** A folder to keep each session's Claude Code debug log in (they go with the temp dir otherwise). */
const KEEP_LOGS = process.env['BENCH_MOD_LOGS'] ?? ''
const CLK_TCK = 100

export interface LatencyRow {
  path: string
  ms: Summary
  /** How many of the model requests carried the text exactly as expected for the path. */
  exact: number
  shape: string
  /** From Claude Code's debug log: its own `$.prompt.submit` to the model request (mods only). */
  inClaude?: Summary
}

export interface IdleRow {
  session: string
  cpuMsPerMin: number
  processes: number
  debugBytesPerMin: number
}

export interface ModBench {
  version: string
  n: number
  latency: LatencyRow[]
  idle: IdleRow[]
  notes: string[]
  load: string
}

type Helpers = Awaited<ReturnType<typeof loadHelpers>>

/** The test helpers read the Claude Code under test from the environment when they load: set it first. */
async function loadHelpers() {
  const claudeCode = new URL('../scripts/claude-code.mjs', import.meta.url).href
  const { ensureClaudeCode } = (await import(claudeCode)) as { ensureClaudeCode(version: string): string }
  const bin = ensureClaudeCode(VERSION)
  process.env['TEND_TEST_CLAUDE_BIN'] = bin
  process.env['TEND_TEST_CLAUDE_VERSION'] = VERSION
  // `tend install` asks the claude on PATH for its version: let it find this one.
  process.env['PATH'] = `${dirname(bin)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`
  const claude = await import('../test/helpers/claude.ts')
  const mock = await import('../test/fakes/anthropic-mock.ts')
  const e2e = await import('../test/helpers/e2e.ts')
  return { bin, claude, mock, e2e }
}

/** setupE2E tears down through a test's `after`: the bench runs those hooks itself, newest first. */
function benchContext(): { t: TestContext; teardown(): Promise<void> } {
  const hooks: Array<() => unknown> = []
  const t = { after: (fn: () => unknown) => void hooks.push(fn) } as unknown as TestContext
  return {
    t,
    async teardown() {
      for (const fn of hooks.reverse()) await fn()
    },
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

// ---- CPU of a process tree, from /proc ----

interface ProcStat {
  ppid: number
  /** utime + stime + cutime + cstime, in clock ticks: its own time and that of the children it reaped. */
  ticks: number
}

function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) }
  } catch {
    return null
  }
}

/** CPU ms used so far by `root` and every live descendant (reaped ones count in their parent's c-times). */
function treeCpu(root: number): { ms: number; processes: number } {
  const stats = new Map<number, ProcStat>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const s = procStat(pid)
    if (s) stats.set(pid, s)
  }
  let ticks = 0
  let processes = 0
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.pop()!
    const s = stats.get(pid)
    if (!s) continue
    ticks += s.ticks
    processes++
    for (const [child, cs] of stats) if (cs.ppid === pid) queue.push(child)
  }
  return { ms: (ticks * 1000) / CLK_TCK, processes }
}

/** The claude process a tmux pane runs: argv[0] is the binary, and its --settings file is this session's. */
function claudePid(settingsPath: string): number | null {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (/^claude/.test(basename(argv[0] ?? '')) && argv.includes(settingsPath)) return pid
    } catch {
      // gone meanwhile
    }
  }
  return null
}

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0)

// ---- The alternative mod: polls <data dir>/inbox/<session>/ every 250 ms ----

const INBOX_MARKETPLACE = 'tend-bench'
const INBOX_PLUGIN = 'inbox-poll'

const INBOX_MOD = `// A mod that takes replies from a folder instead of a long-poll: every ${INBOX_POLL_MS} ms it lists
// <inboxDir>/<session>/ and submits each new *.txt as the person's prompt (a bench alternative to tend's mod).
const POLL_MS = ${INBOX_POLL_MS}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export function register(on, options) {
  on('session.start', async ($, event, next) => {
    const sessionId = await $.session.id()
    const dir = options.inboxDir + '/' + sessionId
    const seen = new Set()
    const serve = async () => {
      // Creates the folder (fs.write makes the parents) and tells the bench the loop runs.
      await $.fs.write(dir + '/.ready', String(Date.now())).catch((err) => console.error('inbox-poll: ready: ' + String(err?.message ?? err)))
      let failures = 0
      for (;;) {
        if ((await $.session.id()) !== sessionId) return
        try {
          const entries = await $.fs.list(dir)
          for (const entry of entries) {
            if (entry.kind !== 'file' || !entry.name.endsWith('.txt') || seen.has(entry.name)) continue
            seen.add(entry.name)
            const text = await $.fs.read(dir + '/' + entry.name)
            await $.prompt.submit({ text: String(text), asUser: true })
          }
        } catch (err) {
          if (failures++ < 5) console.error('inbox-poll: ' + String(err?.message ?? err))
        }
        await sleep(POLL_MS)
      }
    }
    serve()
    return next(event)
  })
}
`

/** A mod that only registers: what having a mod at all costs an idle session. */
const NOOP_PLUGIN = 'noop'
const NOOP_MOD = `// A mod that does nothing: the cost of a hooks module (its worker) without any work of its own.
export function register(on) {
  on('session.start', async ($, event, next) => next(event))
}
`

/** A local marketplace, laid out like claude-plugin/, with the polling mod and the do-nothing mod. */
function writeBenchPlugins(dir: string): void {
  const plugins = [
    { name: INBOX_PLUGIN, module: INBOX_MOD, description: 'Bench: replies from an inbox folder, polled every 250 ms' },
    { name: NOOP_PLUGIN, module: NOOP_MOD, description: 'Bench: a mod that does nothing' },
  ]
  mkdirSync(join(dir, '.claude-plugin'), { recursive: true })
  writeFileSync(
    join(dir, '.claude-plugin', 'marketplace.json'),
    JSON.stringify({
      name: INBOX_MARKETPLACE,
      owner: { name: 'tend' },
      plugins: plugins.map((p) => ({
        name: p.name,
        source: `./${p.name}`,
        description: p.description,
        version: '0.0.1',
      })),
    }),
  )
  for (const p of plugins) {
    mkdirSync(join(dir, p.name, '.claude-plugin'), { recursive: true })
    mkdirSync(join(dir, p.name, 'hooks'), { recursive: true })
    writeFileSync(
      join(dir, p.name, '.claude-plugin', 'plugin.json'),
      JSON.stringify({
        name: p.name,
        version: '0.0.1',
        description: p.description,
        author: { name: 'tend' },
        userConfig: { inboxDir: { type: 'string', title: 'Inbox', description: 'Folder of per-session inboxes' } },
      }),
    )
    writeFileSync(join(dir, p.name, 'hooks', 'hooks.json'), JSON.stringify({ modules: ['./register.js'] }))
    writeFileSync(join(dir, p.name, 'hooks', 'register.js'), p.module)
  }
}

type Json = Record<string, unknown>

/** tend install's settings without its plugin (its hooks stay): the fallback path, and the idle baseline. */
function withoutTendPlugin(settings: Json): Json {
  const { extraKnownMarketplaces: _m, enabledPlugins: _e, pluginConfigs: _c, ...rest } = settings
  return rest
}

/** tend's hooks, and one of the bench's plugins instead of tend's. */
function withBenchPlugin(settings: Json, marketplaceDir: string, plugin: string, inboxDir: string): Json {
  const id = `${plugin}@${INBOX_MARKETPLACE}`
  return {
    ...withoutTendPlugin(settings),
    extraKnownMarketplaces: { [INBOX_MARKETPLACE]: { source: { source: 'directory', path: marketplaceDir } } },
    enabledPlugins: { [id]: true },
    pluginConfigs: { [id]: { options: { inboxDir } } },
  }
}

// ---- Sessions ----

interface Session {
  name: string
  claude: InteractiveClaude
  mock: AnthropicMock
  sessionId: string
  pid: number
  debugFile: string
}

function script(h: Helpers, name: string, firstDelayMs = 0): Turn[] {
  return Array.from({ length: 2 * N + 3 }, (_, i) =>
    h.mock.turn.text(`${name}: step ${i + 1} done. Shall I go on with step ${i + 2}?`, {
      delayMs: i === 0 ? firstDelayMs : 0,
    }),
  )
}

async function startSession(
  h: Helpers,
  e2e: E2E,
  kill: Array<() => Promise<void>>,
  opts: { name: string; settings: Json; firstDelayMs?: number; env?: Record<string, string> },
): Promise<Session> {
  const settingsPath = join(e2e.root, `settings-${opts.name}.json`)
  writeFileSync(settingsPath, JSON.stringify(opts.settings, null, 2))
  const mock = await e2e.mock(script(h, opts.name, opts.firstDelayMs))
  const cwd = e2e.project(opts.name)
  const debugFile = join(e2e.root, `debug-${opts.name}.log`)
  const claude = await h.claude.startInteractiveClaude({
    cwd,
    home: e2e.newHome(opts.name),
    settingsPath,
    mockUrl: mock.url,
    extraArgs: ['--debug-file', debugFile],
    env: opts.env ?? {},
  })
  kill.push(() => claude.kill())
  await claude.waitForScreen(READY, 30_000)
  const pid = await h.e2e.waitFor(() => claudePid(settingsPath), 5000, `the claude process of ${opts.name}`)
  const agent = await e2e.agentIn(cwd, 15_000)
  return { name: opts.name, claude, mock, sessionId: agent.sessionId, pid, debugFile }
}

/** CPU each session's process tree uses while nobody talks to it: all measured over the same window. */
async function measureIdle(sessions: Array<{ s: Session; label: string }>): Promise<IdleRow[]> {
  const before = sessions.map(({ s }) => ({ cpu: treeCpu(s.pid), log: fileSize(s.debugFile) }))
  const t0 = performance.now()
  await sleep(IDLE_SEC * 1000)
  const minutes = (performance.now() - t0) / 60_000
  return sessions.map(({ s, label }, i) => {
    const after = treeCpu(s.pid)
    return {
      session: label,
      cpuMsPerMin: (after.ms - before[i]!.cpu.ms) / minutes,
      processes: after.processes,
      debugBytesPerMin: (fileSize(s.debugFile) - before[i]!.log) / minutes,
    }
  })
}

/** A round that could not run: what tend and the terminal showed instead. */
class LostRound extends Error {}

/** The session's timeline, oldest first: name, origin, and when each event ran and reached the receiver. */
function timelineLines(detail: Awaited<ReturnType<E2E['agent']>>): string[] {
  const t0 = detail.timeline[0]?.occurredAt ?? 0
  return detail.timeline.map(
    (e) =>
      `#${e.seq} ${e.name}${e.origin ? `(${e.origin})` : ''} ran +${e.occurredAt - t0} ms, received +${e.receivedAt - t0} ms${e.late ? ' LATE' : ''}`,
  )
}

/**
 * Waits until the agent has stopped after its last model call (its Stop recorded by the receiver); then, when
 * the path answers a wait, until tend shows that wait open (a wait other than `previous`) and `ready()` holds.
 */
async function nextStop(
  h: Helpers,
  e2e: E2E,
  s: Session,
  opts: { previous: string | null; needsWait: boolean; ready: () => boolean },
): Promise<string | null> {
  let turns = s.mock.modelRequests().length
  const lost = async (what: string): Promise<never> => {
    const detail = await e2e.agent(s.sessionId).catch(() => null)
    const shown = detail
      ? `tend shows ${detail.agent.state}, open wait ${detail.agent.wait?.id ?? 'none'}, after ${turns} model calls; timeline:\n${timelineLines(detail).join('\n')}`
      : 'tend does not know the session'
    throw new LostRound(`${s.name}: ${what}; ${shown}`)
  }
  // Before the first round, the prompt typed to start the steps reaches the model.
  await h.e2e
    .waitFor(() => s.mock.modelRequests().length >= 1, ROUND_TIMEOUT_MS, 'a model call')
    .catch(() => lost('the first prompt never reached the model'))
  turns = s.mock.modelRequests().length
  await h.e2e
    .waitFor(
      async () =>
        (await e2e.agent(s.sessionId)).timeline.filter((e) => e.name === 'Stop').length >= turns &&
        s.mock.modelRequests().length === turns,
      ROUND_TIMEOUT_MS,
      'the Stop',
    )
    .catch(() => lost(`no Stop after model call ${turns}`))
  if (!opts.needsWait) return null
  return h.e2e
    .waitFor(
      async () => {
        const { agent } = await e2e.agent(s.sessionId)
        const id = agent.wait?.id
        return agent.state.startsWith('blocked') && id !== undefined && id !== opts.previous && opts.ready() && id
      },
      5000,
      'an open wait',
    )
    .catch(() => lost('the agent stopped, but no wait to answer opened within 5 s'))
}

/**
 * N rounds: wait for the agent to stop, deliver a reply, time from the delivery call's return to the model
 * request whose last user message carries it. A round that cannot run ends the path (the note says why).
 */
async function latencyRounds(
  h: Helpers,
  e2e: E2E,
  s: Session,
  notes: string[],
  opts: {
    /** Tells this run's replies from the session's other runs. */
    tag: string
    /** The path answers tend's open wait (the API needs its id). */
    needsWait: boolean
    ready?: () => boolean
    deliver(waitId: string | null, text: string): Promise<void>
    expected(text: string): string
  },
): Promise<{ ms: number[]; exact: number }> {
  const ms: number[] = []
  let exact = 0
  let previous: string | null = null
  try {
    for (let i = 1; i <= N; i++) {
      previous = await nextStop(h, e2e, s, { previous, needsWait: opts.needsWait, ready: opts.ready ?? (() => true) })
      const text = `${s.name} ${opts.tag} reply ${i}: yes, go on`
      const carries = (r: Parameters<typeof h.mock.lastUserText>[0]) =>
        r.kind === 'model' && h.mock.lastUserText(r).includes(text)
      const seen = s.mock.waitForRequests(1, ROUND_TIMEOUT_MS, carries)
      seen.catch(() => undefined) // awaited below, unless the delivery fails first
      await opts.deliver(previous, text)
      const delivered = Date.now()
      const [request] = await seen.catch(() => {
        throw new LostRound(`${s.name}: reply ${i} (${opts.tag}) never reached the model in ${ROUND_TIMEOUT_MS} ms`)
      })
      ms.push(request!.at - delivered)
      if (h.mock.lastUserText(request!) === opts.expected(text)) exact++
    }
    // The last reply's turn ends too: the next run (or the session's notes) starts from a stopped agent.
    await nextStop(h, e2e, s, { previous, needsWait: false, ready: () => true })
  } catch (err) {
    notes.push(
      `LOST after ${ms.length} of ${N} rounds (${opts.tag}): ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  return { ms, exact }
}

async function api(e2e: E2E, path: string, body: object): Promise<void> {
  const token = readFileSync(join(e2e.env['TEND_HOME']!, 'token'), 'utf8').trim()
  const res = await fetch(`http://127.0.0.1:${e2e.env['TEND_PORT']}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${text}`)
}

const answer = (e2e: E2E) => (waitId: string | null, text: string) =>
  api(e2e, `/v1/waits/${waitId}/answer`, { action: 'reply', text, via: 'api' })

const debugLines = (s: Session): string[] =>
  existsSync(s.debugFile) ? readFileSync(s.debugFile, 'utf8').split('\n') : []

/** From Claude Code's debug log: ms from each `$.prompt.submit (<plugin>)` to the next main-thread model request. */
function submitToRequestMs(s: Session, plugin: string): number[] {
  const out: number[] = []
  let submitted: number | null = null
  for (const line of debugLines(s)) {
    const at = Date.parse(line.slice(0, 24))
    if (line.includes(`$.prompt.submit (${plugin})`)) submitted = at
    else if (submitted !== null && line.includes('[API REQUEST] /v1/messages source=repl_main_thread')) {
      out.push(at - submitted)
      submitted = null
    }
  }
  return out
}

/**
 * One line on a session: its debug log's ERROR/WARN lines and its mods' own errors (each message also filed
 * in `errors` with the sessions that logged it), and what tend made of the session.
 */
async function sessionNote(e2e: E2E, s: Session, errors: Map<string, string[]>): Promise<string> {
  const lines = debugLines(s)
  const logged = lines.filter((l) => /\[(ERROR|WARN)\]/.test(l))
  const fromMods = lines.filter(
    (l) => /\((tend|inbox-poll)\)|tend:|inbox-poll:/.test(l) && /error|fail|refused|retrying/i.test(l),
  )
  for (const line of new Set([...fromMods, ...logged].map((l) => l.replace(/^\S+\s+/, '').slice(0, 140)))) {
    errors.set(line, [...(errors.get(line) ?? []), s.name])
  }
  const detail = await e2e.agent(s.sessionId).catch(() => null)
  const late = detail?.timeline
    .filter((e) => e.late)
    .map((e) => `#${e.seq} ${e.name}${e.origin ? `(${e.origin})` : ''}`)
  const tend = detail
    ? `tend shows it ${detail.agent.state}, ${late!.length} of ${detail.timeline.length} events late${late!.length ? ` (${late!.join(', ')})` : ''}`
    : 'tend does not know it'
  return `${s.name}: debug log ${lines.length} lines, ${logged.length} ERROR/WARN, ${fromMods.length} mod errors; ${tend}`
}

export async function runModBench(): Promise<ModBench> {
  header(`mod: reply latency and idle cost of reply delivery on Claude Code ${VERSION} (${N} replies per path)`)
  const load = loadLine()
  const h = await loadHelpers()
  const ctx = benchContext()
  const kill: Array<() => Promise<void>> = []
  const notes: string[] = []
  const latency: LatencyRow[] = []
  const idle: IdleRow[] = []
  const errors = new Map<string, string[]>()
  const end = async (e2e: E2E, s: Session) => {
    notes.push(await sessionNote(e2e, s, errors))
    await s.claude.kill()
    if (KEEP_LOGS) {
      mkdirSync(KEEP_LOGS, { recursive: true })
      if (existsSync(s.debugFile)) copyFileSync(s.debugFile, join(KEEP_LOGS, basename(s.debugFile)))
    }
  }
  try {
    const e2e = await h.e2e.setupE2E(ctx.t)
    const home = e2e.env['TEND_HOME']!
    mkdirSync(home, { recursive: true })
    // Away only when the bench says so; no cap on consecutive Stop blocks (the fallback answers N in a row).
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({
        holds: { autoAwayAfterSec: 0, stopBlockCap: 0 },
        notify: { desktop: { enabled: false }, slack: { enabled: false } },
      }),
    )
    const server: RunningServer = await e2e.startReceiver()
    const { services } = server
    const installed = JSON.parse(readFileSync(e2e.settingsPath, 'utf8')) as Json

    // Four sessions, started one after the other: tend's settings without its plugin (the idle baseline and
    // the fallback path), with tend's mod, with the inbox-polling mod instead, and with a mod that does nothing.
    const hook = await startSession(h, e2e, kill, {
      name: 'hook',
      settings: withoutTendPlugin(installed),
      firstDelayMs: 3000,
      env: { CLAUDE_CODE_STOP_HOOK_BLOCK_CAP: String(N + 10) },
    })
    const mod = await startSession(h, e2e, kill, { name: 'mod', settings: installed })
    const market = join(e2e.root, 'inbox-marketplace')
    const inboxDir = join(home, 'inbox')
    writeBenchPlugins(market)
    const inbox = await startSession(h, e2e, kill, {
      name: 'inbox',
      settings: withBenchPlugin(installed, market, INBOX_PLUGIN, inboxDir),
    })
    // Idle only: the fixed cost of a mod, apart from what it does.
    const noop = await startSession(h, e2e, kill, {
      name: 'noop',
      settings: withBenchPlugin(installed, market, NOOP_PLUGIN, inboxDir),
    })
    await h.e2e.waitFor(() => services.inbox.connected(mod.sessionId), 15_000, 'the mod polling')
    const sessionInbox = join(inboxDir, inbox.sessionId)
    const inboxReady = await h.e2e
      .waitFor(() => existsSync(join(sessionInbox, '.ready')), 15_000, 'the inbox mod')
      .then(
        () => true,
        () => false,
      )
    if (!inboxReady) {
      notes.push('inbox mod: no .ready file ($.fs.write refused?): the bench made the folder itself')
      mkdirSync(sessionInbox, { recursive: true })
    }

    // Idle: nobody has typed yet; all three measured over the same window, once the last has settled.
    await sleep(SETTLE_SEC * 1000)
    idle.push(
      ...(await measureIdle([
        { s: hook, label: 'no plugin (tend hooks only)' },
        { s: mod, label: "tend's mod (long-poll, 25 s window)" },
        { s: inbox, label: `inbox mod ($.fs.list every ${INBOX_POLL_MS} ms)` },
        { s: noop, label: 'a mod that does nothing (its worker only)' },
      ])),
    )
    await end(e2e, noop)

    // 1. tend's mod: the reply is queued, the open long-poll answers, the mod submits it as the person's prompt.
    await mod.claude.sendText('start the steps')
    const modRun = await latencyRounds(h, e2e, mod, notes, {
      tag: 'via mod',
      needsWait: true,
      ready: () => services.inbox.connected(mod.sessionId),
      deliver: answer(e2e),
      expected: (text) => text,
    })
    latency.push({
      path: "tend's mod: POST answer → long-poll → submit",
      ms: summarize(modRun.ms),
      exact: modRun.exact,
      shape: 'the reply, as is',
      inClaude: summarize(submitToRequestMs(mod, 'tend')),
    })
    // The floor of any path that starts a new turn: the person typing the reply in the terminal.
    const typedRun = await latencyRounds(h, e2e, mod, notes, {
      tag: 'typed',
      needsWait: false,
      async deliver(_waitId, text) {
        await mod.claude.sendKeys('-l', text)
        await sleep(400) // as sendText: the Enter arrives as its own keystroke
        await mod.claude.sendKeys('Enter')
      },
      expected: (text) => text,
    })
    latency.push({
      path: 'baseline: typed in the terminal (Enter → request)',
      ms: summarize(typedRun.ms),
      exact: typedRun.exact,
      shape: 'the reply, as is',
    })
    await end(e2e, mod)

    // 2. The polling alternative: the reply is a file in the session's inbox folder.
    await inbox.claude.sendText('start the steps')
    let seq = 0
    const inboxRun = await latencyRounds(h, e2e, inbox, notes, {
      tag: 'via file',
      needsWait: false,
      async deliver(_waitId, text) {
        // Whole or not at all: written under another name, renamed into place.
        const name = String(++seq).padStart(4, '0')
        writeFileSync(join(sessionInbox, `${name}.tmp`), text)
        renameSync(join(sessionInbox, `${name}.tmp`), join(sessionInbox, `${name}.txt`))
      },
      expected: (text) => text,
    })
    latency.push({
      path: `inbox mod: file renamed in → next ${INBOX_POLL_MS} ms poll → submit`,
      ms: summarize(inboxRun.ms),
      exact: inboxRun.exact,
      shape: 'the reply, as is',
      inClaude: summarize(submitToRequestMs(inbox, INBOX_PLUGIN)),
    })
    await end(e2e, inbox)

    // 3. The fallback: away, each Stop held and answered with {"decision":"block","reason": reply}.
    await hook.claude.sendText('start the steps')
    // The typed prompt counts as the person being here; they step away while the first turn runs.
    await h.e2e.waitFor(
      async () => (await e2e.agent(hook.sessionId)).agent.state === 'working',
      10_000,
      'the prompt recorded',
    )
    services.setAway(true)
    const held = () => services.holds.list().some((x) => x.sessionId === hook.sessionId)
    const hookRun = await latencyRounds(h, e2e, hook, notes, {
      tag: 'via Stop block',
      needsWait: true,
      ready: held,
      deliver: answer(e2e),
      expected: (text) => h.claude.stopHookFeedback(text),
    })
    latency.push({
      path: 'fallback: POST answer → held Stop → {"decision":"block"}',
      ms: summarize(hookRun.ms),
      exact: hookRun.exact,
      shape: 'hook feedback (system-reminder)',
    })
    services.setAway(false) // the last Stop, still held, goes back to its terminal
    await end(e2e, hook)
  } finally {
    for (const k of kill.reverse()) await k().catch(() => undefined)
    await ctx.teardown()
  }

  const baseline = idle.find((r) => r.session.startsWith('no plugin'))
  const base = baseline?.cpuMsPerMin ?? Number.NaN
  const latencyTable = textTable(
    [
      'reply path (ms from the delivery call to the model request)',
      'median',
      'p90',
      'max',
      'n',
      'of it: submit → request',
      'the model gets',
    ],
    latency.map((r) => [
      r.path,
      f1(r.ms.median),
      f1(r.ms.p90),
      f1(r.ms.max),
      String(r.ms.n),
      r.inClaude ? f1(r.inClaude.median) : '',
      `${r.shape} (${r.exact}/${r.ms.n})`,
    ]),
  )
  const idleTable = textTable(
    [
      `idle interactive session (${IDLE_SEC} s, all at once, ${SETTLE_SEC} s after start)`,
      'CPU ms/min',
      '% of a core',
      'vs no plugin',
      'procs',
      'debug log B/min',
    ],
    (baseline ? [baseline, ...idle.filter((r) => r !== baseline)] : idle).map((r) => [
      r.session,
      f1(r.cpuMsPerMin),
      f2(r.cpuMsPerMin / 600),
      r === baseline ? 'baseline' : `${r.cpuMsPerMin - base >= 0 ? '+' : ''}${f1(r.cpuMsPerMin - base)}`,
      String(r.processes),
      f1(r.debugBytesPerMin),
    ]),
  )
  const footer = [
    `(${load} at the start, ${loadLine()} at the end; Claude Code ${VERSION}, --debug-file on in every session;`,
    ` "of it: submit → request" is the median from $.prompt.submit to the model request in Claude Code's debug log)`,
  ].join('')
  const logged = [...errors].map(([line, where]) => `  ${where.join(', ')}: ${line}`)
  process.stdout.write(`${latencyTable}\n\n${idleTable}\n${footer}\n${[...notes, ...logged].join('\n')}\n`)
  return { version: VERSION, n: N, latency, idle, notes, load }
}

if (isMain(import.meta.url)) await runModBench()
