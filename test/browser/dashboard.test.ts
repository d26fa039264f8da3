// The dashboard in a real browser: Debian's chromium driven by playwright-core, against a real receiver
// fed by the real hook script. No timed assertion: every wait is on a condition (Playwright's
// locators, or waitFor).
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { agentPageUrl } from '../../src/service/agent-link.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { listPriorityRules } from '../../src/store/priorities.ts'
import { tempHome } from '../helpers/app.ts'
import { launchChromium, shows } from '../helpers/browser.ts'
import { freePort, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

let browser: Browser
before(async () => {
  browser = await launchChromium()
})
after(() => browser?.close())

const count = (locator: Locator, n: number) =>
  waitFor(async () => (await locator.count()) === n, 10_000, `${n} of ${locator}`)

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const CWD = '/home/me/projects/shop'
let n = 0

async function setup() {
  const home = tempHome('tend-browser-')
  cleanups.push(home.cleanup)
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  const server: RunningServer = await startServer(loadConfig(env), { log: silentLogger })
  cleanups.push(() => server.close())
  const s = server.services
  const sid = `5e55a0b1-aaaa-4bbb-8ccc-${String(++n).padStart(12, '0')}`
  const ev = (key: string, extra = {}) => payload(key, { session_id: sid, cwd: CWD, ...extra })
  const hook = (key: string, extra = {}, args?: string[]) => runHook(ev(key, extra), env, args)
  const url = s.config.url
  async function loginLink(): Promise<string> {
    const res = await fetch(`${url}/v1/browser/login-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}` },
    })
    assert.equal(res.status, 200)
    return ((await res.json()) as { url: string }).url
  }
  async function signedIn(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    cleanups.push(() => context.close())
    const page = await context.newPage()
    await page.goto(await loginLink())
    await page.locator('#queue-h').waitFor()
    return { context, page }
  }
  const lastWait = () => getAgentDetail(s.store.db, sid)!.waits.at(-1)!
  const held = () => waitFor(() => s.holds.list()[0], 10_000, 'a held hook')
  return { env, s, sid, url, hook, loginLink, signedIn, lastWait, held }
}

describe('dashboard in Chromium', () => {
  it('the login link signs in once: a second visit is refused and signs nobody in', async () => {
    const t = await setup()
    const link = await t.loginLink()
    const first = await browser.newContext()
    cleanups.push(() => first.close())
    const page = await first.newPage()
    await page.goto(link)
    await page.waitForURL(`${t.url}/`)
    await shows(page.locator('#queue-h'), /Waiting for you/)
    const cookies = await first.cookies()
    const cookie = cookies.find((c) => c.name.startsWith('tend_session_'))!
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Strict')
    // The bearer token appears nowhere in the page.
    assert.doesNotMatch(await page.content(), new RegExp(t.s.token))

    const second = await browser.newContext()
    cleanups.push(() => second.close())
    const again = await second.newPage()
    const res = await again.goto(link)
    assert.equal(res!.status(), 401)
    await shows(again.locator('body'), 'already used or has expired')
    assert.deepEqual(await second.cookies(), [])
    const home = await again.goto(`${t.url}/`)
    assert.equal(home!.status(), 401)
    await shows(again.locator('body'), 'tend open')
  })

  it('the queue updates live when a hook event arrives', async () => {
    const t = await setup()
    const { page } = await t.signedIn()
    await shows(page.locator('#queue-list'), 'Nobody is waiting for you')
    await shows(page.locator('#live'), 'live')
    await t.hook('UserPromptSubmit')
    await shows(page.locator('#others-list'), 'working')
    await t.hook('PermissionRequest', { tool_input: { command: 'npm publish --tag next' } })
    const card = page.locator('#queue-list .card')
    await count(card, 1)
    await shows(card, 'needs your permission')
    await shows(card, 'npm publish --tag next')
    await shows(page.locator('#queue-count'), '1')
    await waitFor(async () => (await page.title()) === '(1) tend', 10_000, 'the title counts the waiting agent')
  })

  it('Approve on the page releases a held PermissionRequest: the real hook prints allow', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    const { page } = await t.signedIn()
    const hook = t.hook('PermissionRequest', { tool_input: { command: 'npm publish' } }, ['hold', '60'])
    await t.held()
    const card = page.locator('#queue-list .card')
    await shows(card, 'hook held')
    // Keyboard: j selects the first waiting agent, a approves it.
    await page.keyboard.press('j')
    await page.locator('#queue-list .card.selected').waitFor()
    await page.keyboard.press('a')
    const out = JSON.parse((await hook).stdout)
    assert.equal(out.hookSpecificOutput.decision.behavior, 'allow')
    await shows(page.locator('#notices'), 'Approved shop')
    await shows(page.locator('#queue-list'), 'Nobody is waiting for you')
    assert.deepEqual([t.lastWait().endedBy, t.lastWait().endedVia], ['reply', 'dashboard'])
  })

  it('without the write key (localStorage cleared) the page reads, says it cannot act, and acts after tend open', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    const { page } = await t.signedIn()
    assert.equal(page.url(), `${t.url}/`, 'on to the dashboard, no key in the URL')
    const key = (await page.evaluate("localStorage.getItem('tend-write-key')")) as string | null
    assert.match(key ?? '', /^[A-Za-z0-9_-]{43}$/, 'the login page left the key in localStorage')
    assert.ok(!(await page.content()).includes(key!), 'and it is not in the page')
    assert.equal(await page.locator('#read-only').count(), 0, 'a browser with the key gets no warning')
    const hook = t.hook('PermissionRequest', { tool_input: { command: 'npm publish' } }, ['hold', '60'])
    await t.held()

    await page.evaluate('localStorage.clear()')
    await page.reload()
    await shows(page.locator('#read-only'), 'can read but not act: run `tend open` again')
    const card = page.locator('#queue-list .card')
    await shows(card, 'npm publish')
    await card.locator('button[data-action="approve"]').click()
    await shows(page.locator('#notices .notice.error:not(#read-only)'), 'can read but not act')
    assert.equal(t.s.holds.list().length, 1, 'the agent still waits')

    // `tend open` again in the same browser: a new session and key, and the page acts.
    await page.goto(await t.loginLink())
    await page.waitForURL(`${t.url}/`)
    await page.locator('#queue-h').waitFor()
    assert.equal(await page.locator('#read-only').count(), 0)
    await page.locator('#queue-list .card button[data-action="approve"]').click()
    assert.equal(JSON.parse((await hook).stdout).hookSpecificOutput.decision.behavior, 'allow')
    await shows(page.locator('#notices'), 'Approved shop')
  })

  it('a reply from the page reaches a held agent (held Stop) as its next instruction', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    t.s.setAway(true)
    const { page } = await t.signedIn()
    const hook = t.hook('Stop', { last_assistant_message: 'Migration written. Shall I run it?' }, ['hold', '60'])
    await t.held()
    const card = page.locator('#queue-list .card')
    await shows(card, 'Shall I run it?')
    // Keyboard: j selects it, r goes to its reply box, Ctrl+Enter sends.
    await page.keyboard.press('j')
    await page.keyboard.press('r')
    await page.keyboard.type('yes, run it on staging')
    await page.keyboard.press('Control+Enter')
    assert.deepEqual(JSON.parse((await hook).stdout), { decision: 'block', reason: 'yes, run it on staging' })
    await shows(page.locator('#notices'), 'Sent to shop')
  })

  it('a stale answer is refused with how the wait ended', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    t.s.setAway(true)
    const hook = t.hook('Stop', { last_assistant_message: 'Tests pass. Deploy?' }, ['hold', '60'])
    await t.held()
    const { page } = await t.signedIn()
    // The page stops hearing about changes (as a tab that fell behind would), then someone answers
    // from a terminal first: the page still offers the reply box of a wait that has ended.
    await page.route('**/ui/events*', (route) => route.abort())
    await page.reload()
    const card = page.locator('#queue-list .card')
    await shows(card, 'Deploy?')
    const first = await fetch(`${t.url}/v1/waits/${t.lastWait().id}/answer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reply', text: 'deploy it', via: 'cli', by: 'ann' }),
    })
    assert.equal(first.status, 200)
    assert.equal(JSON.parse((await hook).stdout).reason, 'deploy it')
    await card.locator('textarea').fill('yes, deploy')
    await card.getByRole('button', { name: 'Send' }).click()
    await shows(
      page.locator('#notices .error'),
      /that wait has ended: already answered by ann via cli, \d+s ago; nothing was sent to the agent/,
    )
  })

  it('refuses a request without the cookie, without the CSRF token, or from a foreign Origin', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    await t.hook('PermissionRequest')
    const waitId = t.lastWait().id
    const { context, page } = await t.signedIn()
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content')
    const answer = `${t.url}/ui/waits/${waitId}/answer`
    const body = JSON.stringify({ action: 'approve' })
    const json = { 'content-type': 'application/json' }

    const stranger = await browser.newContext()
    cleanups.push(() => stranger.close())
    for (const path of ['/', '/ui/events', '/ui/attention', `/ui/agents/${t.sid}`]) {
      const res = await stranger.request.get(`${t.url}${path}`)
      assert.equal(res.status(), 401, `GET ${path} without the cookie`)
    }
    const noCookie = await stranger.request.post(answer, { headers: { ...json, 'x-csrf-token': csrf! }, data: body })
    assert.equal(noCookie.status(), 401)

    const noCsrf = await context.request.post(answer, { headers: json, data: body })
    assert.equal(noCsrf.status(), 403)
    assert.equal(((await noCsrf.json()) as { error: { code: string } }).error.code, 'forbidden_csrf')
    const foreign = await context.request.post(answer, {
      headers: { ...json, 'x-csrf-token': csrf!, origin: 'http://evil.example' },
      data: body,
    })
    assert.equal(foreign.status(), 403)
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, 'forbidden_origin')
    // Nothing of that reached the wait.
    assert.equal(t.lastWait().endedAt, null)

    // Logging out ends the session: the same cookie no longer opens the page.
    await page.locator('#logout').click()
    await shows(page.locator('body'), 'tend open')
    assert.equal((await context.request.get(`${t.url}/`)).status(), 401)
  })

  it("an agent's view: its timeline latest first, live, paged, subagent events marked; a ping's Open link leads there", async () => {
    const t = await setup()
    // More events than a page holds, posted as the hook posts them, the oldest a subagent's.
    const post = (body: object, at: number) =>
      fetch(`${t.url}/v1/hooks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.s.token}`,
          'content-type': 'application/json',
          'x-tend-time': String(at),
        },
        body: JSON.stringify(body),
      })
    const start = Date.now() - 3600_000
    await post(payload('UserPromptSubmit', { session_id: t.sid, cwd: CWD, prompt: 'index the docs' }), start - 1000)
    await post(payload('PreToolUse:agent', { session_id: t.sid, cwd: CWD, tool_use_id: 'sub-1' }), start)
    for (let i = 0; i < 110; i++) {
      const body = payload('PreToolUse', {
        session_id: t.sid,
        cwd: CWD,
        tool_use_id: `t${i}`,
        tool_input: { command: `step-${i}` },
      })
      assert.equal((await post(body, start + (i + 1) * 1000)).status, 200)
    }
    const { page } = await t.signedIn()
    // A ping's Open link (signed for this agent) goes on to the dashboard's view of it when signed in.
    await page.goto(agentPageUrl(t.s, t.sid))
    await page.waitForURL(`${t.url}/ui/agents/${t.sid}`)
    await shows(page.locator('#live'), 'live')
    const first = page.locator('#timeline li').first()
    await shows(first, 'step-109')
    assert.equal(await page.locator('#timeline .badge').count(), 0, 'the subagent event is on an older page')

    // Live: a new event comes first.
    await t.hook('PreToolUse', { tool_use_id: 'live-1', tool_input: { command: 'npm run build' } })
    await shows(first, 'npm run build')

    await page.getByRole('link', { name: 'Older →' }).click()
    await page.waitForURL(/before=/)
    const older = await page.locator('#timeline li').allInnerTexts()
    assert.ok(
      older.some((e) => e.includes('subagent')),
      `the subagent event is marked: ${JSON.stringify(older)}`,
    )
    assert.ok(!older.some((e) => e.includes('npm run build')), 'the older page has none of the latest')
    await page.getByRole('link', { name: 'Latest' }).click()
    await shows(page.locator('#timeline li').first(), 'npm run build')
  })

  it('fits a phone: nothing wider than the screen, the answer buttons in reach', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    await t.hook('PermissionRequest', {
      tool_input: { command: 'npm publish --access public --tag next --otp 123456' },
    })
    const { page } = await t.signedIn()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('#queue-list .card').waitFor()
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`)
    const approve = await page.getByRole('button', { name: 'Approve' }).boundingBox()
    assert.ok(approve && approve.x >= 0 && approve.x + approve.width <= 390)
  })

  it('priorities are edited on the page; a browser revoked from another one is signed out at once', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    await t.hook('PermissionRequest')
    const { page } = await t.signedIn()
    const select = page.locator(`#queue-list select[data-priority-target="${t.sid}"]`)
    await select.selectOption('1')
    await shows(page.locator('#notices'), 'Priority 1 set')
    await waitFor(() => listPriorityRules(t.s.store.db).find((r) => r.target === t.sid)?.priority === 1, 5000, 'rule')
    await shows(page.locator('#queue-list .why'), 'priority 1')

    // A second browser signs in; the first revokes it from the sessions list.
    const other = await t.signedIn()
    await page.reload()
    const rows = page.locator('#sessions-list tr[data-browser-session]')
    await count(rows, 2)
    const otherId = await page.locator('#sessions-list tr:not(:has(b)) [data-revoke]').getAttribute('data-revoke')
    await page.locator(`[data-revoke="${otherId}"]`).click()
    await shows(page.locator('#notices'), `Session ${otherId} revoked`)
    await count(rows, 1)
    // The other page's live stream says so, and it reloads to the signed-out page.
    await shows(other.page.locator('body'), 'tend open')
    assert.equal((await other.context.request.get(`${t.url}/`)).status(), 401)
  })
})
