// tend demo as a person runs it: the real command as a subprocess, its fleet seen through the API,
// answered with the real CLI (a held permission, a held Stop, a reply through the mod), then Ctrl-C.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runTend, TEND_BIN } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'

interface Listed {
  label: string
  project: string
  state: string
  rank: number | null
  replyPath: string
  held: boolean
  wait: { kind: string; detail: Record<string, unknown> } | null
}

describe('tend demo', () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-demo-test-'))
  let child: ChildProcess
  let out = ''
  let dir = ''
  let port = 0
  let env: Record<string, string>

  const agents = async (): Promise<Listed[]> => {
    const token = readFileSync(join(dir, 'token'), 'utf8').trim()
    const res = await fetch(`http://127.0.0.1:${port}/v1/agents`, { headers: { authorization: `Bearer ${token}` } })
    return ((await res.json()) as { agents: Listed[] }).agents
  }
  const agent = async (project: string) => (await agents()).find((a) => a.label.startsWith(`${project}·`))

  before(async () => {
    child = spawn(process.execPath, [TEND_BIN, 'demo', '--no-open'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, TMPDIR: home },
    })
    child.stdout!.on('data', (d) => (out += d))
    child.stderr!.on('data', (d) => (out += d))
    await waitFor(() => out.includes('Ctrl-C stops it'), 30_000, 'the demo banner')
    dir = /data: +(\S+)/.exec(out)![1]!
    port = Number(/receiver on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1])
    env = { TEND_HOME: dir, TEND_PORT: String(port), HOME: home }
  })
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(home, { recursive: true, force: true })
  })

  it('prints where it runs and the exact commands to answer it', async () => {
    assert.ok(dir.startsWith(home), `the demo's data directory (${dir}) is a fresh temporary one`)
    assert.match(out, new RegExp(`TEND_HOME=${dir} TEND_PORT=${port} tend reply next "`))
    assert.match(out, /dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(sign in with: TEND_HOME=\S+ TEND_PORT=\d+ tend open\)/)
    // That command gives a login link to the demo's dashboard.
    const open = await runTend(['open', '--print'], env)
    assert.equal(open.code, 0, open.stderr)
    assert.match(open.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/\\S+`))
  })

  it('has a fleet of live agents: permissions, questions, an error, a finished task, one at work', async () => {
    const list = await agents()
    assert.ok(list.length >= 5 && list.length <= 8, `${list.length} agents`)
    const states = new Set(list.map((a) => a.state))
    for (const s of ['blocked:permission', 'blocked:question', 'blocked:error', 'blocked:done', 'working']) {
      assert.ok(states.has(s), `an agent in ${s} (have ${[...states].join(', ')})`)
    }
    // Its held hooks are held like a real agent's, and both reply paths are there.
    const permission = list.find((a) => a.state === 'blocked:permission')!
    assert.equal(permission.held, true)
    assert.deepEqual(new Set(list.map((a) => a.replyPath)), new Set(['hook', 'mod']))
  })

  it('an approved agent works and stops again with its next question', async () => {
    const run = await runTend(['approve', 'billing-api'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /billing-api·\w+: approved/)
    const next = await waitFor(
      async () => {
        const a = await agent('billing-api')
        return a?.state === 'blocked:question' ? a : null
      },
      20_000,
      'billing-api to stop with a question',
    )
    assert.match(String(next.wait?.detail['message']), /Shall I open the PR/)
    assert.equal(next.held, true, 'its Stop is held for a reply (the demo runs as if away)')
  })

  it('`reply next` reaches the top agent that can take a reply, which works and asks for a permission', async () => {
    const run = await runTend(['reply', 'next', 'bottom sheet, please'], env)
    assert.equal(run.code, 0, run.stderr)
    // The top of the ranking waits for a reply: storefront (question, longest wait).
    assert.match(run.stdout, /^storefront·\w+ \(next: #1\): reply delivered as hook feedback/)
    await waitFor(
      async () => (await agent('storefront'))?.wait?.detail['toolName'] === 'Edit',
      20_000,
      'storefront to ask for its Edit',
    )
  })

  it('a reply through the mod arrives as a prompt and the agent carries on', async () => {
    const run = await runTend(['reply', 'ranker', 'try again'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /reply delivered as your own message/)
    const next = await waitFor(
      async () => {
        const a = await agent('ranker')
        return a?.state === 'blocked:question' ? a : null
      },
      20_000,
      'ranker to finish its ablation',
    )
    assert.match(String(next.wait?.detail['message']), /Ablation done/)
  })

  it('Ctrl-C stops the receiver and leaves nothing behind', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGINT')
    assert.equal(await exited, 0)
    assert.equal(existsSync(dir), false, `${dir} is removed`)
    // The port is free again.
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
    await new Promise((resolve) => server.close(resolve))
    assert.match(out, /tend demo: stopped \(SIGINT\)/)
  })
})
