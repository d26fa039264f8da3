// One security test over every route the app has, read from the app itself (Hono's app.routes):
// every /v1 route needs the bearer token, every route refuses a foreign Host (DNS rebinding), every
// write refuses a cross-origin browser request. The routes open without the token are listed here by
// name, so a new route can't slip through untested.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { pageSignature } from '../../src/service/agent-link.ts'
import { makeApp, TEST_TOKEN } from '../helpers/app.ts'

const t = makeApp()
after(() => t.close())

/** The routes that answer without the bearer token, and what each needs instead. */
const UNAUTHENTICATED = ['GET /healthz', 'GET /open/:sessionId', 'GET /login/:secret', 'GET /ui/assets/:name']
/** The dashboard: a browser session's cookie (from a `tend open` login link); on writes a CSRF token and the write key. */
const COOKIE = [
  'GET /',
  'GET /ui/agents/:ref',
  'GET /ui/attention',
  'GET /ui/events',
  'POST /ui/waits/:id/answer',
  'PUT /ui/priorities',
  'DELETE /ui/sessions/:id',
  'POST /ui/logout',
  'GET /ui/rules',
  'GET /ui/report',
  'POST /ui/rules',
  'DELETE /ui/rules/:id',
  'POST /ui/rules/test',
]

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const DUMMY = 'x-dummy-1'

interface Route {
  method: string
  /** As registered: /v1/waits/:id */
  pattern: string
  /** With every parameter filled: /v1/waits/x-dummy-1 */
  path: string
}

/** Every route of createApp(services): method and path, middleware (`use`, a wildcard ALL) left out. */
function appRoutes(): Route[] {
  const seen = new Map<string, Route>()
  for (const r of t.app.routes) {
    if (r.method === 'ALL' && r.path.endsWith('*')) continue // middleware
    // A route for every method (`.all('/x', …)`) is tried as a read and as a write.
    for (const method of r.method === 'ALL' ? ['GET', 'POST'] : [r.method]) {
      const path = r.path.replace(/:[A-Za-z0-9_]+(\{[^}]*\})?\??/g, DUMMY)
      seen.set(`${method} ${r.path}`, { method, pattern: r.path, path })
    }
  }
  return [...seen.values()]
}

const ROUTES = appRoutes()
const V1 = ROUTES.filter((r) => r.pattern === '/v1' || r.pattern.startsWith('/v1/'))
const name = (r: Route) => `${r.method} ${r.pattern}`

/** A long-poll answers at once with waitSec=0; no other route needs a query to answer. */
const QUERY: Record<string, string> = { 'GET /v1/mod/:sessionId/next': '?waitSec=0' }

async function request(r: Route, headers: Record<string, string> = {}): Promise<Response> {
  const write = !SAFE_METHODS.has(r.method)
  return t.app.request(`http://127.0.0.1${r.path}${QUERY[name(r)] ?? ''}`, {
    method: r.method,
    headers: { ...(write ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(write ? { body: '{}' } : {}),
  })
}

const bearer = { authorization: `Bearer ${TEST_TOKEN}` }

async function refused(res: Response, status: number, code: string, what: string) {
  const text = await res.text()
  assert.equal(res.status, status, `${what}: ${text}`)
  const body = JSON.parse(text) as { error: { code: string; message: string; requestId: string } }
  assert.equal(body.error.code, code, what)
  assert.ok(body.error.requestId, `${what}: the error carries its request id`)
}

describe('security on every route', () => {
  it('reads the routes from the app: the /v1 API, and only the listed routes beside it', () => {
    assert.ok(V1.length >= 10, `the app's /v1 routes: ${V1.map(name).join(', ')}`)
    assert.ok(
      V1.some((r) => name(r) === 'POST /v1/hooks'),
      'the hook route is among them',
    )
    assert.deepEqual(
      ROUTES.filter((r) => !V1.includes(r))
        .map(name)
        .sort(),
      [...UNAUTHENTICATED, ...COOKIE].sort(),
      'a route outside /v1 answers without the token: list it in UNAUTHENTICATED or COOKIE and test what guards it',
    )
  })

  it('every filled-in path reaches its own route (so the refusals below are the middleware, not a 404)', async () => {
    for (const r of V1) {
      const res = await request(r, bearer)
      const text = await res.text()
      assert.ok(![401, 403].includes(res.status), `${name(r)} with the token: ${res.status} ${text}`)
      assert.doesNotMatch(text, /no route for/, `${name(r)} is routed as ${r.path}`)
    }
  })

  for (const r of V1) {
    describe(name(r), () => {
      it('no token → 401', async () => {
        await refused(await request(r), 401, 'unauthorized', 'no Authorization header')
      })

      it('a wrong token → 401', async () => {
        await refused(
          await request(r, { authorization: 'Bearer not-the-token-at-all' }),
          401,
          'unauthorized',
          'a wrong token',
        )
        await refused(await request(r, { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'unauthorized', 'Basic auth')
      })

      it('a foreign Host header → 403 forbidden_host, even with the token', async () => {
        await refused(
          await request(r, { ...bearer, host: 'evil.example:4761' }),
          403,
          'forbidden_host',
          'Host: evil.example',
        )
      })

      if (!SAFE_METHODS.has(r.method)) {
        it('a cross-origin browser write → 403 forbidden_origin, even with the token', async () => {
          await refused(
            await request(r, { ...bearer, origin: 'http://evil.example' }),
            403,
            'forbidden_origin',
            'Origin: http://evil.example',
          )
          await refused(
            await request(r, { ...bearer, 'sec-fetch-site': 'cross-site' }),
            403,
            'forbidden_origin',
            'Sec-Fetch-Site: cross-site',
          )
        })
      }
    })
  }

  describe('GET /healthz', () => {
    const r = ROUTES.find((x) => name(x) === 'GET /healthz')!

    it('answers without the token', async () => {
      const res = await request(r)
      assert.equal(res.status, 200)
      assert.equal(((await res.json()) as { ok: boolean }).ok, true)
    })

    it('a foreign Host header → 403 forbidden_host', async () => {
      await refused(await request(r, { host: 'evil.example:4761' }), 403, 'forbidden_host', 'Host: evil.example')
    })
  })

  describe('GET /open/:sessionId', () => {
    const r = ROUTES.find((x) => name(x) === 'GET /open/:sessionId')!
    const exp = t.clock.now + 3600_000
    const link = (agent: string, e = exp) => `exp=${e}&sig=${pageSignature(TEST_TOKEN, agent, e)}`
    const signed = { ...r, path: `${r.path}?${link(DUMMY)}` }

    it('needs no token but a signature for that one agent', async () => {
      await refused(await request(r), 401, 'unauthorized', 'no signature')
      await refused(await request(r, bearer), 401, 'unauthorized', 'the bearer token is no signature')
      const other = { ...r, path: `${r.path}?${link('another-agent')}` }
      await refused(await request(other), 401, 'unauthorized', "another agent's signature")
      const twice = { ...r, path: `${r.path}?${link(DUMMY)}&sig=${'A'.repeat(32)}` }
      await refused(await request(twice), 401, 'unauthorized', 'a second signature beside the good one')
      const expired = { ...r, path: `${r.path}?${link(DUMMY, t.clock.now - 1)}` }
      await refused(await request(expired), 401, 'unauthorized', 'an expired link')
      const moved = { ...r, path: `${r.path}?exp=${exp + 3600_000}&sig=${pageSignature(TEST_TOKEN, DUMMY, exp)}` }
      await refused(await request(moved), 401, 'unauthorized', 'an expiry moved later')
      // Signed for this agent: past the guard (there is no such agent here).
      await refused(await request(signed), 404, 'not_found', 'a valid signature')
    })

    it('a foreign Host header → 403 forbidden_host, even signed', async () => {
      await refused(await request(signed, { host: 'evil.example:4761' }), 403, 'forbidden_host', 'Host: evil.example')
    })
  })

  describe('the dashboard: a session cookie, a CSRF token and the write key on writes', () => {
    const routes = ROUTES.filter((r) => COOKIE.includes(name(r)))

    async function signIn(): Promise<{ cookie: string; csrf: string; key: string }> {
      const link = (await (await t.post('/v1/browser/login-links', {})).json()) as { url: string }
      const res = await t.app.request(`http://127.0.0.1${new URL(link.url).pathname}`)
      assert.equal(res.status, 200)
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!
      const key = /name="tend-write-key" content="([^"]+)"/.exec(await res.text())![1]!
      const page = await (await t.app.request('http://127.0.0.1/', { headers: { cookie } })).text()
      return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(page)![1]!, key }
    }

    it('lists every dashboard route', () => {
      assert.deepEqual(routes.map(name).sort(), [...COOKIE].sort())
    })

    for (const r of routes) {
      describe(name(r), () => {
        it('no cookie → 401, and the bearer token is no cookie', async () => {
          await refused(await request(r), 401, 'unauthorized', 'no cookie')
          await refused(await request(r, bearer), 401, 'unauthorized', 'the bearer token instead of a cookie')
          const forged = { cookie: `tend_session_${t.config.port}=0123456789ab.${'A'.repeat(43)}` }
          await refused(await request(r, forged), 401, 'unauthorized', 'a made-up session cookie')
        })

        it('a foreign Host header → 403 forbidden_host, even signed in', async () => {
          const { cookie } = await signIn()
          await refused(await request(r, { cookie, host: 'evil.example:4761' }), 403, 'forbidden_host', 'evil Host')
        })

        if (!SAFE_METHODS.has(r.method)) {
          it('a write without the CSRF token or the write key → 403; from a foreign Origin → 403, even with them', async () => {
            const { cookie, csrf, key } = await signIn()
            await refused(await request(r, { cookie }), 403, 'forbidden_csrf', 'no X-CSRF-Token')
            await refused(
              await request(r, { cookie, 'x-csrf-token': 'A'.repeat(43) }),
              403,
              'forbidden_csrf',
              'a wrong X-CSRF-Token',
            )
            // What a cookie thief has: the cookie, and the CSRF token any page it GETs shows.
            await refused(
              await request(r, { cookie, 'x-csrf-token': csrf }),
              403,
              'forbidden_write_key',
              'the cookie and the CSRF token without the write key',
            )
            await refused(
              await request(r, { cookie, 'x-csrf-token': csrf, 'x-tend-key': 'A'.repeat(43) }),
              403,
              'forbidden_write_key',
              'a wrong write key',
            )
            const other = await signIn()
            await refused(
              await request(r, { cookie, 'x-csrf-token': csrf, 'x-tend-key': other.key }),
              403,
              'forbidden_write_key',
              "another session's write key",
            )
            const signed = { cookie, 'x-csrf-token': csrf, 'x-tend-key': key }
            await refused(
              await request(r, { ...signed, origin: 'http://evil.example' }),
              403,
              'forbidden_origin',
              'Origin: http://evil.example',
            )
            await refused(
              await request(r, { ...signed, origin: 'http://127.0.0.1:9999' }),
              403,
              'forbidden_origin',
              'another port of this host',
            )
            const res = await request(r, signed)
            assert.ok(![401, 403].includes(res.status), `${name(r)} signed in: ${res.status} ${await res.text()}`)
          })
        }
      })
    }

    it('a page without a cookie tells the browser to run `tend open` (401)', async () => {
      const res = await t.app.request('http://127.0.0.1/', { headers: { accept: 'text/html' } })
      assert.equal(res.status, 401)
      assert.match(await res.text(), /tend open/)
    })

    it('a login link signs in once, and a logged-out cookie no longer does', async () => {
      const link = (await (await t.post('/v1/browser/login-links', {})).json()) as { url: string }
      const path = new URL(link.url).pathname
      const first = await t.app.request(`http://127.0.0.1${path}`)
      assert.equal(first.status, 200)
      assert.match(first.headers.get('set-cookie')!, /HttpOnly; SameSite=Strict/)
      const again = await t.app.request(`http://127.0.0.1${path}`)
      assert.equal(again.status, 401)
      assert.equal(again.headers.get('set-cookie'), null)
      const { cookie, csrf, key } = await signIn()
      const out = await t.app.request('http://127.0.0.1/ui/logout', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'x-tend-key': key },
      })
      assert.equal(out.status, 200)
      await refused(
        await t.app.request('http://127.0.0.1/ui/attention', { headers: { cookie } }),
        401,
        'unauthorized',
        'logged out',
      )
    })

    it('an expired login link is refused', async () => {
      const link = (await (await t.post('/v1/browser/login-links', {})).json()) as { url: string }
      t.clock.now += 3 * 60_000
      try {
        const res = await t.app.request(`http://127.0.0.1${new URL(link.url).pathname}`)
        assert.equal(res.status, 401)
      } finally {
        t.clock.now -= 3 * 60_000
      }
    })

    it('the assets are public and nothing else is served beside them', async () => {
      const js = await t.app.request('http://127.0.0.1/ui/assets/dashboard.js')
      assert.equal(js.status, 200)
      assert.match(js.headers.get('content-type')!, /javascript/)
      assert.equal((await t.app.request('http://127.0.0.1/ui/assets/uplot.js')).status, 200)
      await refused(await t.app.request('http://127.0.0.1/ui/assets/..%2Fpackage.json'), 404, 'not_found', 'a path')
    })
  })
})
