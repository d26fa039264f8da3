// npm run screenshots: the README's dashboard pictures. A throwaway receiver gets a realistic fleet
// (a week of history, then seven live agents) through its real ingest path (POST /v1/hooks, as the
// hook sends it); Debian's chromium signs in with a `tend open` login link and is photographed at
// 1280×800 and at a phone's width. Writes docs/dashboard.png, docs/dashboard-phone.png, docs/dashboard-agent.png,
// docs/dashboard-rules.png.
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { loadConfig } from '../src/config.ts'
import type { PingChannel } from '../src/core/channel.ts'
import { silentLogger } from '../src/log.ts'
import { startServer } from '../src/server/serve.ts'
import { rulesOf } from '../src/service/rules.ts'

const CHROMIUM = process.env['TEND_CHROMIUM'] ?? '/usr/bin/chromium'
const OUT = join(import.meta.dirname, '..', 'docs')
const MIN = 60_000
const DAY = 24 * 3600_000

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A desktop channel that delivers: the pings log shows what the policy sent and held back, and why. */
const desktop: PingChannel = {
  name: 'desktop',
  available: () => true,
  send: async () => ({ ok: true }),
  check: async () => ({ name: 'desktop', ok: true, detail: 'screenshot' }) as never,
  close: () => {},
}

const home = mkdtempSync(join(tmpdir(), 'tend-screenshots-'))
const env = { TEND_HOME: home, HOME: home, TEND_PORT: String(await freePort()) }
writeFileSync(join(home, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
const server = await startServer(loadConfig(env), { log: silentLogger, channels: () => [desktop] })
const { url } = server.services.config
const token = server.services.token

const session = () => randomUUID()

async function send(body: Record<string, unknown>, at: number, machine?: string, held = false) {
  const res = await fetch(`${url}/v1/hooks`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-tend-time': String(Math.round(at)),
      ...(machine ? { 'x-tend-machine': machine } : {}),
      // As the hook holds a PermissionRequest: a rule may answer it at once.
      ...(held ? { 'x-tend-hold': '60' } : {}),
    },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`hook ${body['hook_event_name']}: ${res.status} ${await res.text()}`)
}

function agent(project: string, machine?: string) {
  const sid = session()
  const cwd = `/home/ann/work/${project}`
  const base = { session_id: sid, cwd, transcript_path: `${home}/t/${sid}.jsonl`, permission_mode: 'default' }
  const ev = (name: string, at: number, extra: Record<string, unknown> = {}, held = false) =>
    send({ ...base, hook_event_name: name, ...extra }, at, machine, held)
  let tool = 0
  return {
    sid,
    start: (at: number) => ev('SessionStart', at, { source: 'startup', model: 'claude-sonnet-4-5' }),
    prompt: (at: number, prompt: string) => ev('UserPromptSubmit', at, { prompt }),
    bash: async (at: number, command: string) => {
      const id = `toolu_${sid.slice(0, 8)}${++tool}`
      await ev('PreToolUse', at, { tool_name: 'Bash', tool_input: { command }, tool_use_id: id })
      await ev('PostToolUse', at + 20_000, {
        tool_name: 'Bash',
        tool_input: { command },
        tool_use_id: id,
        tool_response: { stdout: 'ok', stderr: '', interrupted: false },
      })
    },
    /** A command the person let run at the permission dialog (or a rule did, `held`). */
    permittedBash: async (at: number, command: string, held = false) => {
      const id = `toolu_${sid.slice(0, 8)}${++tool}`
      const call = { tool_name: 'Bash', tool_input: { command }, tool_use_id: id }
      await ev('PreToolUse', at, call)
      await ev('PermissionRequest', at + 1_000, call, held)
      await ev('PostToolUse', at + 20_000, { ...call, tool_response: { stdout: 'ok', stderr: '', interrupted: false } })
    },
    edit: async (at: number, file: string) => {
      const id = `toolu_${sid.slice(0, 8)}${++tool}`
      const input = { file_path: `${cwd}/${file}`, old_string: 'a', new_string: 'b' }
      await ev('PreToolUse', at, { tool_name: 'Edit', tool_input: input, tool_use_id: id })
      await ev('PostToolUse', at + 5_000, { tool_name: 'Edit', tool_input: input, tool_use_id: id, tool_response: {} })
    },
    permission: (at: number, command: string) =>
      ev('PermissionRequest', at, { tool_name: 'Bash', tool_input: { command, description: command } }),
    stop: (at: number, message: string) => ev('Stop', at, { stop_hook_active: false, last_assistant_message: message }),
    failure: (at: number, error: string) => ev('StopFailure', at, { error, error_details: error }),
    end: (at: number) => ev('SessionEnd', at, { reason: 'prompt_input_exit' }),
  }
}

const now = Date.now()
// A week of history: each day a few agents, each working through a few instructions.
const PROJECTS = ['api', 'web', 'infra', 'docs', 'search']
for (let d = 6; d >= 1; d--) {
  for (let i = 0; i < 3 + (d % 3); i++) {
    const a = agent(PROJECTS[(d + i) % PROJECTS.length]!)
    let t = now - d * DAY + (9 + i * 2) * 3600_000
    await a.start(t)
    for (let k = 0; k < 4; k++) {
      await a.prompt((t += 30_000), `step ${k + 1}: carry on with the ticket`)
      await (k === 0 ? a.permittedBash : a.bash)((t += 60_000), 'npm test')
      t += (4 + ((d * 7 + i * 3 + k * 5) % 14)) * MIN
      await a.stop(t, k % 2 ? 'Done with this step. Should I open the PR?' : 'Finished; tests pass.')
      t += (1 + ((d + k * 3 + i) % 9)) * MIN
    }
    await a.end((t += 60_000))
  }
}

// Rules: one suggestion accepted, one deny typed by the person.
const rules = rulesOf(server.services)
rules.add({ kind: 'allow', rule: 'Bash(npm test:*)', path: '/home/ann/work/web/**', origin: 'suggestion' })
rules.add({ kind: 'deny', rule: 'Bash(rm -rf:*)', reason: 'never delete recursively here; ask me' })
rules.add({ kind: 'allow', rule: 'Bash(python train.py:*)', path: '/home/ann/work/ml-pipeline/**' })

// The live fleet.
const api = agent('api')
await api.start(now - 40 * MIN)
await api.prompt(now - 38 * MIN, 'add the orders table migration and run it against staging')
await api.edit(now - 30 * MIN, 'db/migrations/0042_orders.sql')
await api.permission(now - 4 * MIN, 'npm run migrate -- --env staging')

const web = agent('web')
await web.start(now - 70 * MIN)
await web.prompt(now - 66 * MIN, 'the checkout button flickers while the cart syncs; fix it')
await web.edit(now - 40 * MIN, 'src/checkout/CheckoutButton.tsx')
await web.stop(
  now - 11 * MIN,
  'I found the flicker: the button re-renders on every cart sync. Two fixes are possible: keep it disabled until the sync ends, or show a spinner inside it. Which one do you prefer?',
)

const infra = agent('infra', 'build-box')
await infra.start(now - 25 * MIN)
await infra.prompt(now - 24 * MIN, 'bump the terraform providers and plan')
await infra.bash(now - 20 * MIN, 'terraform plan -out plan.tfout')
await infra.failure(now - 2 * MIN, 'rate_limit: 429 Too Many Requests')

const docs = agent('docs')
await docs.start(now - 50 * MIN)
await docs.prompt(now - 49 * MIN, 'rewrite the setup guide for the new installer')
await docs.edit(now - 35 * MIN, 'docs/setup.md')
await docs.stop(now - 6 * MIN, 'Rewrote docs/setup.md for the new installer; all links checked.')

const ml = agent('ml-pipeline', 'gpu-01')
await ml.start(now - 15 * MIN)
await ml.prompt(now - 14 * MIN, 'retrain the ranking model on last week’s clicks')
await ml.permittedBash(now - 3 * MIN, 'python train.py --check', true)
await ml.bash(now - 1 * MIN, 'python train.py --data clicks-2026-47')

const mobile = agent('mobile')
await mobile.start(now - 9 * MIN)
await mobile.prompt(now - 8 * MIN, 'update the iOS deep links for the new routes')
await mobile.edit(now - 30_000, 'ios/App/DeepLinks.swift')

const search = agent('search')
await search.start(now - 3 * MIN)

// Let the notifier plan its pings (grace periods are fake-clock free here: wait until it logged some).
for (let i = 0; i < 100; i++) {
  const res = await fetch(`${url}/v1/pings`, { headers: { authorization: `Bearer ${token}` } })
  if (((await res.json()) as { pings: unknown[] }).pings.length >= 2) break
  await new Promise((r) => setTimeout(r, 100))
}

const link = await fetch(`${url}/v1/browser/login-links`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}` },
})
const { url: login } = (await link.json()) as { url: string }
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
})
try {
  mkdirSync(OUT, { recursive: true })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })
  const page = await context.newPage()
  await page.goto(login)
  await page.waitForSelector('#charts[data-drawn]')
  await page.waitForSelector('#live.on')
  await page.keyboard.press('j')
  await page.screenshot({ path: join(OUT, 'dashboard.png') })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: join(OUT, 'dashboard-phone.png') })
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(`${url}/ui/agents/${web.sid}`)
  await page.waitForSelector('#live.on')
  await page.screenshot({ path: join(OUT, 'dashboard-agent.png') })
  await page.goto(`${url}/ui/rules`)
  await page.waitForSelector('#live.on')
  await page.screenshot({ path: join(OUT, 'dashboard-rules.png'), fullPage: true })
  const files = ['dashboard.png', 'dashboard-phone.png', 'dashboard-agent.png', 'dashboard-rules.png']
  process.stdout.write(`screenshots: wrote ${files.map((f) => join('docs', f)).join(', ')}\n`)
} finally {
  await browser.close()
  await server.close()
  rmSync(home, { recursive: true, force: true })
}
