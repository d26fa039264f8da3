// The CLI reads where the receiver is without validating the environment (no zod on `tend status`'s
// path); a call that fails validates it, so a bad variable is still named, not taken for a receiver down.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { RunningServer } from '../../src/server/serve.ts'
import { startTestReceiver, tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { freePort } from '../helpers/hook.ts'

describe('the CLI and its environment', () => {
  const home = tempHome()
  let server: RunningServer
  let env: Record<string, string>
  before(async () => {
    ;({ env, server } = await startTestReceiver(home.dir))
  })
  after(async () => {
    await server.close()
    home.cleanup()
  })

  it('a valid environment: the call goes through', async () => {
    const run = await runTend(['status', '--json'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.deepEqual(JSON.parse(run.stdout).agents, [])
  })

  it('a port out of range, or not a number: named as the environment, not "no receiver"', async () => {
    for (const port of ['99999', 'abc']) {
      const run = await runTend(['status'], { ...env, TEND_PORT: port })
      assert.equal(run.code, 1)
      assert.match(run.stderr, /^tend: invalid environment:[\s\S]*TEND_PORT/, port)
    }
  })

  it('a TEND_URL that is no URL, a TEND_TOKEN too short: each named', async () => {
    const url = await runTend(['status'], { ...env, TEND_URL: 'not a url' })
    assert.equal(url.code, 1)
    assert.match(url.stderr, /invalid environment:[\s\S]*TEND_URL/)
    const token = await runTend(['away'], { ...env, TEND_TOKEN: 'short' })
    assert.equal(token.code, 1)
    assert.match(token.stderr, /TEND_TOKEN must be at least 16 characters/)
  })

  it('the receiver down and config.json invalid: the file is named', async () => {
    const other = tempHome()
    try {
      writeFileSync(join(other.dir, 'config.json'), '{"notify": {"graceSec": -1}}')
      writeFileSync(join(other.dir, 'token'), 'a-token-long-enough-for-tend\n')
      const run = await runTend(['status'], {
        TEND_HOME: other.dir,
        HOME: other.dir,
        TEND_PORT: String(await freePort()),
      })
      assert.equal(run.code, 1)
      assert.match(run.stderr, /config\.json|graceSec/)
    } finally {
      other.cleanup()
    }
  })
})
