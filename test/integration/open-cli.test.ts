// `tend open` against a real receiver: a one-time login link (printed without a display), the
// signed-in browsers listed, and one revoked so its cookie no longer opens the dashboard.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { opener } from '../../src/cli/open.ts'
import type { RunningServer } from '../../src/server/serve.ts'
import { startTestReceiver, tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'

let server: RunningServer
let env: Record<string, string>
const home = tempHome('tend-open-')
before(async () => {
  ;({ env, server } = await startTestReceiver(home.dir, { channels: () => [] }))
})
after(async () => {
  await server.close()
  home.cleanup()
})

const LINK = /(http:\/\/127\.0\.0\.1:\d+\/login\/[A-Za-z0-9_-]{43})/

describe('tend open', () => {
  it('opens with xdg-open or open only where there is a display', () => {
    assert.equal(opener('linux', {}), null)
    assert.equal(opener('linux', { DISPLAY: ':0' }), 'xdg-open')
    assert.equal(opener('linux', { WAYLAND_DISPLAY: 'wayland-0' }), 'xdg-open')
    assert.equal(opener('darwin', {}), 'open')
  })

  it('prints a login link that signs one browser in, once; --sessions lists it; --revoke signs it out', async () => {
    const run = await runTend(['open'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /Open this link in your browser \(valid for 2 min, once\)/)
    const link = LINK.exec(run.stdout)![1]!
    assert.doesNotMatch(run.stdout, new RegExp(server.services.token), 'the token stays out of the link')

    const login = await fetch(link, { headers: { 'user-agent': 'test-browser/1.0' } })
    assert.equal(login.status, 200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    assert.equal((await fetch(link)).status, 401, 'the link works once')
    assert.equal((await fetch(`${server.url}/ui/attention`, { headers: { cookie } })).status, 200)

    const listed = await runTend(['open', '--sessions', '--json'], env)
    assert.equal(listed.code, 0, listed.stderr)
    const { sessions } = JSON.parse(listed.stdout) as { sessions: Array<{ id: string; userAgent: string }> }
    assert.equal(sessions.length, 1)
    assert.equal(sessions[0]!.userAgent, 'test-browser/1.0')
    assert.ok(!('secretHash' in sessions[0]!), 'no hash leaves the receiver')
    const table = await runTend(['open', '--sessions'], env)
    assert.match(table.stdout, new RegExp(`${sessions[0]!.id}.*test-browser/1\\.0`))

    const revoked = await runTend(['open', '--revoke', sessions[0]!.id], env)
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.match(revoked.stdout, new RegExp(`Signed out browser session ${sessions[0]!.id}`))
    assert.equal((await fetch(`${server.url}/ui/attention`, { headers: { cookie } })).status, 401)
    assert.match((await runTend(['open', '--sessions'], env)).stdout, /No browser is signed in/)

    const again = await runTend(['open', '--revoke', sessions[0]!.id], env)
    assert.equal(again.code, 1)
    assert.match(again.stderr, /no signed-in browser session/)
  })
})
