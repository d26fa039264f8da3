// The dashboard's sign-in and pages against a real receiver over real HTTP, as a hostile web page or
// another local user would reach them: the one-time login link raced, the cookie's flags, the
// headers every page carries (CSP, framing, referrer, caching), fetch metadata, DNS rebinding, the
// CSRF token bound to its session, the write key a stolen cookie lacks (cookies ignore ports: a server
// on 127.0.0.1:9999 gets the cookie, never the key in localStorage), revocation ending a live stream,
// and agent-controlled text escaped in the pages and in the stream's fragments.
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { agentPageUrl } from '../../src/service/agent-link.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { tempHome } from '../helpers/app.ts'
import { freePort, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

let server: RunningServer
/** Everything the receiver logged (what serve.log would hold). */
const logged: string[] = []
const home = tempHome('tend-dashsec-')
let env: Record<string, string>
before(async () => {
  env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  server = await startServer(loadConfig(env), {
    log: createLogger({ write: (l) => logged.push(l) }),
    channels: () => [],
  })
})
after(async () => {
  await server.close()
  home.cleanup()
})

const bearer = () => ({ authorization: `Bearer ${server.services.token}` })

async function loginLink(): Promise<string> {
  const res = await fetch(`${server.url}/v1/browser/login-links`, { method: 'POST', headers: bearer() })
  assert.equal(res.status, 200)
  return ((await res.json()) as { url: string }).url
}

/** Signs in as the browser would: the cookie, the write key the login answer hands its page, the CSRF token. */
async function signIn(): Promise<{ cookie: string; csrf: string; setCookie: string; key: string }> {
  const res = await fetch(await loginLink())
  assert.equal(res.status, 200)
  const setCookie = res.headers.get('set-cookie')!
  const cookie = setCookie.split(';')[0]!
  const key = /name="tend-write-key" content="([A-Za-z0-9_-]{43})"/.exec(await res.text())![1]!
  const page = await (await fetch(`${server.url}/`, { headers: { cookie } })).text()
  return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(page)![1]!, setCookie, key }
}

/** A raw request, Host header and all (fetch won't let a Host be set). */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function hook(body: object) {
  const res = await fetch(`${server.url}/v1/hooks`, {
    method: 'POST',
    headers: { ...bearer(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  assert.equal(res.status, 200, await res.clone().text())
}

/** Reads a live stream's events until `until` says stop (or the stream ends); then lets it go. */
async function readEvents(
  res: Response,
  until: (events: Array<{ event: string; data: string }>) => boolean,
): Promise<{ events: Array<{ event: string; data: string }>; ended: boolean }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: Array<{ event: string; data: string }> = []
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return { events, ended: true }
    buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n')
      if (event) events.push({ event, data })
    }
    if (until(events)) {
      await reader.cancel()
      return { events, ended: false }
    }
  }
}

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

function assertGuarded(headers: Record<string, string | string[] | undefined>, what: string) {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) assert.equal(headers[name], value, `${what}: ${name}`)
  const csp = String(headers['content-security-policy'])
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP forbids framing`)
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no inline script or style`)
}

describe('the dashboard over real HTTP', () => {
  it('a login link raced by two (and by eight) requests at once signs in exactly one', async () => {
    for (const n of [2, 8]) {
      const link = await loginLink()
      const answers = await Promise.all(Array.from({ length: n }, () => fetch(link)))
      const statuses = answers.map((r) => r.status).sort()
      assert.deepEqual(statuses, [200, ...Array(n - 1).fill(401)], `${n} at once`)
      assert.equal(answers.filter((r) => r.headers.get('set-cookie')).length, 1, 'one cookie')
    }
  })

  it('the link is 256 random bits, never logged, and its answer is kept out of caches, frames and Referer', async () => {
    const link = await loginLink()
    const secret = new URL(link).pathname.split('/').pop()!
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url')
    const res = await raw(new URL(link).pathname, { accept: 'text/html' })
    assert.equal(res.status, 200)
    assertGuarded(res.headers, 'the login page')
    const used = await raw(new URL(link).pathname, { accept: 'text/html' })
    assert.equal(used.status, 401)
    assertGuarded(used.headers, 'a used link')
    assert.ok(!logged.join('\n').includes(secret), 'the link is not in the log')
    assert.ok(!logged.join('\n').includes(server.services.token), 'nor the token')
    assert.doesNotMatch(res.body, /http-equiv="refresh" content="0;url=(?!\/")/, 'it goes on to / only')
  })

  it('the cookie: named for the port, HttpOnly, SameSite=Strict, Path=/, a fresh session each time', async () => {
    const a = await signIn()
    const port = new URL(server.url).port
    assert.match(a.setCookie, new RegExp(`^tend_session_${port}=[0-9a-f]{12}\\.[A-Za-z0-9_-]{43};`))
    const flags = a.setCookie.split(';').map((f) => f.trim().toLowerCase())
    for (const f of ['httponly', 'samesite=strict', 'path=/']) assert.ok(flags.includes(f), `${f} in ${a.setCookie}`)
    assert.ok(!flags.some((f) => f.startsWith('domain=')), 'a host-only cookie')
    const b = await signIn()
    assert.notEqual(a.cookie, b.cookie, 'a new session, never one the browser already carried')
    // Fixation: a cookie sent along with the login link is not adopted.
    const link = await loginLink()
    const c = await fetch(link, { headers: { cookie: a.cookie } })
    assert.notEqual(c.headers.get('set-cookie')!.split(';')[0], a.cookie)
  })

  it("one session's CSRF token does not write for another", async () => {
    const a = await signIn()
    const b = await signIn()
    const res = await fetch(`${server.url}/ui/priorities`, {
      method: 'PUT',
      headers: { cookie: a.cookie, 'x-csrf-token': b.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'x', priority: 2 }),
    })
    assert.equal(res.status, 403)
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'forbidden_csrf')
    const logout = await fetch(`${server.url}/ui/logout`, {
      method: 'POST',
      headers: { cookie: a.cookie, 'x-tend-key': a.key },
    })
    assert.equal(logout.status, 403, 'logout needs the token too')
  })

  describe('a stolen cookie (what a server on another port of this host receives) reads but never acts', () => {
    const THIEF_UA = 'curl/8.5.0'
    /** Everything a program holding only the cookie learns: the CSRF token from any page it GETs. */
    async function thief(cookie: string) {
      const page = await (await fetch(`${server.url}/ui/rules`, { headers: { cookie, 'user-agent': THIEF_UA } })).text()
      const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!
      return (method: string, path: string, body?: object, extra: Record<string, string> = {}) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: {
            cookie,
            'x-csrf-token': csrf,
            'user-agent': THIEF_UA,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...extra,
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        })
    }
    async function refusedForKey(res: Response, what: string) {
      const text = await res.text()
      assert.equal(res.status, 403, `${what}: ${text}`)
      const { error } = JSON.parse(text) as { error: { code: string; message: string } }
      assert.equal(error.code, 'forbidden_write_key', what)
      assert.match(error.message, /can read but not act: run `tend open` again/, what)
    }
    const waitOf = (sid: string) => getAgentDetail(server.services.store.db, sid)!.waits.at(-1)!.id
    const heldFor = (sid: string) =>
      waitFor(() => server.services.holds.list().some((h) => JSON.stringify(h).includes(sid)), 10_000, `${sid} held`)

    it('approve, reply, rules and logout with the cookie and the CSRF token: 403; with the write key: done', async () => {
      const { cookie, key } = await signIn()
      const act = await thief(cookie)
      const ev = (sid: string, key: string, extra = {}) =>
        payload(key, { session_id: sid, cwd: `/home/me/${sid}`, ...extra })
      // One agent held on a permission dialog, one held at its Stop (a reply).
      await runHook(ev('thief-perm', 'UserPromptSubmit', { prompt: 'publish it' }), env)
      const permission = runHook(
        ev('thief-perm', 'PermissionRequest', { tool_input: { command: 'npm publish' } }),
        env,
        ['hold', '60'],
      )
      await heldFor('thief-perm')
      await runHook(ev('thief-stop', 'UserPromptSubmit', { prompt: 'write the migration' }), env)
      // A Stop is held only while the person is away (`tend away`).
      const away = (v: boolean) =>
        fetch(`${server.url}/v1/presence`, {
          method: 'PUT',
          headers: { ...bearer(), 'content-type': 'application/json' },
          body: JSON.stringify({ away: v }),
        })
      assert.equal((await away(true)).status, 200)
      const stop = runHook(ev('thief-stop', 'Stop', { last_assistant_message: 'Shall I run it?' }), env, ['hold', '60'])
      await heldFor('thief-stop')
      const permWait = waitOf('thief-perm')
      const stopWait = waitOf('thief-stop')

      await refusedForKey(await act('POST', `/ui/waits/${permWait}/answer`, { action: 'approve' }), 'approve')
      await refusedForKey(
        await act('POST', `/ui/waits/${stopWait}/answer`, { action: 'reply', text: 'rm -rf ~' }),
        'reply',
      )
      await refusedForKey(await act('POST', '/ui/rules', { kind: 'allow', rule: 'Bash(*)' }), 'add a rule')
      await refusedForKey(await act('POST', '/ui/rules/test', { target: 'x', call: 'Bash(ls)' }), 'test a rule')
      await refusedForKey(await act('DELETE', '/ui/rules/1'), 'remove a rule')
      await refusedForKey(await act('PUT', '/ui/priorities', { target: 'thief-perm', priority: 1 }), 'priority')
      await refusedForKey(await act('POST', '/ui/logout'), 'logout')
      await refusedForKey(await act('POST', '/ui/logout', undefined, { 'x-tend-key': '' }), 'an empty key')
      await refusedForKey(
        // The key with its last character changed (a fixed 'A' was the key itself in 1 run of 64).
        await act('POST', '/ui/logout', undefined, {
          'x-tend-key': key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'),
        }),
        'near key',
      )
      assert.deepEqual(server.services.holds.list().length, 2, 'both agents still wait: nothing reached them')
      assert.equal(getAgentDetail(server.services.store.db, 'thief-perm')!.waits.at(-1)!.id, permWait)
      assert.equal((await act('GET', '/ui/attention')).status, 200, 'the cookie still reads: that is what it can do')

      // The page that holds the key does each of them.
      const withKey = { 'x-tend-key': key }
      const approved = await act('POST', `/ui/waits/${permWait}/answer`, { action: 'approve' }, withKey)
      assert.equal(approved.status, 200, await approved.clone().text())
      assert.equal(JSON.parse((await permission).stdout).hookSpecificOutput.decision.behavior, 'allow')
      const replied = await act('POST', `/ui/waits/${stopWait}/answer`, { action: 'reply', text: 'run it' }, withKey)
      assert.equal(replied.status, 200, await replied.clone().text())
      assert.equal(JSON.parse((await stop).stdout).reason, 'run it')
      assert.equal((await away(false)).status, 200)
      const added = await act('POST', '/ui/rules', { kind: 'allow', rule: 'Bash(npm test)' }, withKey)
      assert.equal(added.status, 201, await added.clone().text())
      const out = await act('POST', '/ui/logout', undefined, withKey)
      assert.equal(out.status, 200, await out.clone().text())
      assert.equal((await act('GET', '/ui/attention')).status, 401, 'logged out')
    })

    it('the write key is in the login answer only: in no later page, stream event, session list or log line', async () => {
      const { cookie, key } = await signIn()
      await hook(payload('SessionStart:startup', { session_id: 'key-agent', cwd: '/home/me/key' }))
      for (const path of ['/', '/ui/agents/key-agent', '/ui/rules', '/ui/report', '/ui/attention']) {
        const res = await raw(path, { cookie, accept: 'text/html' })
        assert.equal(res.status, 200, path)
        assert.ok(!res.body.includes(key), `not in ${path}`)
        assert.ok(!JSON.stringify(res.headers).includes(key), `not in the headers of ${path}`)
      }
      for (const path of ['/ui/events', '/ui/events?agent=key-agent']) {
        const ctl = new AbortController()
        const res = await fetch(`${server.url}${path}`, { headers: { cookie }, signal: ctl.signal })
        const { events } = await readEvents(res, (e) => e.some((x) => x.event === 'fragments'))
        ctl.abort()
        assert.ok(!JSON.stringify(events).includes(key), `not in ${path}`)
      }
      const sessions = await (await fetch(`${server.url}/v1/browser/sessions`, { headers: bearer() })).text()
      assert.doesNotMatch(sessions, /writeKey|write_key/, 'the session list holds no key, nor its hash')
      // A write with it: the key travels in a header, which the log does not keep.
      const res = await fetch(`${server.url}/ui/priorities`, {
        method: 'PUT',
        headers: {
          cookie,
          'x-csrf-token': /name="csrf-token" content="([^"]+)"/.exec((await raw('/', { cookie })).body)![1]!,
          'x-tend-key': key,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ target: 'key-agent', priority: 2 }),
      })
      assert.equal(res.status, 200, await res.text())
      assert.ok(!logged.join('\n').includes(key), 'not in the log')
      const row = server.services.store.sqlite.prepare('select write_key_hash from browser_sessions').all()
      assert.ok(!JSON.stringify(row).includes(key), 'kept only as its hash')
    })
  })

  it('every page and answer carries no-store, no-referrer, no framing; signed out too', async () => {
    const { cookie } = await signIn()
    await hook(payload('SessionStart:startup', { session_id: 'hdr-agent', cwd: '/home/me/hdr' }))
    for (const path of ['/', '/ui/agents/hdr-agent', '/ui/attention', '/ui/agents/no-such-agent']) {
      assertGuarded((await raw(path, { cookie, accept: 'text/html' })).headers, path)
    }
    const out = await raw('/', { accept: 'text/html' })
    assert.equal(out.status, 401)
    assertGuarded(out.headers, 'the signed-out page')
  })

  it('another site or another port of this host may not read the stream or the data with the cookie', async () => {
    const { cookie } = await signIn()
    for (const site of ['same-site', 'cross-site']) {
      for (const path of ['/ui/attention', '/ui/events', '/']) {
        const res = await raw(path, {
          cookie,
          'sec-fetch-site': site,
          'sec-fetch-mode': 'cors',
          'sec-fetch-dest': 'empty',
        })
        assert.equal(res.status, 403, `${site} fetch of ${path}: ${res.body}`)
        assert.match(res.body, /forbidden_origin/)
      }
      const framed = await raw('/', {
        cookie,
        'sec-fetch-site': site,
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'iframe',
      })
      assert.equal(framed.status, 403, `${site} iframe`)
      // The person following a link to the dashboard gets the page (a cross-site one carries no cookie).
      const followed = await raw('/', {
        cookie,
        'sec-fetch-site': site,
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      })
      assert.equal(followed.status, 200, `${site} link followed`)
    }
    const own = await raw('/ui/attention', { cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' })
    assert.equal(own.status, 200, 'the page itself')
  })

  it('a rebinding name (Host: evil.example resolving to 127.0.0.1) reaches no page, stream or login', async () => {
    const { cookie } = await signIn()
    const link = new URL(await loginLink()).pathname
    for (const host of [
      'evil.example',
      `evil.example:${new URL(server.url).port}`,
      'localhost.evil.example',
      '127.0.0.1.nip.io',
    ]) {
      for (const path of ['/', '/ui/events', '/ui/attention', link]) {
        const res = await raw(path, { cookie, host })
        assert.equal(res.status, 403, `Host ${host} ${path}`)
        assert.match(res.body, /forbidden_host/)
      }
    }
    assert.equal((await fetch(`${server.url}${link}`)).status, 200, 'the link was not spent by the refused requests')
  })

  it('revoking a session ends its live stream at once', async () => {
    const { cookie } = await signIn()
    const id = /=([0-9a-f]{12})\./.exec(cookie)![1]!
    const ctl = new AbortController()
    const res = await fetch(`${server.url}/ui/events`, { headers: { cookie }, signal: ctl.signal })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('cache-control')!, /^no-(store|cache)$/)
    const reader = readEvents(res, (events) => events.some((e) => e.event === 'signed-out'))
    await waitFor(() => server.services.bus.listenerCount('signedOut') > 0, 5000, 'the stream listens')
    const revoked = await fetch(`${server.url}/v1/browser/sessions/${id}`, { method: 'DELETE', headers: bearer() })
    assert.equal(revoked.status, 200)
    const { events } = await reader
    assert.equal(events.at(-1)!.event, 'signed-out')
    ctl.abort()
    assert.equal((await raw('/ui/attention', { cookie })).status, 401)
  })
})

describe('agent-controlled text in the dashboard', () => {
  const X = `<x-pwn a='1' b="2">&amp;</x-pwn></script><script>alert(1)</script>`
  const SID = `sid-${X}`.slice(0, 200)

  function clean(html: string, what: string) {
    assert.doesNotMatch(html, /<x-pwn/i, `${what}: an agent's markup is escaped`)
    assert.doesNotMatch(html, /<script>alert/i, `${what}: an agent's script is escaped`)
  }

  it('is escaped in the pages and in the live fragments (text, attributes, URLs)', async () => {
    await hook(payload('SessionStart:startup', { session_id: SID, cwd: `/home/me/${X}` }))
    await hook(payload('UserPromptSubmit', { session_id: SID, cwd: `/home/me/${X}`, prompt: X }))
    await hook(
      payload('PreToolUse', { session_id: SID, cwd: `/home/me/${X}`, tool_input: { command: X, description: X } }),
    )
    await hook(payload('Notification:permission_prompt', { session_id: SID, cwd: `/home/me/${X}`, message: X }))
    await hook(payload('Stop', { session_id: SID, cwd: `/home/me/${X}`, last_assistant_message: X }))
    const { cookie } = await signIn()
    const home = await (await fetch(`${server.url}/`, { headers: { cookie } })).text()
    clean(home, 'the front page')
    assert.match(home, /&lt;x-pwn/, 'the text is shown, escaped')
    const agentPath = `/ui/agents/${encodeURIComponent(SID)}`
    const agent = await fetch(`${server.url}${agentPath}`, { headers: { cookie } })
    assert.equal(agent.status, 200)
    const agentHtml = await agent.text()
    clean(agentHtml, 'the agent page')
    assert.equal(agentHtml.match(/<\/script>/g)!.length, agentHtml.match(/<script src=/g)!.length, 'no script but ours')
    // The read-only page a ping's Open link shows (signed, no cookie): escaped, and never framed or cached.
    const open = await raw(
      new URL(agentPageUrl(server.services, SID)).pathname + new URL(agentPageUrl(server.services, SID)).search,
      {},
    )
    assert.equal(open.status, 200, open.body)
    clean(open.body, 'the Open page')
    for (const [name, value] of Object.entries(PAGE_HEADERS))
      assert.equal(open.headers[name], value, `the Open page: ${name}`)
    assert.match(String(open.headers['content-security-policy']), /frame-ancestors 'none'/)
    assert.doesNotMatch(String(open.headers['content-security-policy']), /script-src|unsafe-eval/)
    for (const path of ['/ui/events', `/ui/events?agent=${encodeURIComponent(SID)}`]) {
      const ctl = new AbortController()
      const res = await fetch(`${server.url}${path}`, { headers: { cookie }, signal: ctl.signal })
      const { events } = await readEvents(res, (e) => e.some((x) => x.event === 'fragments'))
      ctl.abort()
      const fragments = JSON.parse(events.find((e) => e.event === 'fragments')!.data) as Record<string, string>
      for (const [id, html] of Object.entries(fragments)) clean(html, `${path} fragment #${id}`)
    }
  })
})
