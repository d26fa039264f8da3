// `tend open`'s way of handing the one-time login link to the browser, in real Chromium: the opener's
// command line (readable by every local user in /proc) carries only the path of a page this user
// alone can read, and that page signs the browser in; agent text that tries to run script does not.
import assert from 'node:assert/strict'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { openLoginLink } from '../../src/cli/open.ts'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { tempHome } from '../helpers/app.ts'
import { launchChromium } from '../helpers/browser.ts'
import { freePort } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { waitFor } from '../helpers/wait-for.ts'

let browser: Browser
let server: RunningServer
const home = tempHome('tend-login-link-')
before(async () => {
  browser = await launchChromium()
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  server = await startServer(loadConfig(env), { log: silentLogger, channels: () => [] })
})
after(async () => {
  await browser?.close()
  await server?.close()
  home.cleanup()
})

async function loginLink(): Promise<string> {
  const res = await fetch(`${server.url}/v1/browser/login-links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.services.token}` },
  })
  return ((await res.json()) as { url: string }).url
}

describe('the login link handed to the browser', () => {
  it('is on no command line: the opener gets a private page that signs the browser in', async () => {
    const argvFile = join(home.dir, 'argv.txt')
    const fakeOpener = join(home.dir, 'fake-open')
    writeFileSync(fakeOpener, `#!/bin/sh\nprintf '%s' "$*" > '${argvFile}'\n`)
    chmodSync(fakeOpener, 0o755)
    const link = await loginLink()
    assert.equal(await openLoginLink(fakeOpener, link, server.services.config.paths.configDir), true)
    await waitFor(() => existsSync(argvFile) && readFileSync(argvFile, 'utf8').length > 0, 10_000, 'the opener ran')
    const argv = readFileSync(argvFile, 'utf8')
    const secret = new URL(link).pathname.split('/').pop()!
    assert.ok(!argv.includes(secret), `the link is not on the command line: ${argv}`)
    assert.equal(statSync(argv).mode & 0o777, 0o600, 'only this user reads the page')

    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(pathToFileURL(argv).href)
      await page.waitForURL(`${server.url}/`)
      await page.locator('#queue-h').waitFor()
      const cookies = await context.cookies()
      assert.ok(cookies.some((c) => c.name.startsWith('tend_session_') && c.sameSite === 'Strict'))
      assert.equal((await fetch(link)).status, 401, 'the link is spent')
    } finally {
      await context.close()
    }
  })

  it("an agent's text that tries to run script or inject markup stays text, live updates too", async () => {
    const X = `</script><img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b id="pwn">x</b>`
    const sid = `xss-${Date.now()}`
    const send = (key: string, extra: object) =>
      fetch(`${server.url}/v1/hooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.services.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload(key, { session_id: sid, cwd: `/home/me/${X}`, ...extra })),
      })
    await send('SessionStart:startup', {})
    await send('UserPromptSubmit', { prompt: X })
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(await loginLink())
      await page.locator('#queue-h').waitFor()
      const agent = await context.newPage()
      await agent.goto(`${server.url}/ui/agents/${encodeURIComponent(sid)}`)
      await agent.locator('#live.on').waitFor()
      // Live: the stop arrives while both pages are open and is swapped in by the script.
      assert.equal((await send('Stop', { last_assistant_message: X })).status, 200)
      for (const p of [page, agent]) {
        await waitFor(async () => (await p.content()).includes('&lt;/script&gt;'), 10_000, 'the text is shown')
        assert.equal(await p.evaluate('window.pwned'), undefined)
        assert.equal(await p.locator('#pwn').count(), 0, 'no injected element')
      }
    } finally {
      await context.close()
    }
  })
})
