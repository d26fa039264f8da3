// The Rules view, the capacity banner and the report page in a real browser: Debian's chromium driven
// by playwright-core, against a real receiver fed by the real hook script. Every wait is on a condition.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer } from '../../src/server/serve.ts'
import { rulesOf } from '../../src/service/rules.ts'
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

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const CWD = '/home/me/projects/shop'
let n = 0

async function setup(config: object = {}) {
  const home = tempHome('tend-browser-rules-')
  cleanups.push(home.cleanup)
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 }, ...config }))
  const server = await startServer(loadConfig(env), { log: silentLogger, channels: () => [] })
  cleanups.push(() => server.close())
  const s = server.services
  const sid = (i = 0) => `7a1e0b1c-aaaa-4bbb-8ccc-${String(++n * 10 + i).padStart(12, '0')}`
  const main = sid()
  const hook = (key: string, extra: Record<string, unknown> = {}, args?: string[]) =>
    runHook(payload(key, { session_id: main, cwd: CWD, ...extra }), env, args)
  async function signedIn(path = '/'): Promise<Page> {
    const res = await fetch(`${s.config.url}/v1/browser/login-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}` },
    })
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    cleanups.push(() => context.close())
    const page = await context.newPage()
    await page.goto(((await res.json()) as { url: string }).url)
    await page.locator('#queue-h').waitFor()
    if (path !== '/') await page.goto(`${s.config.url}${path}`)
    return page
  }
  return { env, s, main, sid, hook, signedIn }
}

describe('rules, banner and report in Chromium', () => {
  it('a rule added on the page answers the next held PermissionRequest: the real hook prints allow', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    const page = await t.signedIn('/ui/rules')
    await shows(page.locator('#rules'), 'No rules')
    // A bad rule is refused with the API's own words.
    const form = page.locator('#rule-add')
    await form.locator('input[name=rule]').fill('Bash(npm test:*)')
    await form.locator('select[name=kind]').selectOption('allow')
    await form.locator('input[name=reason]').fill('tests are safe')
    await form.getByRole('button', { name: 'Add' }).click()
    await shows(page.locator('#notices .error'), 'Rule not added: invalid json: reason: only a deny rule has a reason')
    await form.locator('input[name=reason]').fill('')
    await form.locator('input[name=scope]').fill(`${CWD}/**`)
    await form.getByRole('button', { name: 'Add' }).click()
    await shows(page.locator('#notices'), 'Rule #1 added: allow Bash(npm test:*)')
    await shows(page.locator('#rules tr[data-rule="1"]'), `${CWD}/**`)

    // Test a call against the agent: the compound line is not covered.
    const test = page.locator('#rule-test')
    await test.locator('input[name=target]').fill(t.main.slice(0, 8))
    await test.locator('input[name=call]').fill('Bash(npm test && rm -rf /)')
    await test.getByRole('button', { name: 'Test' }).click()
    await shows(page.locator('#rule-test-result'), 'no rule applies')
    await test.locator('input[name=call]').fill('Bash(npm test -- --watch=false)')
    await test.getByRole('button', { name: 'Test' }).click()
    await shows(page.locator('#rule-test-result'), 'allow — rule #1 allow Bash(npm test:*)')

    const run = await t.hook(
      'PermissionRequest',
      { tool_name: 'Bash', tool_input: { command: 'npm test -- --watch=false' } },
      ['hold', '60'],
    )
    assert.equal(JSON.parse(run.stdout).hookSpecificOutput.decision.behavior, 'allow')
    // The agent's timeline says which rule decided.
    await page.goto(`${t.s.config.url}/ui/agents/${t.main}`)
    await shows(page.locator('#timeline'), 'allowed by rule #1 Bash(npm test:*)')

    // Remove it from the page.
    await page.goto(`${t.s.config.url}/ui/rules`)
    await page.locator('button[data-remove-rule="1"]').click()
    await shows(page.locator('#notices'), 'Rule #1 removed')
    await shows(page.locator('#rules'), 'No rules')
    assert.deepEqual(rulesOf(t.s).list(), [])
  })

  it('a suggestion learned from approvals is accepted from the page; its effects show', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    for (let i = 0; i < 4; i++) {
      const call = { tool_name: 'Bash', tool_input: { command: 'npm run lint' }, tool_use_id: `toolu_lint_${i}` }
      await t.hook('PermissionRequest', call)
      await t.hook('PostToolUse', call)
    }
    await waitFor(() => rulesOf(t.s).suggest().length === 1, 10_000, 'the four approvals stored')
    const page = await t.signedIn('/ui/rules')
    const row = page.locator('#suggestions tr[data-suggestion="1"]')
    await shows(row, 'Bash(npm run lint)')
    await shows(row, '4 of 4')
    await row.getByRole('button', { name: 'Accept' }).click()
    await shows(page.locator('#notices'), 'added: allow Bash(npm run lint)')
    await shows(page.locator('#rules tr[data-rule="1"]'), 'suggested')
    assert.equal(rulesOf(t.s).list()[0]!.origin, 'suggestion')
    // The include-risky toggle reloads the view with the risky ones counted.
    await page.locator('#risky-toggle').check()
    await page.waitForURL(/\/ui\/rules\?risky=1$/)
    assert.equal(await page.locator('#risky-toggle').isChecked(), true)

    const lint = { tool_name: 'Bash', tool_input: { command: 'npm run lint' }, tool_use_id: 'toolu_lint_9' }
    const run = await t.hook('PermissionRequest', lint, ['hold', '60'])
    assert.equal(JSON.parse(run.stdout).hookSpecificOutput.decision.behavior, 'allow')
    await page.reload()
    await shows(page.locator('#effects'), '1 interruptions avoided')
  })

  it('the banner appears, live, when the live agents exceed the limit', async () => {
    const t = await setup({ economics: { ceiling: 1 } })
    await t.hook('SessionStart:startup')
    const page = await t.signedIn()
    await shows(page.locator('#live'), 'live')
    assert.equal(await page.locator('#capacity-banner').innerText(), '')
    await runHook(payload('SessionStart:startup', { session_id: t.sid(1), cwd: CWD, source: 'startup' }), t.env)
    await shows(page.locator('#capacity-banner'), /Over your practical limit\. 2 agents live; beyond your ceiling of 1/)
    // Every page carries it.
    await page.goto(`${t.s.config.url}/ui/rules`)
    await shows(page.locator('#capacity-banner'), '2 agents live')
  })

  it('with review batching on, the queue page shows the finished agents gathered for the next digest', async () => {
    const t = await setup({ notify: { batch: { enabled: true, everyMin: 60 } } })
    await t.hook('UserPromptSubmit')
    const page = await t.signedIn()
    await shows(page.locator('#batch-list'), 'Nothing gathered yet; the next digest goes at')
    await t.hook('Stop', { last_assistant_message: 'Finished the migration.' })
    await shows(page.locator('#batch-list'), /1 finished agent gathered: the next digest goes at \d/)
    await shows(page.locator('#batch-list li'), 'shop')
  })

  it('the report page renders the week, and the rules’ decisions beside it', async () => {
    const t = await setup()
    await t.hook('UserPromptSubmit')
    await t.hook('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'npm publish' } })
    await t.hook('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'npm publish' } })
    const page = await t.signedIn()
    await page.getByRole('link', { name: 'Report' }).first().click()
    await page.waitForURL(/\/ui\/report$/)
    await shows(page.locator('#report-h'), /Report · .* \(7 days\)/)
    await shows(page.locator('#report'), 'N by day')
    await shows(page.locator('#report .recurring'), 'Bash(npm publish)')
    await shows(page.locator('#report .longest'), 'needs your permission')
    await shows(page.locator('#report-rules'), '0 automatic decisions')
  })
})
