// Nothing poisons tend, nothing kills it, nothing is lost in silence: the spool's invariants, one
// receiver per data directory, the bound on live agents, and a store that cannot write (a fault
// injected into the real SQLite file, and a real full tmpfs in a user namespace where the machine allows it).
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig, type Config } from '../../src/config.ts'
import type { Logger } from '../../src/log.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { createSpool, STALE_TMP_MS } from '../../src/service/spool.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { tempHome } from '../helpers/app.ts'
import { freePort, HOOK, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { TEND_BIN } from '../helpers/cli.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Logged {
  level: string
  msg: string
  fields: Record<string, unknown>
}
function captureLog(): { log: Logger; lines: Logged[] } {
  const lines: Logged[] = []
  const at =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, msg, fields })
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines }
}

async function setup(opts: { tweak?: (c: Config) => Config; log?: Logger; sweepEveryMs?: number } = {}) {
  const home = tempHome()
  cleanups.push(home.cleanup)
  const port = await freePort()
  const env = {
    TEND_HOME: home.dir,
    TEND_PORT: String(port),
    HOME: home.dir,
    XDG_RUNTIME_DIR: join(home.dir, 'run'),
  }
  mkdirSync(env.XDG_RUNTIME_DIR)
  const config = (opts.tweak ?? ((c) => c))(loadConfig(env))
  let server: RunningServer | null = null
  const start = async () => {
    server = await startServer(config, { log: opts.log ?? silentLogger, sweepEveryMs: opts.sweepEveryMs })
    cleanups.push(() => server?.close())
    return server
  }
  const spoolDir = config.paths.spoolDir
  const spooled = () => {
    try {
      return readdirSync(spoolDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    } catch {
      return []
    }
  }
  const rejected = () => {
    try {
      return readdirSync(join(spoolDir, 'rejected')).sort()
    } catch {
      return []
    }
  }
  const reasonOf = (file: string) => readFileSync(join(spoolDir, 'rejected', `${file}.reason`), 'utf8')
  const api = async (path: string, init: RequestInit = {}) => {
    const token = readFileSync(config.paths.tokenFile, 'utf8').trim()
    return fetch(`http://127.0.0.1:${port}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    })
  }
  return { env, config, port, start, spooled, rejected, reasonOf, api, server: () => server! }
}

const SID = payload('UserPromptSubmit').session_id
const event = (key: string, extra: Record<string, unknown> = {}) => payload(key, { session_id: SID, ...extra })
const countEvents = (s: RunningServer) =>
  (s.services.store.sqlite.prepare('select count(*) n from events').get() as { n: number }).n

/** The real `tend serve` as a subprocess (bin/tend; the helper rebuilds dist/ when src/ is newer). */
function serveProcess(env: Record<string, string>, prefix: string[] = []): ChildProcess & { output(): string } {
  const [cmd, ...args] = [...prefix, process.execPath, TEND_BIN, 'serve']
  const child = spawn(cmd!, args, { env: { PATH: process.env['PATH'] ?? '', ...env } })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return Object.assign(child, { output: () => output })
}
const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  )

/** `tend doctor`'s output, run asynchronously (a receiver answering it may run in this process). */
async function doctor(env: Record<string, string>): Promise<string> {
  const cli = spawn(process.execPath, [TEND_BIN, 'doctor', '--settings', '/dev/null'], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
  })
  let stdout = ''
  cli.stdout.on('data', (d) => (stdout += d))
  await exited(cli)
  return stdout
}

describe('the spool: each file is stored, or set aside with its reason; none is stuck', () => {
  it('a directory with a spool name, a cut-off file and a non-event are set aside; the events behind them are stored', async () => {
    const s = await setup()
    const t0 = Date.now() - 60_000
    mkdirSync(join(s.config.paths.spoolDir, `${t0}-1-0.json`), { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, `${t0 + 1}-2-0.json`), '{"session_id": "cut')
    writeFileSync(join(s.config.paths.spoolDir, `${t0 + 2}-3-0.json`), '{"hello": "world"}')
    // Two real events spooled by the hook with the receiver down, after the bad files.
    for (const key of ['UserPromptSubmit', 'PreToolUse']) assert.equal((await runHook(event(key), s.env)).code, 0)
    assert.equal(s.spooled().length, 5)

    const server = await s.start()
    assert.deepEqual(s.spooled(), [], 'nothing left behind')
    assert.deepEqual(s.rejected(), [
      `${t0}-1-0.json`,
      `${t0}-1-0.json.reason`,
      `${t0 + 1}-2-0.json`,
      `${t0 + 1}-2-0.json.reason`,
      `${t0 + 2}-3-0.json`,
      `${t0 + 2}-3-0.json.reason`,
    ])
    assert.match(s.reasonOf(`${t0}-1-0.json`), /unreadable \(EISDIR\)/)
    assert.match(s.reasonOf(`${t0 + 1}-2-0.json`), /not JSON/)
    assert.match(s.reasonOf(`${t0 + 2}-3-0.json`), /not a hook event: session_id/)
    assert.deepEqual(
      getAgentDetail(server.services.store.db, SID)!.timeline.map((e) => e.name),
      ['UserPromptSubmit', 'PreToolUse'],
    )
    const health = (await (await s.api('/healthz')).json()) as { pendingSpool: number }
    assert.equal(health.pendingSpool, 0)
  })

  it('a .tmp left by a killed hook is replayed once stale (a cut-off one set aside); a fresh one is left to its hook', async () => {
    const s = await setup()
    const old = Date.now() - STALE_TMP_MS - 60_000
    const dir = s.config.paths.spoolDir
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `.${old}-7-0.tmp`), JSON.stringify(event('UserPromptSubmit')))
    writeFileSync(join(dir, `.${old + 1}-8-0.tmp`), '{"session_id":"')
    writeFileSync(join(dir, `.${Date.now()}-9-0.tmp`), '{"session_id":"')
    const stale = new Date(old)
    utimesSync(join(dir, `.${old}-7-0.tmp`), stale, stale)
    utimesSync(join(dir, `.${old + 1}-8-0.tmp`), stale, stale)

    const server = await s.start()
    assert.equal(getAgentDetail(server.services.store.db, SID)!.timeline[0]!.occurredAt, old)
    assert.deepEqual(s.rejected(), [`${old + 1}-8-0.json`, `${old + 1}-8-0.json.reason`])
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [readdirSync(dir).find((f) => f.endsWith('-9-0.tmp'))],
      'the fresh one is untouched',
    )
  })

  it('a hook with a CLAUDE_PID that is no number spools a file the replay takes; a .json of another name is set aside', async () => {
    const s = await setup()
    const run = await runHook(event('UserPromptSubmit'), { ...s.env, CLAUDE_PID: '12 abc' })
    assert.equal(run.code, 0)
    assert.equal(s.spooled().length, 1)
    writeFileSync(join(s.config.paths.spoolDir, '1700000000000-5-x.json'), JSON.stringify(event('UserPromptSubmit')))
    const server = await s.start()
    assert.equal(countEvents(server), 1)
    assert.deepEqual(s.spooled(), [])
    assert.deepEqual(s.rejected(), ['1700000000000-5-x.json', '1700000000000-5-x.json.reason'])
    assert.match(s.reasonOf('1700000000000-5-x.json'), /not a spool file name/)
  })

  it('a hook that spools while the receiver runs (it gave up on a busy receiver, or was signalled) is stored at once: no later event, no sweep', async () => {
    const s = await setup({ sweepEveryMs: 3_600_000 })
    const server = await s.start()
    // As hooks/tend-hook writes a file: under a dot-name, then renamed.
    const spool = (e: object, at: number) => {
      const name = `${at}-${process.pid}-0`
      mkdirSync(s.config.paths.spoolDir, { recursive: true })
      writeFileSync(join(s.config.paths.spoolDir, `.${name}.tmp`), JSON.stringify(e))
      renameSync(join(s.config.paths.spoolDir, `.${name}.tmp`), join(s.config.paths.spoolDir, `${name}.json`))
    }
    spool(event('UserPromptSubmit'), Date.now())
    await waitFor(() => countEvents(server) === 1, 10_000, 'the first file stored (by the start-up pass or the watch)')
    // Only the watch can store this one: the sweep is an hour away and no other event arrives.
    const at = Date.now()
    spool(event('Stop', { last_assistant_message: 'Done.' }), at)
    await waitFor(() => countEvents(server) === 2, 10_000, 'the second file stored by the watch')
    assert.deepEqual(s.spooled(), [])
    const stop = getAgentDetail(server.services.store.db, SID)!.timeline.find((e) => e.name === 'Stop')
    assert.deepEqual([stop?.occurredAt, stop?.replayed], [at, true])
  })

  it('a spool directory that cannot be watched is said once, however often the sweep tries again', () => {
    const { log, lines } = captureLog()
    const home = tempHome()
    cleanups.push(home.cleanup)
    const notADirectory = join(home.dir, 'spool')
    writeFileSync(notADirectory, '')
    const spool = createSpool(notADirectory, () => 'stored', log)
    cleanups.push(() => spool.close())
    for (let i = 0; i < 3; i++) spool.watch()
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.fields['error']]),
      [['warn', 'spool not watched', 'EEXIST']],
    )
  })

  it('a spooled event eight days old is stored with the time its hook ran, as the README says', async () => {
    const s = await setup()
    const at = Date.now() - 8 * 24 * 3600_000
    mkdirSync(s.config.paths.spoolDir, { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, `${at}-1-0.json`), JSON.stringify(event('UserPromptSubmit')))
    const server = await s.start()
    const [row] = getAgentDetail(server.services.store.db, SID)!.timeline
    assert.equal(row!.occurredAt, at)
    assert.equal(row!.replayed, true)
  })

  it('a store that cannot write stops the pass and keeps every file (the hook spools on its 503); once it writes, all are stored', async () => {
    const { log, lines } = captureLog()
    const s = await setup({ log })
    const server = await s.start()
    const sqlite = server.services.store.sqlite
    // The fault: the real database may not grow by a page (SQLite answers SQLITE_FULL, as on a full disk).
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`)
    const big = (i: number) => event('PostToolUse', { tool_use_id: `t${i}`, tool_response: 'x'.repeat(20_000) })
    for (let i = 0; i < 3; i++) assert.deepEqual([(await runHook(big(i), s.env)).code], [0])
    assert.equal(s.spooled().length, 3, 'each refused with 503, each spooled')

    const res = await s.api('/v1/hooks', { method: 'POST', body: JSON.stringify(big(9)) })
    assert.equal(res.status, 503)
    const body = (await res.json()) as { error: { code: string; kind: string; message: string } }
    assert.deepEqual([body.error.code, body.error.kind], ['store_unavailable', 'disk_full'])
    assert.match(body.error.message, /disk holding the database is full/)
    assert.deepEqual(server.services.spool.replay(), { stored: 0, rejected: 0 }, 'the store, not the files')
    assert.equal(s.spooled().length, 3)
    assert.deepEqual(s.rejected(), [])

    // Still answering: health, reads, and the doctor, which says why.
    assert.equal((await s.api('/healthz')).status, 200)
    assert.equal(((await (await s.api('/healthz')).json()) as { store: string }).store, 'failing')
    assert.equal((await s.api('/v1/agents')).status, 200)
    const doctor = (await (await s.api('/v1/doctor')).json()) as { store: { ok: boolean; kind?: string } }
    assert.deepEqual([doctor.store.ok, doctor.store.kind], [false, 'disk_full'])
    assert.equal(
      lines.filter((l) => l.msg.startsWith('store cannot write')).length,
      1,
      'logged once for five failures (once a minute)',
    )

    sqlite.pragma('max_page_count = 1073741823') // space is back
    assert.equal((await runHook(big(3), s.env)).code, 0)
    await waitFor(() => s.spooled().length === 0, 5000, 'the spool to be replayed')
    assert.equal(countEvents(server), 4)
    assert.ok(lines.some((l) => l.msg === 'store writes again'))
    const after = (await (await s.api('/v1/doctor')).json()) as { store: { ok: boolean } }
    assert.equal(after.store.ok, true)
  })

  it('a read-only store: 503 read_only, the hook spools; writable again, it recovers by itself', async () => {
    const s = await setup()
    const server = await s.start()
    server.services.store.sqlite.pragma('query_only = 1') // the fault: every write fails with SQLITE_READONLY
    const res = await s.api('/v1/hooks', { method: 'POST', body: JSON.stringify(event('UserPromptSubmit')) })
    assert.equal(res.status, 503)
    assert.equal(((await res.json()) as { error: { kind: string } }).error.kind, 'read_only')
    assert.equal((await runHook(event('PreToolUse'), s.env)).code, 0)
    assert.equal(s.spooled().length, 1)
    server.services.store.sqlite.pragma('query_only = 0')
    assert.equal((await runHook(event('PostToolUse'), s.env)).code, 0)
    await waitFor(() => s.spooled().length === 0, 5000, 'the spool to be replayed')
    assert.deepEqual(
      getAgentDetail(server.services.store.db, SID)!.timeline.map((e) => e.name),
      ['PreToolUse', 'PostToolUse'],
    )
  })
})

describe('a hook that can neither deliver nor spool', () => {
  it('exits 0, says so on stderr, and counts it where the receiver reports it later (tend doctor)', async () => {
    const { log, lines } = captureLog()
    const s = await setup({ log })
    // The spool cannot be created (a file in its place; chmod would not stop root).
    writeFileSync(s.config.paths.spoolDir, 'not a directory')
    const run = await runHook(event('UserPromptSubmit'), s.env)
    assert.deepEqual([run.code, run.stdout], [0, ''])
    assert.match(run.stderr, /tend: event lost/)
    const lost = readFileSync(s.config.paths.lostFile, 'utf8').trim().split('\n')
    assert.equal(lost.length, 1)
    assert.match(lost[0]!, new RegExp(`^\\d+ observe ${s.env.TEND_HOME}$`))
    assert.equal(statSync(join(s.config.paths.lostFile, '..')).mode & 0o777, 0o700)

    // tend doctor says so with the receiver down (it reads the trace itself), and through the receiver.
    assert.match(await doctor(s.env), /! store\n.*receiver is down.*\n\s+1 event\(s\) lost/)
    await s.start()
    const said = lines.find((l) => l.msg.startsWith('hooks lost events'))
    assert.deepEqual([said?.level, said?.fields['count']], ['warn', 1], 'the receiver says so at start')
    const body = (await (await s.api('/v1/doctor')).json()) as { lost: { count: number } | null }
    assert.equal(body.lost?.count, 1)
    assert.match(await doctor(s.env), /! store\n.*takes writes\n\s+1 event\(s\) lost/)
  })
})

describe('one receiver per data directory', () => {
  it('a second `tend serve` stops before it opens the database or replays the spool, naming the running one', async () => {
    // The first one replays only at start (its sweep, which also replays, comes back in an hour).
    const s = await setup({ sweepEveryMs: 3600_000 })
    const first = await s.start()
    first.services.spool.close()
    const file = `${Date.now() - 1000}-1-0.json`
    mkdirSync(s.config.paths.spoolDir, { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, file), JSON.stringify(event('UserPromptSubmit')))

    const second = serveProcess({ ...s.env, TEND_PORT: String(await freePort()) })
    assert.equal(await exited(second), 1)
    assert.match(
      second.output(),
      new RegExp(
        `tend: another tend receiver \\(pid ${process.pid}, ${first.url.replace(/[.]/g, '\\.')}\\) is running`,
      ),
    )
    assert.deepEqual(s.spooled(), [file], 'the second one did not replay it')
    assert.equal(countEvents(first), 0)
  })

  it('a receiver killed -9 leaves its socket and pid file: the hook spools meanwhile, the next start takes over', async () => {
    const s = await setup()
    const crashed = serveProcess(s.env)
    await waitFor(() => crashed.output().includes('listening'), 20_000, 'the receiver to listen')
    crashed.kill('SIGKILL')
    await exited(crashed)
    assert.ok(statSync(s.config.paths.socketFile).isSocket(), 'a stale socket is left')
    assert.ok(existsSync(join(s.env.TEND_HOME, 'tend.pid')), 'a stale pid file is left')

    assert.equal((await runHook(event('UserPromptSubmit'), s.env)).code, 0)
    assert.equal(s.spooled().length, 1)
    const server = await s.start()
    assert.equal(countEvents(server), 1, 'replayed')
    assert.equal((await runHook(event('PreToolUse'), { ...s.env, TEND_PORT: String(await freePort()) })).code, 0)
    assert.equal(countEvents(server), 2, 'delivered through the new socket')
  })
})

describe('the bound on live agents', () => {
  it('a new session beyond the cap is refused (429, not spooled); known ones go on; an ended one makes room', async () => {
    const s = await setup({ tweak: (c) => ({ ...c, maxLiveAgents: 3 }) })
    const server = await s.start()
    const start = (i: number) => payload('UserPromptSubmit', { session_id: `s${i}` })
    for (let i = 0; i < 3; i++) assert.equal((await runHook(start(i), s.env)).code, 0)
    const res = await s.api('/v1/hooks', { method: 'POST', body: JSON.stringify(start(3)) })
    assert.equal(res.status, 429)
    const body = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'too_many_agents')
    assert.match(body.error.message, /3 agents are live already/)

    const run = await runHook(start(4), s.env)
    assert.equal(run.code, 0, 'the hook fails open')
    assert.deepEqual(s.spooled(), [], 'a refused session is not spooled')
    assert.equal(getAgentDetail(server.services.store.db, 's4'), null)

    assert.equal((await runHook(payload('PreToolUse', { session_id: 's1' }), s.env)).code, 0)
    assert.equal(getAgentDetail(server.services.store.db, 's1')!.timeline.length, 2, 'a live agent goes on')

    assert.equal((await runHook(payload('SessionEnd:other', { session_id: 's0' }), s.env)).code, 0)
    assert.equal((await runHook(start(5), s.env)).code, 0)
    assert.ok(getAgentDetail(server.services.store.db, 's5'), 'room again once one ended')

    // A spooled new session beyond the cap is set aside with the reason, not retried.
    mkdirSync(s.config.paths.spoolDir, { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, `${Date.now()}-1-0.json`), JSON.stringify(start(6)))
    assert.deepEqual(server.services.spool.replay(), { stored: 0, rejected: 1 })
    assert.match(s.reasonOf(s.rejected()[0]!), /3 agents are live already/)
  })
})

/** A 2 MiB tmpfs in a private user + mount namespace (no root needed), or null where the kernel refuses. */
function tmpfsNamespace(dir: string): { pid: number; view: string; run: string[] } | null {
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || exit 3'])
  if (probe.status !== 0) return null
  const holder = spawn('unshare', [
    '-rm',
    'sh',
    '-c',
    'mount -t tmpfs -o size=2m tmpfs "$1" && exec sleep 600',
    'sh',
    dir,
  ])
  cleanups.push(() => holder.kill('SIGKILL'))
  return {
    pid: holder.pid!,
    /** The tmpfs as this process sees it, through the holder's root. */
    view: `/proc/${holder.pid}/root${dir}`,
    run: ['nsenter', '-t', String(holder.pid), '-U', '-m', '--preserve-credentials'],
  }
}

describe('disk full, for real: the data directory on a full tmpfs', () => {
  it('the receiver keeps answering (503), the hook leaves a trace and exits 0; freed, it recovers by itself', async (t) => {
    const home = tempHome()
    cleanups.push(home.cleanup)
    const dir = join(home.dir, 'full')
    mkdirSync(dir)
    const ns = tmpfsNamespace(dir)
    if (!ns) return t.skip('no user namespaces here: the fault-injected store above covers it')
    await waitFor(() => {
      const mounts = readFileSync(`/proc/${ns.pid}/mounts`, 'utf8')
      return mounts.includes(dir)
    }, 5000)
    const port = await freePort()
    const env = {
      TEND_HOME: dir,
      TEND_PORT: String(port),
      HOME: home.dir,
      XDG_RUNTIME_DIR: join(home.dir, 'run'),
    }
    mkdirSync(env.XDG_RUNTIME_DIR)
    // The receiver inside the namespace, its log on the same tmpfs (as install.sh's serve.log).
    const receiver = serveProcess(env, [...ns.run, 'sh', '-c', `exec "$@" >>"${dir}/serve.log" 2>&1`, 'sh'])
    const view = (p: string) => join(ns.view, p)
    await waitFor(
      () => existsSync(view('serve.log')) && readFileSync(view('serve.log'), 'utf8').includes('listening'),
      20_000,
    )
    const token = readFileSync(view('token'), 'utf8').trim()
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      })
    const hook = (body: object) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(ns.run[0]!, [...ns.run.slice(1), HOOK, 'observe'], {
          env: { PATH: process.env['PATH'] ?? '', ...env },
        })
        let stderr = ''
        child.stderr.on('data', (d) => (stderr += d))
        child.on('close', (code) => resolve({ code, stderr }))
        child.stdin.end(JSON.stringify(body))
      })
    assert.equal((await hook(event('UserPromptSubmit'))).code, 0)

    // Fill the disk to the last byte.
    const filler = view('filler')
    spawnSync('sh', ['-c', `cat /dev/zero > '${filler}'`])
    const results = []
    for (let i = 0; i < 5; i++) {
      results.push(await hook(event('PostToolUse', { tool_use_id: `full${i}`, tool_response: 'y'.repeat(30_000) })))
    }
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0, 0, 0, 0],
      'every hook exits 0',
    )
    // Each event was stored, spooled, or (nowhere to spool it) counted as lost and said so: none vanishes.
    const saidLost = results.filter((r) => /tend: event lost/.test(r.stderr)).length
    const lostFile = join(env.XDG_RUNTIME_DIR, `tend-${process.getuid!()}`, 'lost')
    const lost = readFileSync(lostFile, 'utf8').trim().split('\n').length
    assert.ok(saidLost >= 1, 'the disk is full: some could not even be spooled')
    assert.equal(lost, saidLost)
    assert.equal(receiver.exitCode, null, 'the receiver is alive')
    assert.equal((await api('/healthz')).status, 200)
    const doctor = (await (await api('/v1/doctor')).json()) as {
      store: { ok: boolean; kind: string }
      lost: { count: number }
    }
    assert.deepEqual([doctor.store.ok, doctor.store.kind, doctor.lost.count], [false, 'disk_full', lost])
    assert.match(readFileSync(view('serve.log'), 'utf8'), /store cannot write/)

    unlinkSync(filler) // space returns
    assert.equal((await hook(event('PostToolUse', { tool_use_id: 'after' }))).code, 0)
    const back = (await (await api('/v1/doctor')).json()) as { store: { ok: boolean } }
    assert.equal(back.store.ok, true, 'recovered by itself')
    await waitFor(() => readdirSync(view('spool')).filter((f) => f.endsWith('.json')).length === 0, 5000)
    // (SQLite resolves /proc/<pid>/root to the path outside the namespace: ask the receiver instead.)
    const detail = (await (await api(`/v1/agents/${SID}`)).json()) as {
      timeline: Array<{ payload: { tool_use_id?: string } }>
    }
    const ids = detail.timeline.map((e) => ({ t: e.payload.tool_use_id ?? null }))
    const stored = ids.map((r) => r.t).filter((t) => t?.startsWith('full'))
    assert.equal(stored.length + lost, results.length, `stored ${stored.join()} + ${lost} lost`)
    assert.ok(ids.some((r) => r.t === 'after'))
    assert.equal(receiver.exitCode, null)
    rmSync(view('serve.log'), { force: true })
  })
})
