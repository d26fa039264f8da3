// The SessionStart hook as installed (`tend-hook hold 0`, synchronous): the real script against a real
// receiver prints the warning beyond the limit and nothing within it; with the receiver down or hung
// it prints nothing, exits 0 and keeps the event for the replay.
import assert from 'node:assert/strict'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer } from '../../src/server/serve.ts'
import { tempHome } from '../helpers/app.ts'
import { freePort, runHook, silentServer } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(ceiling: number) {
  const home = tempHome()
  cleanups.push(home.cleanup)
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ economics: { ceiling } }))
  const env = { TEND_HOME: home.dir, TEND_PORT: String(await freePort()), HOME: home.dir }
  const config = loadConfig(env)
  const spooled = () => {
    try {
      return readdirSync(config.paths.spoolDir).filter((f) => f.endsWith('.json'))
    } catch {
      return []
    }
  }
  return { env, config, spooled }
}

const start = (sid: string, source = 'startup') =>
  payload('SessionStart:startup', { session_id: sid, cwd: `/w/${sid}`, source })

describe('the SessionStart hook (hold 0)', () => {
  it('prints the systemMessage beyond the limit, nothing within it, and not for a /clear', async () => {
    const { env, config } = await setup(2)
    const server = await startServer(config, { log: silentLogger })
    cleanups.push(() => server.close())
    for (const sid of ['aaaa-1', 'bbbb-2']) {
      const run = await runHook(start(sid), env, ['hold', '0'])
      assert.equal(run.code, 0)
      assert.equal(run.stdout.trim(), '{}', 'within the ceiling: an empty answer')
    }
    const third = await runHook(start('cccc-3'), env, ['hold', '0'])
    assert.equal(third.code, 0)
    assert.deepEqual(JSON.parse(third.stdout), {
      systemMessage: 'tend: 3 agents live; beyond your ceiling of 2 (N not measured yet): agents will queue on you',
    })
    // The same session after /clear is no new agent.
    assert.equal((await runHook(start('cccc-3', 'clear'), env, ['hold', '0'])).stdout.trim(), '{}')
  })

  it('receiver down: prints nothing, exits 0, and spools the event', async () => {
    const { env, spooled } = await setup(1)
    const run = await runHook(start('dddd-4'), env, ['hold', '0'])
    assert.equal(run.code, 0)
    assert.equal(run.stdout, '')
    assert.equal(spooled().length, 1)
  })

  it('receiver hung: gives up after its observer bound, prints nothing, exits 0', async () => {
    const { env, spooled } = await setup(1)
    const hung = await silentServer()
    cleanups.push(() => hung.close())
    const port = hung.port
    const run = await runHook(start('eeee-5'), { ...env, TEND_PORT: String(port), TEND_OBSERVE_MAX_TIME: '1' }, [
      'hold',
      '0',
    ])
    assert.equal(run.code, 0)
    assert.equal(run.stdout, '')
    assert.equal(spooled().length, 1, 'kept for the replay')
  })
})
