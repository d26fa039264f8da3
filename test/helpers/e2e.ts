// E2E harness: temp TEND_HOME + HOME, a real receiver, settings from the real `tend install`, the mock model API, real Claude Code.
import { spawn, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { hc, type InferResponseType } from 'hono/client'
import type { AppType } from '../../src/server/app.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer, type StartOptions } from '../../src/server/serve.ts'
import { startAnthropicMock, turn, type AnthropicMock, type Turn } from '../fakes/anthropic-mock.ts'
import {
  CLAUDE_BIN,
  CLAUDE_VERSION,
  requireTool,
  runClaude,
  startInteractiveClaude,
  type InteractiveClaude,
  type RunResult,
} from './claude.ts'
import { runTend, TEND_BIN } from './cli.ts'
import { installInto } from '../../src/cli/install.ts'
import { freePort, runHook, type HookRun } from './hook.ts'
import { waitFor as pollUntil } from './wait-for.ts'

/** Polls `check` until it gives a truthy value, and returns it: `waitFor(async () => ok && detail, ms, what)`. */
export function waitFor<T>(
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  return pollUntil(check, timeoutMs, what) as Promise<T>
}

// The API's shapes as its routes type them (hc<AppType>): one source for routes, the CLI and the tests.
type Client = ReturnType<typeof hc<AppType>>
export type AgentDetail = InferResponseType<Client['v1']['agents'][':ref']['$get'], 200>
export type Listed = InferResponseType<Client['v1']['agents']['$get'], 200>['agents'][number]
export type TimelineEntry = AgentDetail['timeline'][number]
export type WaitEntry = AgentDetail['waits'][number]

/** A sync hook of the person's own (user settings) that holds Claude Code at one event until the test opens it. */
export interface Gate {
  /** Resolves once Claude Code has reached the gated event (the hook runs). */
  reached(timeoutMs?: number): Promise<void>
  /** Whether Claude Code has run the gated hook so far (no waiting). */
  wasReached(): boolean
  open(): void
}

export interface E2E {
  root: string
  /** HOME for tend's CLI and for Claude Code (its ~/.claude holds the gates). */
  home: string
  /** What the hooks and the CLI are pinned to: TEND_HOME, HOME, TEND_PORT. */
  env: Record<string, string>
  settingsPath: string
  /** The receiver in this process (startServer), on the pinned port. */
  startReceiver(opts?: Partial<StartOptions>): Promise<RunningServer>
  /** The receiver as a user runs it: `tend serve` in a subprocess; resolves once it listens. */
  serve(): Promise<{ stop(): Promise<void> }>
  stopReceiver(): Promise<void>
  /** A fresh project directory (realpath: Claude Code reports cwd resolved). */
  project(name: string): string
  /** Another HOME, for a session that needs its own gates. */
  newHome(name: string): string
  mock(script: Turn[]): Promise<AnthropicMock>
  claude(opts: { prompt: string; cwd: string; mock: AnthropicMock; home?: string }): Promise<RunResult>
  interactive(opts: { cwd: string; mock: AnthropicMock }): Promise<InteractiveClaude>
  gate(event: string, opts?: { matcher?: string; home?: string; name?: string }): Gate
  /** Adds a hook group of the person's own to HOME/.claude/settings.json, beside tend's. */
  userHook(event: string, group: object, home?: string): void
  agents(all?: boolean): Promise<Listed[]>
  agent(ref: string): Promise<AgentDetail>
  /** Polls one agent until `ok(detail)`; a timeout says what tend showed instead. */
  until(sessionId: string, ok: (d: AgentDetail) => boolean, what: string, timeoutMs?: number): Promise<AgentDetail>
  /** The one agent whose cwd is `cwd`, once the receiver knows it. */
  agentIn(cwd: string, timeoutMs?: number): Promise<Listed>
  /** `tend status --json`, and the table a person reads. */
  status(): Promise<{ agents: Listed[] }>
  statusTable(): Promise<string>
  /** Posts a payload through the real hooks/tend-hook, as Claude Code would. */
  hook(body: object, args?: string[]): Promise<HookRun>
}

/** Builds everything in one temp dir; the test's `after` tears it all down, newest first. */
export async function setupE2E(t: TestContext): Promise<E2E> {
  // Fail loudly (never skip) when the machine lacks what the e2e tests drive.
  requireTool('claude')
  requireTool('curl')
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'tend-e2e-')))
  const home = join(root, 'home')
  mkdirSync(home)
  const port = await freePort()
  const env = { TEND_HOME: join(root, 'tend'), HOME: home, TEND_PORT: String(port) }
  const settingsPath = join(root, 'settings.json')
  const cleanups: Array<() => unknown> = []
  const gateFiles: string[] = []
  const runs: Array<Promise<unknown>> = []
  t.after(async () => {
    // A failed test may leave sessions at a gate: let them go and finish before anything else is torn down.
    for (const f of gateFiles) writeFileSync(f, '')
    await Promise.allSettled(runs)
    for (const c of cleanups.reverse()) await c()
    rmSync(root, { recursive: true, force: true })
  })

  // The install `tend install` runs (its CLI is tested in test/integration/install.test.ts), for the Claude
  // Code under test, as if on PATH: TEND_HOME and TEND_PORT in env pin the hook commands to this receiver.
  installInto(settingsPath, { bin: CLAUDE_BIN, version: CLAUDE_VERSION }, env)

  let server: RunningServer | null = null
  let token: string | null = null
  const api = async <T>(path: string): Promise<T> => {
    token ??= readFileSync(join(env.TEND_HOME, 'token'), 'utf8').trim()
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } })
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  const e2e: E2E = {
    root,
    home,
    env,
    settingsPath,
    async startReceiver(opts = {}) {
      // No ping channels: a test must never pop a real desktop notification.
      server = await startServer(loadConfig(env), { log: silentLogger, port, channels: () => [], ...opts })
      cleanups.push(() => e2e.stopReceiver())
      return server
    },
    async serve() {
      const child = spawn(process.execPath, [TEND_BIN, 'serve', '--quiet'], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const stop = () => stopChild(child)
      cleanups.push(stop)
      await waitForOutput(child, /tend: listening on/, 15_000)
      return { stop }
    },
    async stopReceiver() {
      const s = server
      server = null
      await s?.close()
    },
    project(name) {
      const dir = join(root, 'projects', name)
      mkdirSync(dir, { recursive: true })
      return dir
    },
    newHome(name) {
      const dir = join(root, `home-${name}`)
      mkdirSync(dir, { recursive: true })
      return dir
    },
    async mock(script) {
      const m = await startAnthropicMock(script)
      cleanups.push(() => m.close())
      return m
    },
    claude({ prompt, cwd, mock, home: h = home }) {
      // Claude Code does not wait for StopFailure hooks: give such stragglers time to post before the kill.
      const run = runClaude({
        prompt,
        cwd,
        home: h,
        settingsPath,
        mockUrl: mock.url,
        stragglerGraceMs: 2000,
      })
      runs.push(run)
      return run
    },
    async interactive({ cwd, mock }) {
      const claude = await startInteractiveClaude({ cwd, home, settingsPath, mockUrl: mock.url })
      cleanups.push(() => claude.kill())
      return claude
    },
    gate(event, { matcher, home: h = home, name = `${event}-${matcher ?? 'all'}` } = {}) {
      const dir = join(root, 'gates')
      mkdirSync(dir, { recursive: true })
      const reachedFile = join(dir, `${name}.reached`)
      const openFile = join(dir, `${name}.open`)
      const command = `cat >/dev/null; touch '${reachedFile}'; while [ ! -e '${openFile}' ]; do sleep 0.02; done`
      e2e.userHook(event, { ...(matcher ? { matcher } : {}), hooks: [{ type: 'command', command, timeout: 60 }] }, h)
      gateFiles.push(openFile)
      return {
        reached: async (timeoutMs = 40_000) =>
          void (await waitFor(() => existsSync(reachedFile), timeoutMs, `gate ${name}`)),
        wasReached: () => existsSync(reachedFile),
        open: () => writeFileSync(openFile, ''),
      }
    },
    userHook(event, group, h = home) {
      const path = join(h, '.claude', 'settings.json')
      mkdirSync(join(h, '.claude'), { recursive: true })
      const settings = existsSync(path)
        ? (JSON.parse(readFileSync(path, 'utf8')) as { hooks?: Record<string, object[]> })
        : {}
      const hooks = settings.hooks ?? {}
      hooks[event] = [...(hooks[event] ?? []), group]
      writeFileSync(path, JSON.stringify({ ...settings, hooks }, null, 2))
    },
    agents: async (all = true) => (await api<{ agents: Listed[] }>(`/v1/agents${all ? '?all=1' : ''}`)).agents,
    agent: (ref) => api<AgentDetail>(`/v1/agents/${encodeURIComponent(ref)}`),
    async until(sessionId, ok, what, timeoutMs = 20_000) {
      let last: AgentDetail | null = null
      return waitFor(
        async () => {
          last = await e2e.agent(sessionId).catch(() => null)
          return last !== null && ok(last) && last
        },
        timeoutMs,
        what,
      ).catch((err: Error) => {
        const seen = last as AgentDetail | null
        const shown = seen ? `${seen.agent.state}; timeline: ${timelineNames(seen).join(' ')}` : 'no such agent'
        throw new Error(`${err.message}\ntend shows ${shown}`)
      })
    },
    async agentIn(cwd, timeoutMs = 20_000) {
      return waitFor(async () => (await e2e.agents()).find((a) => a.cwd === cwd), timeoutMs, `an agent in ${cwd}`)
    },
    async status() {
      const run = await runTend(['status', '--json'], env)
      if (run.code !== 0) throw new Error(`tend status failed: ${run.stderr}`)
      return JSON.parse(run.stdout) as { agents: Listed[] }
    },
    async statusTable() {
      // As wide as it likes: the tests read whole cells (a terminal's width is tested in status-cli).
      const run = await runTend(['status', '--width', '1000'], env)
      if (run.code !== 0) throw new Error(`tend status failed: ${run.stderr}`)
      return run.stdout
    },
    hook: (body, args = ['observe']) => runHook(body, env, args),
  }
  return e2e
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms; output:\n${out}`)),
      timeoutMs,
    )
    const onData = (d: Buffer) => {
      out += d.toString()
      if (pattern.test(out)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited (${code}) before ${String(pattern)}; output:\n${out}`))
    })
  })
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** Names of the timeline, with the tool for tool events: ['PreToolUse:Bash', …]. */
export function timelineNames(d: AgentDetail, opts: { subagents?: boolean } = {}): string[] {
  return d.timeline
    .filter((e) => opts.subagents !== false || e.subagentId === null)
    .map((e) => (e.toolName ? `${e.name}:${e.toolName}` : e.name))
}

/**
 * A session's timeline as [lifecycle events, tool calls in call order (by tool_use_id, each with its events)].
 * Pre and Post of one fast call are async hooks racing each other, so their stamps may invert; that race has
 * its own test, and this shape stays stable across it.
 */
export function sessionShape(d: AgentDetail): { lifecycle: string[]; calls: string[] } {
  const calls = new Map<string, Set<string>>()
  for (const e of d.timeline) {
    if (!e.toolUseId || e.subagentId) continue
    calls.set(e.toolUseId, (calls.get(e.toolUseId) ?? new Set()).add(`${e.name}:${e.toolName}`))
  }
  return {
    lifecycle: d.timeline.filter((e) => !e.toolUseId || e.subagentId).map((e) => e.name),
    calls: [...calls].map(([id, names]) => `${id} ${[...names].sort().join(' ')}`),
  }
}

/** A receiver with no ping channels and no auto-away: the person is away only after `tend away`. */
export async function setupAwayE2E(t: TestContext) {
  const e2e = await setupE2E(t)
  mkdirSync(e2e.env['TEND_HOME']!, { recursive: true })
  writeFileSync(join(e2e.env['TEND_HOME']!, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  const server = await e2e.startReceiver()
  /** Runs `tend …` with this install's environment; a failure fails the test with its stderr. */
  const tend = async (...args: string[]) => {
    const run = await runTend(args, e2e.env)
    if (run.code !== 0) throw new Error(`tend ${args.join(' ')} exited ${run.code}: ${run.stderr}`)
    return run.stdout
  }
  return { e2e, services: server.services, tend }
}

/**
 * A `-p` session whose model calls all fail with HTTP 400, run until tend has its StopFailure. Claude Code
 * 2.1.332 signals the process group of a hook still running at exit (SIGTERM, then SIGKILL 1.5 s later); the
 * StopFailure observer ignores SIGTERM from its command's first word, yet on a busy machine the event is still
 * lost now and then: the hook leaves neither the event nor its spooled copy (listed in the README's failure
 * modes). Then the session is run once more, in a project of its own.
 */
export async function runUntilStopFailure(e2e: E2E, project: string, attempts = 2) {
  for (let attempt = 1; ; attempt++) {
    const cwd = e2e.project(attempt === 1 ? project : `${project}-${attempt}`)
    const mock = await e2e.mock(
      Array.from({ length: 8 }, () => turn.error(400, 'invalid_request_error', 'mock bad request')),
    )
    // Held at SessionEnd so the StopFailure hook has posted before the process exits (2.1.197 does not wait
    // for it). Under load 2.1.197 skips SessionEnd when that hook is still running at exit: then the run ends
    // without reaching the gate, and the StopFailure the hook spooled first is replayed.
    const atEnd = e2e.gate('SessionEnd', { name: `SessionEnd-${attempt}` })
    const run = e2e.claude({ prompt: 'go', cwd, mock })
    let exited = false
    void run.finally(() => (exited = true))
    await waitFor(() => atEnd.wasReached() || exited, 40_000, 'SessionEnd or the end of the run')
    const agent = await e2e.agentIn(cwd)
    // Claude Code is done with the StopFailure hook by now (it waits for it, or kills it, before SessionEnd):
    // the event is stored, or spooled (the receiver replays the file as it appears), or was never delivered.
    const spoolDir = join(e2e.env['TEND_HOME']!, 'spool')
    const spooled = () => existsSync(spoolDir) && readdirSync(spoolDir).some((f) => /\.(json|tmp)$/.test(f))
    const settled = Date.now() + 3_000
    const atFailure = await waitFor(
      async () => {
        const d = await e2e.agent(agent.sessionId)
        if (timelineNames(d).includes('StopFailure')) return d
        return !spooled() && Date.now() > settled && attempt < attempts ? 'lost' : null
      },
      35_000,
      'StopFailure',
    ).then((r) => (r === 'lost' ? null : r))
    atEnd.open()
    const res = await run
    if (atFailure) return { mock, agent, atFailure, res, sessionEndRan: atEnd.wasReached() }
  }
}
