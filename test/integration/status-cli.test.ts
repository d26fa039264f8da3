// tend status against a real receiver on a random port, and with none running.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { RunningServer } from '../../src/server/serve.ts'
import { startTestReceiver, tempHome } from '../helpers/app.ts'
import { spawn, spawnSync } from 'node:child_process'
import { runTend, TEND_BIN } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { freePort } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'

describe('tend status', () => {
  const home = tempHome()
  let server: RunningServer
  let env: Record<string, string>

  before(async () => {
    ;({ env, server } = await startTestReceiver(home.dir))
    const now = Date.now()
    const feed = (key: string, sid: string, cwd: string, at: number, extra = {}) =>
      server.services.receive(payload(key, { session_id: sid, cwd, ...extra }), { occurredAt: at, receivedAt: at })
    feed('UserPromptSubmit', 'aaaaaaaa-1111', '/src/api', now - 300_000)
    feed('Stop', 'aaaaaaaa-1111', '/src/api', now - 240_000, { last_assistant_message: 'Finished the refactor.' })
    feed('UserPromptSubmit', 'bbbbbbbb-2222', '/src/web', now - 200_000)
    feed('PermissionRequest', 'bbbbbbbb-2222', '/src/web', now - 120_000, { tool_input: { command: 'rm -rf dist' } })
    feed('UserPromptSubmit', 'cccccccc-3333', '/src/cli', now - 10_000)
  })
  after(async () => {
    await server.close()
    home.cleanup()
  })

  it('prints the ranked table: most blocked first, waiting for what and why', async () => {
    const run = await runTend(['status', '--width', '200'], env)
    assert.equal(run.code, 0, run.stderr)
    const lines = run.stdout.trim().split('\n')
    assert.match(lines[0]!, /^#\s+AGENT\s+STATE\s+WAITING\s+FOR\s+REPLIES\s+WHY/)
    // No tend mod polls for these agents: a reply would go as hook feedback.
    assert.match(
      lines[1]!,
      /^1\s+web·bbbbbbbb\s+blocked:permission\s+2m0\ds\s+Bash: rm -rf dist\s+as hook feedback\s+permission ×4/,
    )
    assert.match(
      lines[2]!,
      /^2\s+api·aaaaaaaa\s+blocked:done\s+4m0\ds\s+done: Finished the refactor\.\s+as hook feedback/,
    )
    assert.match(lines[3]!, /^-\s+cli·cccccccc\s+working\s+as hook feedback/)
  })

  it('fits the width: 100 columns when not a terminal, cutting the longest columns first', async () => {
    for (const [args, width] of [
      [[], 100],
      [['--width', '60'], 60],
    ] as const) {
      const run = await runTend(['status', ...args], env)
      assert.equal(run.code, 0, run.stderr)
      const lines = run.stdout.trimEnd().split('\n')
      for (const line of lines) assert.ok(Array.from(line).length <= width, `${JSON.stringify(line)} fits ${width}`)
      // Rank, name and state always stay.
      assert.match(lines[1]!, /^1\s+web·bbbbbbbb\s+blocked:permission/)
    }
  })

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    const piped = await runTend(['status'], env)
    assert.doesNotMatch(piped.stdout, /\x1b\[/)
    const forced = await runTend(['status'], { ...env, FORCE_COLOR: '1' })
    assert.match(forced.stdout, /\x1b\[31mblocked:permission/)
    const refused = await runTend(['status'], { ...env, FORCE_COLOR: '1', NO_COLOR: 'yes' })
    assert.doesNotMatch(refused.stdout, /\x1b\[/)
    // The help follows the same rule.
    const help = await runTend(['status', '--help'], env)
    assert.match(help.stdout, /--watch/)
    assert.doesNotMatch(help.stdout, /\x1b\[/)
  })

  it('--watch redraws until Ctrl-C, and gives the terminal back', async () => {
    const child = spawn(process.execPath, [TEND_BIN, 'status', '--watch', '--interval', '1'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    // Two frames, each the whole table.
    await waitFor(() => out.split('tend status ·').length > 2, 15_000, 'two frames')
    assert.match(out, /1\s+web·bbbbbbbb/)
    const code = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    assert.equal(await code, 0)
  })

  it('--watch on a terminal draws on the alternate screen in place, and restores it on Ctrl-C', async (t) => {
    // script(1) gives the command a real pseudo-terminal.
    if (spawnSync('script', ['--version']).status !== 0) return t.skip('script(1) is not installed')
    const cmd = `${process.execPath} ${TEND_BIN} status --watch --interval 1`
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm', ...env },
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    await waitFor(() => out.split('\x1b[H').length > 2, 15_000, 'two frames drawn in place')
    assert.ok(out.includes('\x1b[?1049h'), 'switches to the alternate screen')
    assert.match(out, /\x1b\[31mblocked:permission/, 'coloured on a terminal')
    const code = new Promise((resolve) => child.once('exit', resolve))
    child.stdin.write('\x03') // Ctrl-C at the terminal
    await code
    assert.ok(out.includes('\x1b[?25h\x1b[?1049l'), 'cursor and main screen restored')
  })

  it('--json prints the same ranking for scripts', async () => {
    const run = await runTend(['status', '--json'], env)
    const data = JSON.parse(run.stdout) as { agents: Array<{ shortId: string; rank: number | null; why: string }> }
    assert.deepEqual(
      data.agents.map((a) => [a.shortId, a.rank]),
      [
        ['bbbbbbbb', 1],
        ['aaaaaaaa', 2],
        ['cccccccc', null],
      ],
    )
    assert.ok(data.agents.every((a) => a.why.length > 0))
  })

  it('says clearly when no receiver runs', async () => {
    const run = await runTend(['status'], { ...env, TEND_PORT: String(await freePort()) })
    assert.equal(run.code, 1)
    assert.match(
      run.stderr,
      /no tend receiver at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\. Start it with `tend serve`/,
    )
  })

  it('says clearly when the token is wrong', async () => {
    const run = await runTend(['status'], { ...env, TEND_TOKEN: 'wrong-token-wrong-token' })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /invalid token/)
  })
})
