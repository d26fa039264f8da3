// tend status against a real receiver on a random port, and with none running.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { freePort } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'

describe('tend status', () => {
  const home = tempHome()
  let server: RunningServer
  let env: Record<string, string>

  before(async () => {
    env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
    server = await startServer(loadConfig(env), { log: silentLogger })
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
    const run = await runTend(['status'], env)
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
