// The dashboard's rule writes over real HTTP: behind the browser session and its CSRF token, bad input
// answered with the API's precise 4xx, rule text escaped in the page, and the pages' query checked.
import assert from 'node:assert/strict'
import { homedir } from 'node:os'
import { after, before, describe, it } from 'node:test'
import type { RunningServer } from '../../src/server/serve.ts'
import { rulesOf } from '../../src/service/rules.ts'
import { startTestReceiver, tempHome } from '../helpers/app.ts'

let server: RunningServer
const home = tempHome('tend-uirules-')
before(async () => {
  ;({ server } = await startTestReceiver(home.dir, { channels: () => [] }))
})
after(async () => {
  await server.close()
  home.cleanup()
})

/** A signed-in browser: its cookie, the page's CSRF token, and the write key its login handed it. */
async function signIn(): Promise<{ cookie: string; csrf: string; key: string }> {
  const link = await fetch(`${server.url}/v1/browser/login-links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.services.token}` },
  })
  const res = await fetch(((await link.json()) as { url: string }).url)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  const key = /name="tend-write-key" content="([^"]+)"/.exec(await res.text())![1]!
  const page = await (await fetch(`${server.url}/`, { headers: { cookie } })).text()
  return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(page)![1]!, key }
}

describe('/ui/rules', () => {
  it('writes need the session and its CSRF token; bad input gets the precise 4xx', async () => {
    const { cookie, csrf, key } = await signIn()
    const post = (
      body: unknown,
      headers: Record<string, string> = { cookie, 'x-csrf-token': csrf, 'x-tend-key': key },
    ) =>
      fetch(`${server.url}/ui/rules`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const rule = { kind: 'deny', rule: 'Bash(rm -rf:*)', reason: '<script>alert(1)</script>' }
    assert.equal((await post(rule, { cookie })).status, 403, 'no CSRF token')
    assert.equal((await post(rule, {})).status, 401, 'no session')
    assert.deepEqual(rulesOf(server.services).list(), [])

    const bad = await post({ kind: 'allow', rule: 'Bash(npm test:*', scope: '~/work/**' })
    assert.equal(bad.status, 400)
    const issues = ((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues
    assert.deepEqual(
      issues.map((i) => i.path),
      ['rule'],
    )
    const nobody = await post({ kind: 'allow', rule: 'Bash(ls)', scope: 'no-such-agent' })
    assert.equal(nobody.status, 404)

    const added = await post(rule)
    assert.equal(added.status, 201)
    const body = (await added.json()) as { rule: { id: number }; html: string }
    assert.doesNotMatch(body.html, /<script>alert/)
    assert.match(body.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
    assert.equal((await post(rule)).status, 409, 'the same rule twice')

    // `~` in the page's "applies to" is this machine's home.
    const tilde = await post({ kind: 'allow', rule: 'Bash(npm test:*)', scope: '~/work/api/**' })
    assert.equal(tilde.status, 201)
    const homeDir = homedir()
    assert.equal(((await tilde.json()) as { rule: { target: string } }).rule.target, `${homeDir}/work/api/**`)

    const del = (id: string, headers: Record<string, string>) =>
      fetch(`${server.url}/ui/rules/${id}`, { method: 'DELETE', headers })
    assert.equal((await del('1', { cookie })).status, 403)
    assert.equal((await del('x', { cookie, 'x-csrf-token': csrf, 'x-tend-key': key })).status, 400)
    assert.equal((await del('99', { cookie, 'x-csrf-token': csrf, 'x-tend-key': key })).status, 404)
    assert.equal((await del(String(body.rule.id), { cookie, 'x-csrf-token': csrf, 'x-tend-key': key })).status, 200)

    const test = await fetch(`${server.url}/ui/rules/test`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'x-tend-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ target: '/tmp', call: 'npm test' }),
    })
    assert.equal(test.status, 400)

    assert.equal((await fetch(`${server.url}/ui/rules?risky=2`, { headers: { cookie } })).status, 400)
    assert.equal((await fetch(`${server.url}/ui/report?days=0`, { headers: { cookie } })).status, 400)
    const page = await fetch(`${server.url}/ui/report?days=3`, { headers: { cookie } })
    assert.equal(page.status, 200)
    assert.match(await page.text(), /\(3 days\)/)
  })
})
