// Replies through held hooks: the real hook script, a real receiver, the real tend CLI.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { HEARTBEAT_MS } from '../../src/server/routes/hooks.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { repliesForWait } from '../../src/store/replies.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { freePort, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A held call's heartbeat (src/server/routes/hooks.ts). */
const HEARTBEAT = ' '.repeat(16)

/** A unix socket in a directory of its own that forwards to `target` and keeps what comes back. */
async function wireTap(target: string): Promise<{ dir: string; received(): string }> {
  const home = tempHome('tend-wire-')
  let received = ''
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(target)
    for (const sock of [client, upstream]) {
      sockets.add(sock)
      sock.on('error', () => {})
      sock.on('close', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    upstream.on('data', (d: Buffer) => (received += d.toString('latin1')))
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(join(home.dir, 'tend.sock'), resolve))
  cleanups.push(() => {
    sockets.forEach((sock) => sock.destroy())
    server.close()
    home.cleanup()
  })
  return { dir: home.dir, received: () => received }
}

const SID = '5e55a0b1-aaaa-4bbb-8ccc-000000000001'
const CWD = '/home/me/projects/shop'
const ev = (key: string, extra = {}) => payload(key, { session_id: SID, cwd: CWD, ...extra })

async function setup(holds: Record<string, number> = {}) {
  const home = tempHome()
  cleanups.push(home.cleanup)
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0, ...holds } }))
  const server: RunningServer = await startServer(loadConfig(env), { log: silentLogger })
  cleanups.push(() => server.close())
  const s = server.services
  const held = () => waitFor(() => s.holds.list()[0], 20_000, 'a held hook')
  const tend = (...args: string[]) => runTend(args, env)
  // The person gave the agent an instruction (before going away); it works.
  await runHook(ev('UserPromptSubmit'), env)
  // It stops: its Stop hook is held (or not) by the receiver.
  const stop = () =>
    runHook(ev('Stop', { last_assistant_message: 'Migration written. Shall I run it?' }), env, ['hold', '60'])
  return { env, s, held, tend, stop, waitOf: () => getAgentDetail(s.store.db, SID)!.waits.at(-1)! }
}

describe('replies through held hooks', () => {
  it('away: a held Stop gets `tend reply` as its next instruction; a second reply is told', async () => {
    const t = await setup()
    assert.equal((await t.tend('away')).code, 0)
    const hook = t.stop()
    await t.held()
    const first = await t.tend('reply', 'shop', 'yes, run it on staging')
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /reply delivered/)
    const out = await hook
    assert.deepEqual(JSON.parse(out.stdout), { decision: 'block', reason: 'yes, run it on staging' })
    const wait = t.waitOf()
    assert.deepEqual([wait.endedBy, wait.endedVia], ['reply', 'cli'])
    assert.ok(wait.answeredBy)
    assert.equal(getAgentDetail(t.s.store.db, SID)!.row.state, 'working')

    // A later Stop opens a new wait; the person is still away, so it is held too, and a second
    // `tend reply` answers that new wait, never the first one again.
    const second = runHook(
      ev('Stop', { stop_hook_active: true, last_assistant_message: 'Ran it. Anything else?' }),
      t.env,
      ['hold', '60'],
    )
    await t.held()
    assert.equal((await t.tend('reply', 'shop', 'no, thanks')).code, 0)
    assert.equal(JSON.parse((await second).stdout).reason, 'no, thanks')
    assert.deepEqual(
      repliesForWait(t.s.store.db, wait.id).map((r) => [r.text, r.outcome]),
      [['yes, run it on staging', 'delivered']],
    )
  })

  it('a reply to a wait that has ended is refused with how it ended', async () => {
    const t = await setup()
    await t.tend('away')
    const hook = t.stop()
    await t.held()
    const waitId = t.waitOf().id
    await t.tend('reply', 'next', 'first')
    await hook
    const res = await fetch(`${t.s.config.url.replace(/:\d+$/, '')}:${t.env.TEND_PORT}/v1/waits/${waitId}/answer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reply', text: 'second', via: 'slack', by: 'U123' }),
    })
    assert.equal(res.status, 409)
    const body = (await res.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'wait_ended')
    assert.match(body.error.message, /already answered by \S+ via cli/)
    assert.deepEqual(
      repliesForWait(t.s.store.db, waitId).map((r) => [r.via, r.outcome]),
      [
        ['slack', 'wait_ended'],
        ['cli', 'delivered'],
      ],
    )
  })

  it('present: the Stop is not held, and `tend reply` says so and what to do instead', async () => {
    const t = await setup()
    const out = await t.stop()
    assert.equal(out.stdout.trim(), '{}')
    const res = await t.tend('reply', 'shop', 'hello?')
    assert.equal(res.code, 1)
    assert.match(res.stderr, /nothing sent: you were present.*answer in the terminal.*tend away/)
  })

  it('`tend back` releases every held Stop with no decision', async () => {
    const t = await setup()
    await t.tend('away')
    const hook = t.stop()
    await t.held()
    const back = await t.tend('back')
    assert.match(back.stdout, /1 held Stop released/)
    assert.equal((await hook).stdout.trim(), '{}')
    assert.equal(
      getAgentDetail(t.s.store.db, SID)!.row.state,
      'blocked:question',
      'the wait stays: the person answers at the terminal',
    )
  })

  it('a prompt typed to any agent counts as back and releases held Stops', async () => {
    const t = await setup()
    await t.tend('away')
    const hook = t.stop()
    await t.held()
    await runHook(
      payload('UserPromptSubmit', { session_id: 'other-session-0002', cwd: '/home/me/projects/api' }),
      t.env,
    )
    assert.equal((await hook).stdout.trim(), '{}')
    assert.equal(t.s.presence().away, false)
  })

  it('a held PermissionRequest: `tend approve` allows it; `tend deny` refuses with the message', async () => {
    const t = await setup()
    let hook = runHook(ev('PermissionRequest', { tool_input: { command: 'npm publish' } }), t.env, ['hold', '60'])
    await t.held()
    const res = await t.tend('approve', 'shop')
    assert.equal(res.code, 0, res.stderr)
    assert.deepEqual(JSON.parse((await hook).stdout), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    })
    await runHook(ev('PostToolUse', { tool_input: { command: 'npm publish' } }), t.env)
    hook = runHook(ev('PermissionRequest', { tool_input: { command: 'rm -rf /' } }), t.env, ['hold', '60'])
    await t.held()
    assert.equal((await t.tend('deny', 'shop', 'never', 'that')).code, 0)
    assert.deepEqual(JSON.parse((await hook).stdout).hookSpecificOutput.decision, {
      behavior: 'deny',
      message: 'never that',
    })
  })

  it('a permission answered in the terminal ends the hold; a later approve is refused', async () => {
    const t = await setup()
    const input = { command: 'make deploy', description: 'Deploy' }
    const hook = runHook(ev('PermissionRequest', { tool_input: input }), t.env, ['hold', '60'])
    await t.held()
    // The person answers the dialog: the tool runs, its PostToolUse ends the wait and the hold.
    await runHook(ev('PostToolUse', { tool_input: input }), t.env)
    assert.equal((await hook).stdout.trim(), '{}')
    assert.equal(t.waitOf().endedBy, 'terminal')
    const res = await t.tend('approve', 'shop')
    assert.equal(res.code, 1)
    assert.match(res.stderr, /not waiting/)
  })

  it('a hook killed while held (Esc) releases the hold; a reply then finds none', async () => {
    const t = await setup()
    await t.tend('away')
    const { spawn } = await import('node:child_process')
    const { HOOK } = await import('../helpers/hook.ts')
    // Claude Code runs each hook in its own session and kills the whole group (sh and its curl).
    const child = spawn(HOOK, ['hold', '60'], { env: { ...process.env, ...t.env }, detached: true })
    child.stdin.end(JSON.stringify(ev('Stop')))
    await t.held()
    process.kill(-child.pid!, 'SIGKILL')
    await waitFor(() => t.s.holds.list().length === 0, 20_000, 'the hold to end')
    const res = await t.tend('reply', 'shop', 'are you there?')
    assert.equal(res.code, 1)
    assert.match(res.stderr, /nothing sent/)
  })

  it('a hold longer than a heartbeat still delivers clean JSON to Claude Code', async (ctx) => {
    const t = await setup()
    // The hook reaches the receiver through a proxy socket that sees what goes down the wire.
    const wire = await wireTap(t.s.config.paths.socketFile)
    const env = { ...t.env, TEND_HOME: wire.dir, TEND_TOKEN: t.s.token }
    // The heartbeat's interval runs on a fake clock (armed with the hold, in the same turn): the
    // receiver's own code writes it when the test moves the clock, not 5 s later.
    ctx.mock.timers.enable({ apis: ['setInterval'] })
    const hook = runHook(ev('PermissionRequest', { tool_input: { command: 'make' } }), env, ['hold', '60'])
    await t.held()
    assert.equal(wire.received().includes(HEARTBEAT), false)
    ctx.mock.timers.tick(HEARTBEAT_MS)
    await waitFor(() => wire.received().includes(HEARTBEAT), 20_000, 'a heartbeat down the wire')
    assert.equal((await t.tend('approve', 'shop')).code, 0)
    const out = (await hook).stdout
    assert.ok(out.startsWith('{'), JSON.stringify(out.slice(0, 20)))
    assert.equal(JSON.parse(out).hookSpecificOutput.decision.behavior, 'allow')
  })

  it("the token never shows on a held hook's command line (other users can read argv)", async () => {
    const { readdirSync, readFileSync } = await import('node:fs')
    const t = await setup()
    const hook = runHook(ev('PermissionRequest', { tool_input: { command: 'make' } }), t.env, ['hold', '60'])
    await t.held()
    const cmdlines = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        } catch {
          return ''
        }
      })
    assert.ok(
      cmdlines.some((c) => c.includes('/v1/hooks')),
      'the held curl is running',
    )
    assert.equal(cmdlines.filter((c) => c.includes(t.s.token)).length, 0)
    await t.tend('deny', 'shop')
    await hook
  })

  it('a hold window ends by itself with no decision', async () => {
    const t = await setup({ permissionWindowSec: 1 })
    const hook = runHook(ev('PermissionRequest'), t.env, ['hold', '60'])
    await t.held() // held first: what ends it below is the 1 s window, nothing else answers
    const out = await hook
    assert.equal(out.stdout.trim(), '{}')
    assert.deepEqual(t.s.holds.list(), [])
    assert.equal(getAgentDetail(t.s.store.db, SID)!.row.state, 'blocked:permission', 'still waiting, in the terminal')
  })
})
