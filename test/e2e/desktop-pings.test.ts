// Desktop pings end to end: real receiver, real hook script, a real notification daemon (dunst)
// in a private headless desktop; and with no daemon at all.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { createDesktopPings } from '../../src/notify/desktop-pings.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { recentPings } from '../../src/store/pings.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { startDesktop, type Desktop } from '../helpers/desktop.ts'
import { freePort, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(daemon: 'dunst' | 'none') {
  const desktop: Desktop = await startDesktop({ daemon })
  cleanups.push(() => desktop.stop())
  const home = tempHome()
  cleanups.push(home.cleanup)
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  writeFileSync(
    join(home.dir, 'config.json'),
    JSON.stringify({ notify: { graceSec: 1, presenceHoldSec: 0, minGapSec: 0 }, holds: { autoAwayAfterSec: 0 } }),
  )
  // The receiver's desktop is the private one; nothing reaches the machine's real desktop.
  const server: RunningServer = await startServer(loadConfig(env), {
    log: silentLogger,
    channels: (services) => [createDesktopPings(services, { env: desktop.env, timeoutMs: 3000 })],
  })
  cleanups.push(() => server.close())
  const agent =
    (sid: string, cwd: string) =>
    (key: string, extra = {}) =>
      payload(key, { session_id: sid, cwd, ...extra })
  return { desktop, env, server, agent }
}

describe('desktop pings in a private headless desktop', () => {
  it('the notification names the most-blocked agent and its wait; Approve answers the held hook', async () => {
    const { desktop, env, server, agent } = await setup('dunst')
    const api = agent('a1a1a1a1-0000-4000-8000-000000000001', '/work/projects/api')
    const web = agent('b2b2b2b2-0000-4000-8000-000000000002', '/work/projects/web')
    await runHook(api('UserPromptSubmit'), env)
    await runHook(web('UserPromptSubmit'), env)
    await runHook(api('Stop', { last_assistant_message: 'All green.' }), env, ['hold', '60'])
    const held = runHook(
      web('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'npm publish --tag next' } }),
      env,
      ['hold', '60'],
    )

    const note = await desktop.waitForNotify((n) => n.summary.startsWith('web·b2b2b2b2'), 20_000)
    assert.match(note.summary, /^web·b2b2b2b2 needs your permission \(\d+s\)$/)
    assert.match(note.body, /^Bash: npm publish --tag next\n\+1 more, longest \d+s$/)
    assert.deepEqual(
      note.actions.map((a) => a.label),
      ['Approve', 'Deny'],
    )
    assert.equal(note.urgency, 2)
    assert.equal(note.app_name, 'tend')

    await desktop.invokeAction('approve')
    const out = await held
    assert.deepEqual(JSON.parse(out.stdout), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    })
    const endedVia = await waitFor(() => {
      const w = server.services.store.sqlite.prepare("select ended_via from waits where kind = 'permission'").get() as
        { ended_via: string | null } | undefined
      return w?.ended_via
    })
    assert.equal(endedVia, 'desktop')

    // Next: the api agent, now alone, with an Open action.
    const next = await desktop.waitForNotify((n) => n.summary.startsWith('api·a1a1a1a1'), 20_000)
    assert.match(next.summary, /is done and waits for you/)
    assert.equal(next.body, 'done: All green.\nno other agent waits')
    assert.deepEqual(
      next.actions.map((a) => a.label),
      ['Open'],
    )
    const log = recentPings(server.services.store.db).filter((p) => p.outcome === 'sent')
    assert.equal(log.length, 2, 'one ping per wait, no duplicate on later ticks')
  })

  it('with no notification daemon tend keeps working, logs the failure, and `tend doctor` says why', async () => {
    const { env, server, agent } = await setup('none')
    const api = agent('c3c3c3c3-0000-4000-8000-000000000003', '/work/projects/api')
    await runHook(api('UserPromptSubmit'), env)
    await runHook(api('Stop', { last_assistant_message: 'Shall I deploy?' }), env, ['hold', '60'])
    const failed = await waitFor(
      () => recentPings(server.services.store.db).find((p) => p.outcome === 'failed'),
      10_000,
      'a failed ping',
    )
    assert.match(failed.detail ?? '', /notification|D-Bus|ServiceUnknown/i)

    const status = await runTend(['status', '--json'], env)
    assert.equal(JSON.parse(status.stdout).agents[0].state, 'blocked:question')
    const doctor = await runTend(['doctor'], env)
    assert.equal(doctor.code, 1)
    assert.match(doctor.stdout, /✗ desktop notifications \(as the receiver sees it\)/)
    assert.match(doctor.stdout, /no notification server/i)
  })
})
