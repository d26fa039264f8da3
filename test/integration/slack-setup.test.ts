// Setting Slack up as a person would: `tend slack setup` (manifest + steps) and `tend doctor` with no receiver running.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { MANIFEST_PATH } from '../../src/cli/slack.ts'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/log.ts'
import { startServer } from '../../src/server/serve.ts'
import type { SlackPings } from '../../src/slack/slack-pings.ts'
import { startSlackFake, type SlackFake } from '../fakes/slack-fake.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { freePort } from '../helpers/hook.ts'
import { HUMAN } from '../helpers/slack.ts'
import { waitFor } from '../helpers/wait-for.ts'

describe('tend slack setup', () => {
  const home = tempHome()
  after(() => home.cleanup())
  const env = { TEND_HOME: home.dir, HOME: home.dir }

  it('ships a Socket Mode manifest named tend, with the scopes and events replies need', () => {
    const yaml = readFileSync(MANIFEST_PATH, 'utf8')
    assert.match(yaml, /^display_information:\n {2}name: tend$/m)
    assert.match(yaml, /^ {2}socket_mode_enabled: true$/m)
    assert.match(yaml, /^ {2}interactivity:\n {4}is_enabled: true/m)
    assert.match(yaml, /^ {4}messages_tab_read_only_enabled: false/m)
    for (const scope of ['chat:write', 'im:write', 'im:history', 'channels:history', 'groups:history']) {
      assert.match(yaml, new RegExp(`^ {6}- ${scope}\\b`, 'm'), scope)
    }
    for (const event of ['message.im', 'message.channels', 'message.groups'])
      assert.match(yaml, new RegExp(`^ {6}- ${event}$`, 'm'), event)
    assert.doesNotMatch(yaml, /\t/, 'YAML indents with spaces only')
  })

  it('prints the numbered steps, what is missing, and the manifest', async () => {
    const out = await runTend(['slack', 'setup'], env)
    assert.equal(out.code, 0, out.stderr)
    for (const n of [1, 2, 3, 4, 5, 6]) assert.match(out.stdout, new RegExp(`^${n}\\. `, 'm'))
    assert.match(out.stdout, /From a manifest/)
    assert.match(out.stdout, /connections:write/)
    assert.match(out.stdout, /SLACK_APP_TOKEN/)
    assert.match(out.stdout, /SLACK_BOT_TOKEN/)
    assert.match(out.stdout, /Copy member ID/)
    assert.match(out.stdout, /slack\.allowedUsers/)
    assert.match(out.stdout, /\/invite @tend/)
    assert.match(out.stdout, /tend doctor/)
    assert.ok(out.stdout.includes(join(home.dir, 'config.json')), 'names this install’s config file')
    assert.match(out.stdout, /still missing: 3 of 3/)
    assert.ok(out.stdout.endsWith(readFileSync(MANIFEST_PATH, 'utf8')), 'the manifest, verbatim, at the end')
  })

  it('--manifest prints only the YAML', async () => {
    const out = await runTend(['slack', 'setup', '--manifest'], env)
    assert.equal(out.stdout, readFileSync(MANIFEST_PATH, 'utf8'))
  })
})

describe("the receiver's own channels (as `tend serve` starts them)", () => {
  const start = async (t: TestContext, slack: Record<string, unknown>) => {
    const home = tempHome()
    const env = { TEND_HOME: home.dir, HOME: home.dir }
    writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ slack }))
    const logs: string[] = []
    const server = await startServer(loadConfig(env), { log: createLogger({ write: (l) => logs.push(l) }), port: 0 })
    t.after(async () => {
      await server.close()
      home.cleanup()
    })
    return { names: server.channels.map((c) => c.name), channels: server.channels, log: () => logs.join('\n') }
  }

  it('the desktop alone while config.json says nothing of Slack; a half set-up Slack is named in the log', async (t) => {
    const none = await start(t, {})
    assert.deepEqual(none.names, ['desktop'])
    assert.doesNotMatch(none.log(), /slack/i)
    const half = await start(t, { botToken: 'xoxb-only-this' })
    assert.deepEqual(half.names, ['desktop'])
    assert.match(half.log(), /slack is not wired in/)
  })

  it('the desktop, then Slack once it is set up: the socket connects to the workspace', async (t) => {
    const fake = await startSlackFake({ users: { [HUMAN]: 'ada' } })
    const { names, channels } = await start(t, {
      botToken: fake.botToken,
      appToken: fake.appToken,
      user: HUMAN,
      apiUrl: fake.apiUrl,
    })
    t.after(() => fake.close()) // after the receiver (hooks run in order): its client closes first
    assert.deepEqual(names, ['desktop', 'slack'])
    const slack = channels[1] as SlackPings
    await waitFor(() => slack.socket.status().state === 'connected', 20_000, 'the Slack socket to connect')
  })
})

describe('tend doctor with no receiver running', () => {
  let fake: SlackFake
  const home = tempHome()
  before(async () => {
    fake = await startSlackFake()
  })
  after(async () => {
    await fake.close()
    home.cleanup()
  })

  const doctor = async (slack: Record<string, unknown>) => {
    writeFileSync(
      join(home.dir, 'config.json'),
      JSON.stringify({ slack: { user: HUMAN, apiUrl: fake.apiUrl, ...slack } }),
    )
    return runTend(['doctor'], { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) })
  }

  it('checks the bot token with auth.test and says the socket belongs to the receiver', async () => {
    const out = await doctor({ botToken: fake.botToken, appToken: fake.appToken })
    assert.match(
      out.stdout,
      /✓ slack \(as this terminal sees it\)\n {4}bot @tend \(U0FAKEBOT\) in Fake Team \(T0FAKETEAM\)/,
    )
    assert.match(out.stdout, /socket: owned by the receiver/)
    assert.equal(fake.callsTo('auth.test').at(-1)?.tokenKind, 'bot')
  })

  it('a wrong bot token fails with what to check, and the token is never printed', async () => {
    const out = await doctor({ botToken: 'xoxb-not-the-right-one', appToken: fake.appToken })
    assert.equal(out.code, 1)
    assert.match(
      out.stdout,
      /✗ slack \(as this terminal sees it\)\n {4}auth\.test failed: Slack said invalid_auth \(check the token: SLACK_BOT_TOKEN \/ slack\.botToken\)/,
    )
    assert.doesNotMatch(out.stdout + out.stderr, /not-the-right-one|fake-app-token/)
  })

  it('half set up: says exactly what is missing', async () => {
    const out = await doctor({ botToken: fake.botToken })
    assert.match(out.stdout, /✗ slack \(as this terminal sees it\)/)
    assert.match(out.stdout, /not wired in: missing an app-level token \(SLACK_APP_TOKEN or slack\.appToken, xapp-…\)/)
  })
})
