// The real hooks/tend-hook in policy mode (PreToolUse): it waits for the receiver only while deny or ask
// rules exist, prints their answer, and fails safe (says nothing) when the receiver is down.
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isTendHandler, removeTendHooks, tendHooks } from '../../src/cli/hook-settings.ts'
import type { RunningServer } from '../../src/server/serve.ts'
import { POLICY_MARKER, rulesOf } from '../../src/service/rules.ts'
import { startTestReceiver, tempHome } from '../helpers/app.ts'
import { runHook, silentServer } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

describe('tend-hook policy', () => {
  const home = tempHome()
  let server: RunningServer | null = null
  let env: Record<string, string>
  const pre = (sid: string, command: string) =>
    payload('PreToolUse', {
      session_id: sid,
      cwd: '/tmp',
      tool_name: 'Bash',
      tool_input: { command },
      tool_use_id: sid,
    })

  before(async () => {
    ;({ env, server } = await startTestReceiver(home.dir, { channels: () => [] }))
  })
  after(async () => {
    await server?.close()
    home.cleanup()
  })

  it('with no deny or ask rule: prints nothing, and the event still reaches the receiver (in the background)', async () => {
    assert.equal(existsSync(join(home.dir, POLICY_MARKER)), false)
    const run = await runHook(pre('bg-1', 'rm -rf /'), env, ['policy'])
    assert.deepEqual([run.code, run.stdout], [0, ''])
    await waitFor(
      () => server!.services.store.sqlite.prepare("select 1 from events where session_id = 'bg-1'").get() !== undefined,
      5000,
      'the PreToolUse observed in the background',
    )
  })

  it('with a deny rule: prints the deny for Claude Code', async () => {
    rulesOf(server!.services).add({ kind: 'deny', rule: 'Bash(rm -rf:*)', reason: 'not here' })
    assert.equal(existsSync(join(home.dir, POLICY_MARKER)), true)
    const run = await runHook(pre('sync-1', 'ls && rm -rf /'), env, ['policy'])
    assert.equal(run.code, 0)
    const out = JSON.parse(run.stdout) as { hookSpecificOutput: Record<string, string> }
    assert.equal(out.hookSpecificOutput['permissionDecision'], 'deny')
    assert.match(out.hookSpecificOutput['permissionDecisionReason']!, /not here/)
    const fine = await runHook(pre('sync-2', 'ls'), env, ['policy'])
    assert.deepEqual([fine.code, fine.stdout.trim()], [0, '{}'], 'no rule: an empty answer')
  })

  it('a stalled receiver: gives up at its own bound, prints nothing (no rule allows by default), exits 0, spools', async (t) => {
    const elsewhere = tempHome() // no socket there: the hook goes to the TCP port
    const silent = await silentServer()
    t.after(async () => {
      await silent.close()
      elsewhere.cleanup()
    })
    const stalled = {
      TEND_HOME: elsewhere.dir,
      TEND_PORT: String(silent.port),
      TEND_TOKEN: 'any',
      TEND_POLICY_SYNC: '1', // wait for the answer as while deny or ask rules exist
      TEND_POLICY_MAX_TIME: '0.5',
    }
    // The receiver never answers: the hook returns only because it gave up on its own bound.
    const run = await runHook(pre('stall-1', 'rm -rf /'), stalled, ['policy'])
    assert.deepEqual([run.code, run.stdout], [0, ''])
    assert.equal(readdirSync(join(elsewhere.dir, 'spool')).filter((f) => f.endsWith('.json')).length, 1)
  })

  it('receiver down: prints nothing (Claude Code’s own flow applies), exits 0, and spools the event', async () => {
    await server!.close()
    server = null
    const run = await runHook(pre('down-1', 'rm -rf /'), env, ['policy'])
    assert.deepEqual([run.code, run.stdout], [0, ''])
    assert.equal(readdirSync(join(home.dir, 'spool')).filter((f) => f.endsWith('.json')).length, 1)
  })
})

describe('tend install registers PreToolUse for policy', () => {
  it('a synchronous, bounded `tend-hook policy` handler; uninstall takes it out again', () => {
    const hooks = tendHooks({ hookPath: '/opt/tend/hooks/tend-hook', env: {} })
    assert.deepEqual(hooks['PreToolUse'], [
      { hooks: [{ type: 'command', command: "'/opt/tend/hooks/tend-hook' policy", timeout: 10 }] },
    ])
    assert.equal(isTendHandler(hooks['PreToolUse']![0]!.hooks[0]), true)
    assert.deepEqual(removeTendHooks({ hooks }), {})
  })
})
