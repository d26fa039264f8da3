// The receiver's side of tend's Claude Code mod: a real receiver, the real hook script, the real CLI,
// and the mod's HTTP calls made as register.js makes them (hello, long-poll, ack).
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { MOD_REDELIVER_MS } from '../../src/server/routes/mod.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { repliesForWait } from '../../src/store/replies.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { freePort, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const SID = '5e55a0b1-aaaa-4bbb-8ccc-0000000000d1'
const CWD = '/home/me/projects/shop'
const ev = (key: string, extra = {}) => payload(key, { session_id: SID, cwd: CWD, ...extra })

async function setup(opts: { now?: () => number; home?: string } = {}) {
  const home = opts.home ? { dir: opts.home, cleanup: () => undefined } : tempHome()
  cleanups.push(home.cleanup)
  const port = await freePort()
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(port) }
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  const server: RunningServer = await startServer(loadConfig(env), { log: silentLogger, port, now: opts.now })
  let closed = false
  const close = async () => {
    if (!closed) await server.close()
    closed = true
  }
  cleanups.push(close)
  const token = readFileSync(join(home.dir, 'token'), 'utf8').trim()
  /** The mod's own calls: POST with a JSON body, or GET. */
  const mod = async (method: 'GET' | 'POST', path: string, body?: object, auth = token) => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/mod/${SID}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : null }
  }
  const hello = (attended = true) => mod('POST', '/hello', { claudeVersion: '2.1.332', modVersion: '0.1.0', attended })
  return {
    env,
    s: server.services,
    mod,
    hello,
    close,
    tend: (...args: string[]) => runTend(args, env),
    waitOf: () => getAgentDetail(server.services.store.db, SID)!.waits.at(-1)!,
  }
}

/** The person instructs the agent, it works and stops: a question waits for them. */
async function stoppedOnQuestion(t: Awaited<ReturnType<typeof setup>>) {
  await runHook(ev('UserPromptSubmit'), t.env)
  return runHook(ev('Stop', { last_assistant_message: 'Migration written. Shall I run it?' }), t.env, ['hold', '60'])
}

describe("replies through tend's mod", () => {
  it('a reply reaches the open long-poll at once; the mod confirms it; its prompt is the person’s, from elsewhere', async () => {
    const t = await setup()
    assert.deepEqual((await t.hello()).json, { poll: true })
    await t.mod('GET', '/next?waitSec=0') // the mod is polling
    assert.equal(t.s.replyPathOf(SID), 'mod')
    t.s.setAway(true) // away or not, a Stop is not held when the mod can take the reply
    const stop = await stoppedOnQuestion(t)
    assert.equal(stop.stdout.trim(), '{}', 'the Stop returns at once with no decision')
    assert.equal(t.s.holds.list().length, 0)

    const poll = t.mod('GET', '/next?waitSec=20')
    const sent = await t.tend('reply', 'shop', 'yes, run it on staging')
    assert.equal(sent.code, 0, sent.stderr)
    assert.match(sent.stdout, /reply delivered as your own message/)
    const handed = await poll
    assert.equal(handed.status, 200)
    assert.equal(handed.json!['reply'].text, 'yes, run it on staging')
    const wait = t.waitOf()
    assert.deepEqual([wait.endedBy, wait.endedVia], ['reply', 'cli'])

    const ack = await t.mod('POST', `/replies/${handed.json!['reply'].id}/ack`, { submitted: true })
    assert.equal(ack.status, 200)
    const [reply] = repliesForWait(t.s.store.db, wait.id)
    assert.equal(reply!.path, 'mod')
    assert.ok(reply!.ackedAt)
    assert.equal((await t.mod('POST', `/replies/${reply!.id}/ack`, { submitted: true })).status, 404, 'confirmed once')

    // Claude Code then fires UserPromptSubmit with exactly that text: the person's words, from elsewhere.
    const presenceBefore = t.s.presence()
    await runHook(ev('UserPromptSubmit', { prompt: 'yes, run it on staging', prompt_id: 'p-reply' }), t.env)
    const prompts = getAgentDetail(t.s.store.db, SID)!.timeline.filter((e) => e.name === 'UserPromptSubmit')
    assert.deepEqual(
      prompts.map((e) => e.origin),
      ['person', 'reply'],
    )
    assert.equal(
      t.s.presence().awayNow,
      presenceBefore.awayNow,
      'a reply from Slack is no sign of being at the terminal',
    )
  })

  it('a reply queued while no poll is open waits durably: it survives a receiver restart and is handed once', async () => {
    const home = tempHome()
    cleanups.push(home.cleanup)
    const first = await setup({ home: home.dir })
    await first.hello()
    await first.mod('GET', '/next?waitSec=0')
    await stoppedOnQuestion(first)
    assert.equal((await first.tend('reply', 'shop', 'ship it')).code, 0)
    await first.close()

    const second = await setup({ home: home.dir })
    const handed = await second.mod('GET', '/next?waitSec=5')
    assert.equal(handed.json!['reply'].text, 'ship it')
    // Not confirmed yet: not handed again before the redelivery delay...
    assert.equal((await second.mod('GET', '/next?waitSec=0')).status, 204)
  })

  it('a reply never confirmed is handed again after the redelivery delay, with the same id', async () => {
    let now = Date.now()
    const t = await setup({ now: () => now })
    await t.hello()
    await t.mod('GET', '/next?waitSec=0')
    await stoppedOnQuestion(t)
    now = Date.now() // the hook stamped its events with the real clock: the reply comes after them
    assert.equal((await t.tend('reply', 'shop', 'ship it')).code, 0)
    const once = await t.mod('GET', '/next?waitSec=0')
    assert.equal((await t.mod('GET', '/next?waitSec=0')).status, 204)
    now += MOD_REDELIVER_MS + 1
    const again = await t.mod('GET', '/next?waitSec=0')
    assert.equal(again.json!['reply'].id, once.json!['reply'].id)
    // The mod could not submit it (e.g. Claude Code refused): recorded with the reason.
    assert.equal(
      (await t.mod('POST', `/replies/${again.json!['reply'].id}/ack`, { submitted: false, error: 'busy' })).status,
      200,
    )
    assert.equal(repliesForWait(t.s.store.db, t.waitOf().id)[0]!.ackError, 'busy')
  })

  it('without a polling mod (unattended, or silent too long) replies take the hook path: refused while present', async () => {
    let now = Date.now()
    const t = await setup({ now: () => now })
    assert.deepEqual((await t.hello(false)).json, { poll: false })
    await t.mod('GET', '/next?waitSec=0')
    assert.equal(t.s.replyPathOf(SID), 'hook', 'claude -p: nobody attends it')
    await t.hello(true)
    assert.equal(t.s.replyPathOf(SID), 'mod')
    now += 60_000 // the mod went quiet (its session died, or the receiver restarted in between)
    assert.equal(t.s.replyPathOf(SID), 'hook')
    await stoppedOnQuestion(t)
    const sent = await t.tend('reply', 'shop', 'go on')
    assert.equal(sent.code, 1)
    assert.match(sent.stderr, /tend away/)
  })

  it('the mod routes need the token and say precisely what is wrong with a request', async () => {
    const t = await setup()
    assert.equal((await t.mod('GET', '/next?waitSec=0', undefined, 'wrong-token-0123456789')).status, 401)
    assert.equal((await t.mod('GET', '/next?waitSec=600')).status, 400, 'a poll longer than a minute')
    const bad = await t.mod('POST', '/hello', { claudeVersion: '', attended: 'yes' })
    assert.equal(bad.status, 400)
    assert.deepEqual((bad.json!['error'].issues as Array<{ path: string }>).map((i) => i.path).sort(), [
      'attended',
      'claudeVersion',
      'modVersion',
    ])
    assert.equal((await t.mod('POST', '/replies/999/ack', { submitted: true })).status, 404)
    assert.equal((await t.mod('POST', '/replies/abc/ack', { submitted: true })).status, 400)
  })

  it('two polls for one session (resumed in two terminals) both wait: one gets the reply, no busy loop', async () => {
    const t = await setup()
    await t.hello()
    await t.mod('GET', '/next?waitSec=0')
    await stoppedOnQuestion(t)
    const polls = [t.mod('GET', '/next?waitSec=20'), t.mod('GET', '/next?waitSec=20')]
    assert.equal((await t.tend('reply', 'shop', 'go on')).code, 0)
    const answered = await Promise.all(polls)
    assert.deepEqual(answered.map((r) => r.status).sort(), [200, 204], 'woken together; the store hands it once')
  })

  it('a reply the person overtook at the terminal before the mod took it is never handed over', async () => {
    const t = await setup()
    await t.hello()
    await t.mod('GET', '/next?waitSec=0')
    await stoppedOnQuestion(t)
    assert.equal((await t.tend('reply', 'shop', 'yes, run it')).code, 0)
    // The person typed a new prompt meanwhile (its hook heard after the reply was accepted).
    await runHook(ev('UserPromptSubmit', { prompt: 'no, stop', prompt_id: 'p-typed' }), t.env)
    assert.equal((await t.mod('GET', '/next?waitSec=0')).status, 204)
    assert.match(repliesForWait(t.s.store.db, t.waitOf().id)[0]?.ackError ?? '', /overtaken/)
  })

  it('a question asked through a picker (AskUserQuestion) is no prompt: a text reply is refused, not submitted', async () => {
    const t = await setup()
    await t.hello()
    await t.mod('GET', '/next?waitSec=0')
    await runHook(ev('UserPromptSubmit'), t.env)
    await runHook(ev('PreToolUse', { tool_name: 'AskUserQuestion', tool_input: { questions: [] } }), t.env)
    assert.equal(t.waitOf().kind, 'question')
    const sent = await t.tend('reply', 'shop', 'blue')
    assert.equal(sent.code, 1)
    assert.match(sent.stderr, /nothing sent/)
    assert.equal((await t.mod('GET', '/next?waitSec=0')).status, 204)
  })

  it('a poll the mod dropped (its Claude Code went away) is no sign of life', async () => {
    const t = await setup()
    await t.hello()
    const gone = new AbortController()
    const poll = fetch(`http://127.0.0.1:${t.env.TEND_PORT}/v1/mod/${SID}/next?waitSec=20`, {
      headers: { authorization: `Bearer ${readFileSync(join(t.env.TEND_HOME, 'token'), 'utf8').trim()}` },
      signal: gone.signal,
    }).catch(() => null)
    await waitFor(() => t.s.inbox.connected(SID), 20_000, 'the poll open')
    gone.abort()
    await poll
    await waitFor(() => !t.s.inbox.connected(SID), 20_000, 'the mod counted gone')
    assert.equal(t.s.replyPathOf(SID), 'hook')
  })
})
