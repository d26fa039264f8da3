// The receiver through app.request on a real SQLite file: ingest, ranking, detail, bad input.
import assert from 'node:assert/strict'
import { after, beforeEach, describe, it } from 'node:test'
import { count } from 'drizzle-orm'
import { agents, events, waits } from '../../src/store/schema.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { payload } from '../helpers/payloads.ts'

let t: TestApp
const T0 = Date.now() - 60_000

beforeEach(() => {
  t?.close()
  t = makeApp({ now: T0 })
})
after(() => t.close())

function rows() {
  const db = t.services.store.db
  return {
    events: db.select({ n: count() }).from(events).get()!.n,
    agents: db.select({ n: count() }).from(agents).get()!.n,
    waits: db.select({ n: count() }).from(waits).get()!.n,
  }
}

/** Every recorded payload, re-homed into one session (they come from several real runs). */
const SID = payload('UserPromptSubmit').session_id

async function send(key: string, at: number, overrides = {}) {
  t.clock.now = at
  const body = payload(key, { session_id: SID, cwd: '/home/me/ccmock/runs/skip/work', ...overrides })
  const res = await t.post('/v1/hooks', body, { 'x-tend-time': String(at) })
  assert.equal(res.status, 200, await res.clone().text())
  return res
}

describe('POST /v1/hooks', () => {
  it('stores a session and ranks the blocked agent with its why', async () => {
    await send('SessionStart:startup', T0)
    await send('UserPromptSubmit', T0 + 100)
    await send('PreToolUse', T0 + 200)
    await send('PostToolUse', T0 + 300)
    await send('Stop', T0 + 400)
    t.clock.now = T0 + 60_400
    const list = (await (await t.get('/v1/agents')).json()) as { agents: Array<Record<string, any>> }
    assert.equal(list.agents.length, 1)
    const a = list.agents[0]!
    assert.equal(a['state'], 'blocked:question')
    assert.equal(a['rank'], 1)
    assert.equal(a['waitingMs'], 60_000)
    assert.match(a['why'], /question ×3 · waiting 1m00s/)
    assert.equal(a['label'], 'work·e64ba463')

    const detail = (await (await t.get('/v1/agents/e64ba463')).json()) as Record<string, any>
    assert.deepEqual(
      detail['timeline'].map((e: { name: string }) => e.name),
      ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'],
    )
    assert.equal(detail['waits'].length, 1)
    assert.equal(detail['waits'][0].kind, 'question')
    assert.equal(detail['waits'][0].endedAt, null)
  })

  it('ignores duplicates (same body, same time) and records late events without changing state', async () => {
    await send('UserPromptSubmit', T0)
    await send('PermissionRequest', T0 + 500)
    const dup = await send('PermissionRequest', T0 + 500)
    assert.equal(dup.headers.get('x-tend-outcome'), 'duplicate')
    const late = await send('PreToolUse', T0 + 400)
    assert.equal(late.headers.get('x-tend-outcome'), 'late')
    assert.deepEqual(rows(), { events: 3, agents: 1, waits: 1 })
    const detail = (await (await t.get('/v1/agents/work')).json()) as Record<string, any>
    assert.equal(detail['agent'].state, 'blocked:permission')
    // The timeline is in the order things happened, not the order they arrived.
    assert.deepEqual(
      detail['timeline'].map((e: { name: string }) => e.name),
      ['UserPromptSubmit', 'PreToolUse', 'PermissionRequest'],
    )
  })

  it('stores unknown events and unknown fields rather than refusing them', async () => {
    await send('UserPromptSubmit', T0, { brand_new_field: { nested: true } })
    await send('UserPromptSubmit', T0 + 10, { hook_event_name: 'SomethingNew', prompt: undefined, extra: 1 })
    const detail = (await (await t.get('/v1/agents/work')).json()) as Record<string, any>
    assert.equal(detail['timeline'][0].payload.brand_new_field.nested, true)
    assert.equal(detail['timeline'][1].name, 'SomethingNew')
    assert.equal(detail['agent'].state, 'working')
  })

  it("an Agent View notice about another session, under the viewer's id, is stored but makes no agent", async () => {
    const viewer = 'view0000-aaaa-4bbb-8ccc-000000000001'
    const notice = {
      ...payload('Notification:idle_prompt', { session_id: viewer }),
      notification_type: 'agent_needs_input',
      message: 'colours needs your input: answer: Which colour?',
    }
    const res = await t.post('/v1/hooks', notice, { 'x-tend-time': String(T0) })
    assert.equal(res.status, 200)
    assert.deepEqual(rows(), { events: 1, agents: 0, waits: 0 })
    // A session tend knows keeps getting them recorded on its timeline, unchanged.
    await send('SessionStart:startup', T0 + 10)
    await t.post('/v1/hooks', { ...notice, session_id: SID }, { 'x-tend-time': String(T0 + 20) })
    assert.deepEqual(rows(), { events: 3, agents: 1, waits: 0 })
  })

  it('GET /v1/agents/:ref shows the latest events, and pages back through older ones', async () => {
    await send('SessionStart:startup', T0)
    for (let i = 1; i <= 6; i++) await send('PostToolUse', T0 + i * 1000, { tool_use_id: `toolu_${i}` })
    const page = async (query: string) => {
      const res = await t.get(`/v1/agents/${SID}?${query}`)
      assert.equal(res.status, 200, await res.clone().text())
      return (await res.json()) as { timeline: Array<{ occurredAt: number }>; older: string | null }
    }
    const latest = await page('limit=3')
    assert.deepEqual(
      latest.timeline.map((e) => e.occurredAt - T0),
      [4000, 5000, 6000],
    )
    const before = await page(`limit=3&before=${latest.older}`)
    assert.deepEqual(
      before.timeline.map((e) => e.occurredAt - T0),
      [1000, 2000, 3000],
    )
    const first = await page(`limit=3&before=${before.older}`)
    assert.deepEqual(
      first.timeline.map((e) => e.occurredAt - T0),
      [0],
    )
    assert.equal(first.older, null)
    assert.equal((await t.get(`/v1/agents/${SID}?before=yesterday`)).status, 400)
  })

  it('bounds what the agent row copies: one 3 MB last message never makes every ranking read 3 MB', async () => {
    await send('UserPromptSubmit', T0)
    await send('Stop', T0 + 10, { last_assistant_message: `${'word '.repeat(600_000)}Shall I go on?` })
    const row = t.services.store.sqlite.prepare('select length(last_message) as n from agents').get() as { n: number }
    assert.ok(row.n <= 4000, `last_message is ${row.n} characters`)
    const wait = t.services.store.sqlite.prepare('select length(detail) as n from waits').get() as { n: number }
    assert.ok(wait.n <= 4100, `the wait's detail is ${wait.n} characters`)
    const listed = (await (await t.get('/v1/agents')).json()) as { agents: Array<{ state: string }> }
    assert.equal(listed.agents[0]!.state, 'blocked:question', 'the question is judged on the whole message')
  })

  it('stores large tool output truncated, with a marker', async () => {
    const big = 'x'.repeat(200_000)
    await send('PostToolUse', T0, { tool_response: { stdout: big, stderr: '' } })
    const detail = (await (await t.get('/v1/agents/work')).json()) as Record<string, any>
    const stored = detail['timeline'][0].payload.tool_response
    assert.equal(stored._truncated, true)
    assert.ok(stored.bytes > 200_000)
    assert.ok(stored.preview.length <= 2000)
  })

  it('links a session started by /clear to the one it replaced', async () => {
    await send('UserPromptSubmit', T0)
    await send('SessionEnd:other', T0 + 100, { reason: 'clear' })
    await send('SessionStart:startup', T0 + 300, { session_id: 'after-clear-1234', source: 'clear' })
    const detail = (await (await t.get('/v1/agents/after-clear-1234')).json()) as Record<string, any>
    assert.equal(detail['agent'].continuesSessionId, SID)
    assert.equal(detail['agent'].state, 'idle')
  })

  it('GET /v1/metrics measures T_work, waits, T_instruct and N from real sessions', async () => {
    const MIN = 60_000
    // Two instructions, each worked on for 10 min; the person answers 2 min after the first stop.
    await send('UserPromptSubmit', T0 - 30 * MIN, { prompt: 'build it' })
    await send('Stop', T0 - 20 * MIN, { last_assistant_message: 'Built.' })
    // Each turn has its own prompt_id, as Claude Code sends (the same one would be a late report of the last).
    await send('UserPromptSubmit', T0 - 18 * MIN, { prompt: 'test it', prompt_id: 'p2' })
    await send('Stop', T0 - 8 * MIN, { last_assistant_message: 'Tested.', prompt_id: 'p2' })
    await send('UserPromptSubmit', T0 - 7 * MIN, {
      prompt: '<task-notification>not the person</task-notification>',
      prompt_id: 'p3',
    })
    const body = (await (await t.get('/v1/metrics?days=1')).json()) as Record<string, any>
    // Under five samples each measure says "not enough data" (null) with its count (test/integration/metrics.test.ts).
    assert.equal(body['metrics']['tWorkMs'], null)
    // The second stop ended by Claude Code's own task notification: not a wait on the person, and its
    // work goes on (no T_work sample until the instruction's work ends on the person).
    assert.deepEqual(body['metrics']['samples'], { instructions: 1, waits: 1, promptGaps: 1 })
    assert.equal(body['fleet']['wait']['samples'], 1)
    assert.equal(body['fleet']['idleMs'], 2 * MIN)
  })

  it("records the machine an event comes from, and trusts only this machine's pids", async () => {
    const { hostname } = await import('node:os')
    t.clock.now = T0
    const remote = payload('UserPromptSubmit', { session_id: 'remote-1' })
    await t.post('/v1/hooks', remote, { 'x-tend-machine': 'devbox-7', 'x-tend-pid': String(process.pid) })
    const local = payload('UserPromptSubmit', { session_id: 'local-1' })
    await t.post('/v1/hooks', local, { 'x-tend-machine': hostname(), 'x-tend-pid': String(process.pid) })
    const row = (sid: string) =>
      t.services.store.sqlite.prepare('select machine, pid from agents where session_id = ?').get(sid)
    assert.deepEqual(row('remote-1'), { machine: 'devbox-7', pid: null })
    assert.deepEqual(row('local-1'), { machine: hostname(), pid: process.pid })
  })

  it("serves a ping's Open page only through a link signed for that agent", async () => {
    const { agentPageUrl } = await import('../../src/service/agent-link.ts')
    await send('UserPromptSubmit', T0)
    await send('PermissionRequest', T0 + 10, { tool_input: { command: 'rm -rf <build> & co' } })
    const url = new URL(agentPageUrl(t.services, SID))
    const page = await t.app.request(`http://127.0.0.1${url.pathname}${url.search}`)
    assert.equal(page.status, 200)
    const html = await page.text()
    assert.match(html, /blocked:permission/)
    assert.match(html, /rm -rf &lt;build&gt; &amp; co/, 'escaped')
    assert.match(html, /tend approve e64ba463/)
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    const forged = await t.app.request(
      `http://127.0.0.1${url.pathname}?exp=${url.searchParams.get('exp')}&sig=${'A'.repeat(32)}`,
    )
    assert.equal(forged.status, 401)
    const other = new URL(agentPageUrl(t.services, 'another-session'))
    const wrong = await t.app.request(`http://127.0.0.1${url.pathname}${other.search}`)
    assert.equal(wrong.status, 401, "one agent's link does not open another's page")
  })

  it('answers GET /v1/agents/:ref with 404 for an unknown agent', async () => {
    const res = await t.get('/v1/agents/nope1234')
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as any).error.code, 'not_found')
  })
})

describe('bad input: a precise 4xx, nothing stored, receiver still healthy', () => {
  const cases: Array<[string, () => Promise<Response>, number, string]> = [
    ['malformed JSON', () => t.post('/v1/hooks', '{"session_id": '), 400, 'bad_request'],
    ['a JSON array', () => t.post('/v1/hooks', '[1,2]'), 400, 'invalid_payload'],
    ['a wrong type', () => t.post('/v1/hooks', { ...payload('PreToolUse'), tool_name: 42 }), 400, 'invalid_payload'],
    [
      'a missing session_id',
      () => t.post('/v1/hooks', { ...payload('Stop'), session_id: undefined }),
      400,
      'invalid_payload',
    ],
    ['an empty session_id', () => t.post('/v1/hooks', { ...payload('Stop'), session_id: '' }), 400, 'invalid_payload'],
    [
      'a 10 KB session_id',
      () => t.post('/v1/hooks', { ...payload('Stop'), session_id: 's'.repeat(10_000) }),
      400,
      'invalid_payload',
    ],
    [
      'a body nested 6,000 levels deep (12 KB)',
      () =>
        t.post(
          '/v1/hooks',
          `{"session_id":"p","hook_event_name":"PostToolUse","tool_name":"x","tool_response":${'['.repeat(6000)}${']'.repeat(6000)}}`,
        ),
      400,
      'invalid_payload',
    ],
    [
      'no Content-Type JSON',
      () => t.post('/v1/hooks', JSON.stringify(payload('Stop')), { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    ],
    [
      'a 5 MB body',
      () => t.post('/v1/hooks', { ...payload('PostToolUse'), tool_response: 'y'.repeat(5 * 1024 * 1024) }),
      413,
      'payload_too_large',
    ],
    [
      'no token',
      async () =>
        t.app.request('http://127.0.0.1/v1/hooks', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload('Stop')),
        }),
      401,
      'unauthorized',
    ],
    [
      'a wrong token',
      () => t.post('/v1/hooks', payload('Stop'), { authorization: 'Bearer not-the-token-at-all' }),
      401,
      'unauthorized',
    ],
    [
      'a Basic auth header',
      () => t.post('/v1/hooks', payload('Stop'), { authorization: 'Basic dXNlcjpwYXNz' }),
      401,
      'unauthorized',
    ],
    [
      'a foreign Host',
      () => t.post('/v1/hooks', payload('Stop'), { host: 'evil.example:4761' }),
      403,
      'forbidden_host',
    ],
    [
      'a cross-origin browser write',
      () => t.post('/v1/hooks', payload('Stop'), { origin: 'https://evil.example' }),
      403,
      'forbidden_origin',
    ],
    [
      'a cross-site fetch',
      () => t.post('/v1/hooks', payload('Stop'), { 'sec-fetch-site': 'cross-site' }),
      403,
      'forbidden_origin',
    ],
    [
      "a page on another port of this host (another program's page)",
      () => t.post('/v1/hooks', payload('Stop'), { host: 'localhost:4761', origin: 'http://localhost:9999' }),
      403,
      'forbidden_origin',
    ],
    [
      'a same-site fetch (another port of this host)',
      () => t.post('/v1/hooks', payload('Stop'), { 'sec-fetch-site': 'same-site' }),
      403,
      'forbidden_origin',
    ],
  ]
  for (const [name, request, status, code] of cases) {
    it(`refuses ${name} with ${status} ${code}`, async () => {
      const res = await request()
      assert.equal(res.status, status)
      const body = (await res.json()) as { error: { code: string; message: string; requestId: string } }
      assert.equal(body.error.code, code)
      assert.ok(body.error.message.length > 5, 'the message says what is wrong')
      assert.ok(body.error.requestId)
      assert.deepEqual(rows(), { events: 0, agents: 0, waits: 0 })
      const health = await t.app.request('http://127.0.0.1/healthz')
      assert.equal(health.status, 200)
    })
  }

  it('names the offending field', async () => {
    const res = await t.post('/v1/hooks', { ...payload('PreToolUse'), tool_name: 42 })
    const body = (await res.json()) as { error: { issues: Array<{ path: string }> } }
    assert.deepEqual(
      body.error.issues.map((i) => i.path),
      ['tool_name'],
    )
  })

  it('accepts the loopback names and a same-origin write', async () => {
    for (const host of ['localhost:4761', '127.0.0.1', '[::1]:4761', '127.0.0.1:80']) {
      const res = await t.post('/v1/hooks', payload('UserPromptSubmit', { prompt: host }), {
        host,
        origin: `http://${host}`,
        'sec-fetch-site': 'same-origin',
      })
      assert.equal(res.status, 200, host)
    }
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.get('/v1/nothing-here')
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as any).error.code, 'not_found')
  })
})

describe('the spool', () => {
  it('a poison file (nested too deep to store) is set aside with the others still replayed behind it', async () => {
    const { mkdirSync, readdirSync, writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const dir = t.config.paths.spoolDir
    mkdirSync(dir, { recursive: true })
    const deep = `{"session_id":"p","hook_event_name":"PostToolUse","tool_name":"x","tool_response":${'['.repeat(6000)}${']'.repeat(6000)}}`
    writeFileSync(join(dir, `${T0}-100-0.json`), deep)
    writeFileSync(join(dir, `${T0 + 10}-101-0.json`), JSON.stringify(payload('UserPromptSubmit', { session_id: SID })))
    assert.deepEqual(t.services.spool.replay(), { stored: 1, rejected: 1 })
    assert.deepEqual(readdirSync(join(dir, 'rejected')).sort(), [`${T0}-100-0.json`, `${T0}-100-0.json.reason`])
    assert.equal(t.services.spool.pending(), 0)
    assert.deepEqual(rows(), { events: 1, agents: 1, waits: 0 })
  })
})
