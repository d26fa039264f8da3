// The real hook script against a real receiver: delivery, fail-open, spool and replay.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { tempHome } from '../helpers/app.ts'
import { freePort, HOOK, runHook, silentServer } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(opts: { start?: boolean } = {}) {
  const home = tempHome()
  cleanups.push(home.cleanup)
  const port = await freePort()
  const env = { TEND_HOME: home.dir, TEND_PORT: String(port), HOME: home.dir }
  const config = loadConfig(env)
  let server: RunningServer | null = null
  const start = async () => {
    server = await startServer(config, { log: silentLogger })
    cleanups.push(() => server?.close())
    return server
  }
  if (opts.start !== false) await start()
  const spooled = () => {
    try {
      return readdirSync(config.paths.spoolDir).filter((f) => f.endsWith('.json'))
    } catch {
      return []
    }
  }
  return { env, config, start, spooled, server: () => server! }
}

/** A receiver that never answers, closed after the test; returns its port. */
async function silentPort(): Promise<number> {
  const silent = await silentServer()
  cleanups.push(() => silent.close())
  return silent.port
}

const SID = payload('UserPromptSubmit').session_id
const event = (key: string) => payload(key, { session_id: SID })

describe('hooks/tend-hook', () => {
  it('delivers an event, prints nothing for an observer, exits 0', async () => {
    const s = await setup()
    const run = await runHook(event('UserPromptSubmit'), s.env)
    assert.deepEqual([run.code, run.stdout], [0, ''])
    const detail = getAgentDetail(s.server().services.store.db, SID)!
    assert.equal(detail.row.state, 'working')
    assert.equal(s.spooled().length, 0)
  })

  it('reaches the local receiver through its unix socket in a 0700 directory, even with a space in the path', async () => {
    const { statSync, mkdirSync: mk } = await import('node:fs')
    const home = tempHome()
    cleanups.push(home.cleanup)
    const dir = join(home.dir, 'my tend')
    mk(dir)
    const env = { TEND_HOME: dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
    const server = await startServer(loadConfig(env), { log: silentLogger })
    cleanups.push(() => server.close())
    assert.equal(statSync(dir).mode & 0o777, 0o700)
    assert.ok(statSync(join(dir, 'tend.sock')).isSocket())
    // TCP points nowhere: only the socket can deliver it.
    const run = await runHook(event('UserPromptSubmit'), { ...env, TEND_PORT: String(await freePort()) })
    assert.deepEqual([run.code, run.stdout], [0, ''])
    assert.equal(getAgentDetail(server.services.store.db, SID)!.row.state, 'working')
    await server.close()
    assert.equal(existsSync(join(dir, 'tend.sock')), false, 'the socket goes with the receiver')
  })

  it("a second receiver that can't start leaves the running one's socket alone", async () => {
    const s = await setup()
    await assert.rejects(startServer(s.config, { log: silentLogger }), /another tend receiver \(pid \d+/)
    const run = await runHook(event('UserPromptSubmit'), { ...s.env, TEND_PORT: String(await freePort()) })
    assert.equal(run.code, 0)
    assert.equal(
      getAgentDetail(s.server().services.store.db, SID)!.row.state,
      'working',
      'delivered through the socket',
    )
  })

  it('in hold mode prints the JSON answer for Claude Code', async () => {
    const s = await setup()
    const run = await runHook(event('Stop'), s.env, ['hold', '30'])
    assert.equal(run.code, 0)
    assert.equal(run.stdout.trim(), '{}')
  })

  it('stamps the time the hook ran', async () => {
    const s = await setup()
    const before = Date.now()
    await runHook(event('UserPromptSubmit'), s.env)
    const [row] = getAgentDetail(s.server().services.store.db, SID)!.timeline
    assert.ok(row!.occurredAt >= before - 1000 && row!.occurredAt <= Date.now(), `${row!.occurredAt}`)
  })

  it('receiver down: exits 0 at once and spools; at start the receiver replays, order and times kept', async () => {
    const s = await setup({ start: false })
    const keys = ['SessionStart:startup', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop']
    for (const key of keys) {
      const run = await runHook(event(key), s.env, key === 'Stop' ? ['hold', '30'] : ['observe'])
      assert.deepEqual([run.code, run.stdout], [0, ''], key)
      await new Promise((r) => setTimeout(r, 5)) // distinct ms stamps, as real hooks have
    }
    const files = s.spooled()
    assert.equal(files.length, keys.length)
    const stamps = files.map((f) => Number(f.split('-')[0])).sort((a, b) => a - b)

    const server = await s.start()
    assert.equal(s.spooled().length, 0, 'the spool is emptied')
    const detail = getAgentDetail(server.services.store.db, SID)!
    assert.deepEqual(
      detail.timeline.map((e) => e.name),
      ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'],
    )
    assert.deepEqual(
      detail.timeline.map((e) => e.occurredAt),
      stamps,
      'replayed events keep their original time',
    )
    assert.ok(detail.timeline.every((e) => e.replayed))
    assert.equal(detail.row.state, 'blocked:question')
  })

  it('a spooled event is replayed after the next live delivery', async () => {
    const s = await setup()
    const old = Date.now() - 1000
    mkdirSync(s.config.paths.spoolDir, { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, `${old}-1-0.json`), JSON.stringify(event('UserPromptSubmit')))
    await runHook(event('PreToolUse'), s.env)
    await waitFor(() => s.spooled().length === 0, 5000, 'the spool to be replayed')
    const detail = getAgentDetail(s.server().services.store.db, SID)!
    assert.deepEqual(
      detail.timeline.map((e) => e.name),
      ['UserPromptSubmit', 'PreToolUse'],
    )
    assert.equal(detail.timeline[0]!.occurredAt, old)
    assert.equal(s.spooled().length, 0)
  })

  it('a replayed duplicate of a delivered event is ignored', async () => {
    const s = await setup()
    const at = Date.now()
    const body = JSON.stringify(event('UserPromptSubmit'))
    s.server().services.receive(JSON.parse(body), { occurredAt: at, receivedAt: at })
    mkdirSync(s.config.paths.spoolDir, { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, `${at}-1-0.json`), body)
    s.server().services.spool.replay()
    assert.equal(getAgentDetail(s.server().services.store.db, SID)!.timeline.length, 1)
  })

  it('a failing store stops the replay but loses nothing: the file stays for the next pass', async () => {
    const { createSpool } = await import('../../src/service/spool.ts')
    const { silentLogger: log } = await import('../../src/log.ts')
    const home = tempHome()
    cleanups.push(home.cleanup)
    writeFileSync(join(home.dir, `${Date.now()}-1-0.json`), JSON.stringify(event('UserPromptSubmit')))
    let fail = true
    const spool = createSpool(
      home.dir,
      () => {
        if (fail) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
        return 'stored'
      },
      log,
    )
    assert.deepEqual(spool.replay(), { stored: 0, rejected: 0 })
    assert.equal(spool.pending(), 1)
    fail = false
    assert.deepEqual(spool.replay(), { stored: 1, rejected: 0 })
    assert.equal(spool.pending(), 0)
  })

  it('a spooled file that is not a hook event is set aside, not retried forever', async () => {
    const s = await setup({ start: false })
    mkdirSync(s.config.paths.spoolDir, { recursive: true })
    writeFileSync(join(s.config.paths.spoolDir, `${Date.now()}-1-0.json`), '{"half": ')
    await s.start()
    assert.equal(s.spooled().length, 0)
    const rejected = readdirSync(join(s.config.paths.spoolDir, 'rejected')).sort()
    assert.equal(rejected.length, 2)
    assert.match(readFileSync(join(s.config.paths.spoolDir, 'rejected', rejected[1]!), 'utf8'), /not JSON/)
  })

  it('a stalled receiver: the observer gives up within its bound and spools', async () => {
    const port = await silentPort()
    const s = await setup({ start: false })
    // The receiver never answers: the hook returns only because it gave up on its own bound.
    const run = await runHook(event('PreToolUse'), { ...s.env, TEND_PORT: String(port), TEND_OBSERVE_MAX_TIME: '0.3' })
    assert.deepEqual([run.code, run.stdout], [0, ''])
    assert.equal(s.spooled().length, 1)
  })

  it('a StopFailure is spooled before it is posted (Claude Code may SIGKILL it): killed mid-post it is still stored', async () => {
    // Delivered: the copy written ahead is gone.
    const up = await setup()
    const delivered = await runHook(event('StopFailure'), up.env)
    assert.equal(delivered.code, 0)
    assert.equal(up.spooled().length, 0)
    assert.ok(getAgentDetail(up.server().services.store.db, SID)!.timeline.some((e) => e.name === 'StopFailure'))

    // Killed while the receiver has not answered: no trap runs, the copy written ahead stays.
    const port = await silentPort()
    const s = await setup({ start: false })
    const hook = spawn(HOOK, ['observe'], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        ...s.env,
        TEND_PORT: String(port),
        TEND_OBSERVE_MAX_TIME: '60',
      },
      detached: true,
    })
    hook.stdin.end(JSON.stringify(event('StopFailure')))
    await waitFor(() => s.spooled().length === 1, 20_000, 'the copy written ahead')
    const gone = new Promise((r) => hook.on('close', r))
    process.kill(-hook.pid!, 'SIGKILL')
    await gone
    assert.equal(s.spooled().length, 1)
    const server = await s.start()
    const detail = getAgentDetail(server.services.store.db, SID)!
    assert.deepEqual(
      detail.timeline.filter((e) => e.name === 'StopFailure').map((e) => e.replayed),
      [true],
    )
    assert.equal(s.spooled().length, 0)
  })

  it('a SIGTERM to its process group as it starts (Claude Code 2.1.332 does that to StopFailure hooks) loses nothing: a StopFailure is still stored, another event spooled', async () => {
    const s = await setup()
    /** Starts the hook in its own group, signals the group while the hook reads stdin, then writes the body. */
    const signalledHook = async (body: object) => {
      const hook = spawn(HOOK, ['observe'], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...s.env },
        detached: true,
      })
      const closed = new Promise<number | null>((r) => hook.on('close', r))
      // The hook is reading stdin once its `cat` runs (a child of the subshell of $(cat)).
      const children = (pid: number): number[] =>
        readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
      const commOf = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
      const reading = (pid: number): boolean => {
        const kids = children(pid)
        return kids.some((k) => commOf(k) === 'cat' || reading(k))
      }
      await waitFor(() => reading(hook.pid!), 20_000, 'the hook reading stdin')
      process.kill(-hook.pid!, 'SIGTERM')
      hook.stdin.end(JSON.stringify(body))
      return closed
    }
    assert.equal(await signalledHook(event('StopFailure')), 0)
    // Stored once: posted, or (on a busy machine) its copy written ahead replayed first and the post a duplicate.
    const names = () => (getAgentDetail(s.server().services.store.db, SID)?.timeline ?? []).map((e) => e.name)
    await waitFor(() => names().length > 0 && s.spooled().length === 0, 20_000, 'the StopFailure stored')
    assert.deepEqual(names(), ['StopFailure'])

    assert.equal(await signalledHook(event('PostToolUse')), 0)
    assert.equal(s.spooled().length, 1, 'any other event signalled before it was posted is kept for the replay')
  })

  it('an invalid event (400) is not spooled; a 5xx or a 401 is; a non-JSON answer is never printed', async () => {
    let status = 400
    const fake = createHttpServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end('not json')
    })
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r))
    cleanups.push(() => new Promise((r) => fake.close(r)))
    const s = await setup({ start: false })
    const env = { ...s.env, TEND_PORT: String((fake.address() as { port: number }).port) }
    let run = await runHook(event('Stop'), env, ['hold', '5'])
    assert.deepEqual([run.code, run.stdout, s.spooled().length], [0, '', 0])
    status = 500
    run = await runHook(event('Stop'), env, ['hold', '5'])
    assert.deepEqual([run.code, run.stdout, s.spooled().length], [0, '', 1])
    status = 401 // a token that changed: the event waits for a receiver that takes it
    run = await runHook(event('Stop'), env, ['hold', '5'])
    assert.deepEqual([run.code, run.stdout, s.spooled().length], [0, '', 2])
    status = 200
    run = await runHook(event('Stop'), env, ['hold', '5'])
    assert.deepEqual([run.code, run.stdout], [0, ''])
  })

  it('without curl on the PATH it spools and exits 0', async () => {
    const s = await setup({ start: false })
    const bin = join(s.env.TEND_HOME, 'bin')
    mkdirSync(bin)
    for (const tool of ['sh', 'cat', 'date', 'mkdir', 'mv', 'rm']) {
      const path = ['/bin', '/usr/bin']
        .map((d) => join(d, tool))
        .find((p) => {
          try {
            readdirSync(p)
            return false
          } catch (e) {
            return (e as NodeJS.ErrnoException).code === 'ENOTDIR'
          }
        })
      if (path) symlinkSync(path, join(bin, tool))
    }
    const run = await runHook(event('PreToolUse'), { ...s.env, PATH: bin })
    assert.equal(run.code, 0)
    assert.equal(s.spooled().length, 1)
  })

  it('a hold that goes silent (hung receiver) is given up and spooled; the agent goes on', async () => {
    const port = await silentPort()
    const s = await setup({ start: false })
    // A 24 h budget and a receiver that never answers: the hook returns only because the stall bound gave up.
    // (curl averages its speed over its last ~6 s, the upload included: it gives up ~6 s + the stall after sending.)
    const run = await runHook(event('Stop'), { ...s.env, TEND_PORT: String(port), TEND_HOLD_STALL_SEC: '1' }, [
      'hold',
      '86400',
    ])
    assert.deepEqual([run.code, run.stdout], [0, ''])
    assert.equal(s.spooled().length, 1)
  })

  it("finds Claude Code's process from the hook's parent shell (2.1.197 sets no CLAUDE_PID)", async () => {
    const s = await setup()
    const { spawn } = await import('node:child_process')
    const { HOOK } = await import('../helpers/hook.ts')
    // As Claude Code runs it: sh -c "<command>", with this test process in Claude Code's place.
    await new Promise<void>((resolve) => {
      const child = spawn('sh', ['-c', `'${HOOK}' observe; true`], { env: { ...process.env, ...s.env } })
      child.stdin.end(JSON.stringify(event('UserPromptSubmit')))
      child.on('close', () => resolve())
    })
    assert.equal(getAgentDetail(s.server().services.store.db, SID)!.row.pid, process.pid)
  })

  it('events posted at the same moment are committed together, each answered, duplicates caught', async () => {
    const s = await setup()
    const token = s.server().services.token
    const post = (body: object, at: number) =>
      fetch(`http://127.0.0.1:${s.env.TEND_PORT}/v1/hooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-tend-time': String(at) },
        body: JSON.stringify(body),
      })
    const at = Date.now()
    const bodies = Array.from({ length: 40 }, (_, i) =>
      payload('PostToolUse', { session_id: `batch-${i % 4}`, tool_use_id: `t${i}` }),
    )
    // The same event twice in one batch (a duplicate hook config): stored once.
    bodies.push(bodies[0]!)
    const answers = await Promise.all(bodies.map((b, i) => post(b, i === bodies.length - 1 ? at : at + i)))
    assert.deepEqual(new Set(answers.map((r) => r.status)), new Set([200]))
    assert.deepEqual(
      answers.map((r) => r.headers.get('x-tend-outcome')).filter((o) => o === 'duplicate'),
      ['duplicate'],
    )
    const db = s.server().services.store
    assert.equal((db.sqlite.prepare('select count(*) n from events').get() as { n: number }).n, 40)
  })

  it('empty stdin: exits 0, sends nothing', async () => {
    const s = await setup()
    const run = await runHook('', s.env)
    assert.deepEqual([run.code, run.stdout], [0, ''])
  })
})
