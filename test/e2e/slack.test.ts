// E2E: the real Claude Code blocks, tend pings the person in (a local fake of) Slack, and the answer there unblocks it.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createSlackPings, type SlackPings } from '../../src/slack/slack-pings.ts'
import { lastUserText, turn } from '../fakes/anthropic-mock.ts'
import { startSlackFake, type StoredMessage } from '../fakes/slack-fake.ts'
import { claudeAtLeast, CLAUDE_VERSION, requireTool, stopHookFeedback } from '../helpers/claude.ts'
import { setupE2E, waitFor } from '../helpers/e2e.ts'
import { blockTexts, blockTypes, FAST, HUMAN } from '../helpers/slack.ts'

/** A receiver whose only channel is Slack (pointed at the fake), configured through config.json as a person would. */
async function slackE2E(t: TestContext) {
  const e2e = await setupE2E(t)
  const fake = await startSlackFake({ users: { [HUMAN]: 'ada' } })
  // Registered after setupE2E's teardown, so it runs once the receiver (and its socket) has stopped.
  t.after(() => fake.close())
  const config = {
    holds: { autoAwayAfterSec: 0 },
    notify: { graceSec: 1, minGapSec: 0, presenceHoldSec: 0, slack: { afterMin: 0 } },
    slack: { botToken: fake.botToken, appToken: fake.appToken, user: HUMAN, apiUrl: fake.apiUrl },
  }
  mkdirSync(e2e.env['TEND_HOME']!, { recursive: true })
  writeFileSync(join(e2e.env['TEND_HOME']!, 'config.json'), JSON.stringify(config))
  let slack: SlackPings | null = null
  const server = await e2e.startReceiver({
    notifyTickMs: 200,
    channels: (services) => [(slack = createSlackPings(services, FAST))],
  })
  await waitFor(() => slack!.socket.status().state === 'connected', 20_000, 'the Slack socket')
  const ping = () =>
    waitFor(() => fake.messages.find((m) => m.user === fake.identity.botUserId && m.blocks), 20_000, 'the Slack ping')
  const thread = (p: StoredMessage) =>
    fake.messages.filter((m) => m.thread_ts === p.ts && m.user === fake.identity.botUserId && m.ts !== p.ts)
  const updated = (p: StoredMessage) =>
    waitFor(() => fake.message(p.channel, p.ts)?.edited && fake.message(p.channel, p.ts), 20_000, 'the ping updated')
  return { e2e, fake, services: server.services, ping, thread, updated }
}

test('away: a question pings Slack; the reply in its thread continues the real Claude Code with that text', async (t) => {
  const { e2e, fake, services, ping: pinged, thread, updated } = await slackE2E(t)
  const cwd = e2e.project('billing')
  const mock = await e2e.mock([
    turn.text('Migration written.\n\nShall I run it on staging?'),
    turn.text('Running it on staging now.'),
  ])
  // The prompt itself counts as the person being here: they step away once it is in, before the agent stops.
  const prompted = e2e.gate('UserPromptSubmit')
  const run = e2e.claude({ prompt: 'write the billing migration', cwd, mock })
  await prompted.reached()
  const agent = await e2e.agentIn(cwd)
  await waitFor(async () => (await e2e.agent(agent.sessionId)).agent.state === 'working', 20_000, 'the prompt recorded')
  // Away: from now on a Stop is held for an answer from elsewhere, and Slack is pinged at once.
  services.setAway(true)
  prompted.open()

  const ping = await pinged()
  assert.match(ping.channel, /^D/, 'a DM')
  assert.deepEqual(blockTypes(ping), ['header', 'section', 'context', 'context'])
  const [header, what, where, hint] = blockTexts(ping)
  const label = /^:question: (billing·\w{8}) asks you something$/.exec(header!)?.[1]
  assert.ok(label, header)
  assert.equal(what, '*Asks:*\n> Migration written.\n> \n> Shall I run it on staging?')
  assert.match(where!, /^\*billing\* · `.*\/projects\/billing` · waiting \d+s · no other agent waits$/)
  assert.match(hint!, /Reply in this thread to instruct the agent/)
  assert.equal(mock.modelRequests().length, 1, 'the agent is held at its Stop')

  await fake.userReplyInThread({
    user: HUMAN,
    channel: ping.channel,
    thread_ts: ping.ts,
    text: 'yes, run it on staging',
  })
  const [, second] = await mock.waitForRequests(2, 20_000)
  assert.equal(lastUserText(second!), stopHookFeedback('yes, run it on staging'))

  // Back at the keyboard: the Stop after the second answer is released and the session ends.
  services.setAway(false)
  const res = await run
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.trim(), 'Running it on staging now.')

  assert.match(
    blockTexts(await updated(ping)).at(-1)!,
    /^:ballot_box_with_check: answered by <@U0HUMAN01> via slack after \d+s$/,
  )
  assert.deepEqual(
    thread(ping).map((m) => m.text),
    [`:white_check_mark: Sent to ${label}: it goes on with your reply.`],
  )
})

test('interactive: Approve in Slack answers the real permission dialog; the tool runs and the message says who approved', async (t) => {
  requireTool('tmux')
  const { e2e, fake, ping: pinged, thread, updated } = await slackE2E(t)
  const cwd = e2e.project('site')
  const mock = await e2e.mock([
    turn.tool('Bash', { command: 'touch marker && echo touched', description: 'Create marker' }),
    turn.text('Marker created.'),
  ])
  const claude = await e2e.interactive({ cwd, mock })
  await claude.waitForScreen('? for shortcuts', 15_000)
  await claude.sendText('make a marker')
  await claude.waitForScreen('Do you want to proceed?', 20_000)

  const ping = await pinged()
  assert.deepEqual(blockTypes(ping), ['header', 'section', 'context', 'actions', 'context'])
  assert.equal(blockTexts(ping)[1], '*Wants to use* `Bash`\n```touch marker &amp;&amp; echo touched```')
  assert.equal(existsSync(join(cwd, 'marker')), false, 'the tool waits for the answer')

  const click = () =>
    fake.clickButton({ user: HUMAN, channel: ping.channel, message_ts: ping.ts, action_id: 'tend_approve' })
  await Promise.all([click(), click()])
  await claude.waitForScreen('Marker created.', 15_000)
  assert.ok(existsSync(join(cwd, 'marker')), 'approved from Slack: the tool ran')
  assert.equal(lastUserText(mock.modelRequests()[1]!), 'touched')

  const after = await updated(ping)
  assert.deepEqual(blockTypes(after), ['header', 'section', 'context', 'context'], 'the buttons are gone')
  assert.match(blockTexts(after).at(-1)!, /^:white_check_mark: approved by <@U0HUMAN01> via slack after \d+s$/)
  const said = await waitFor(
    () => thread(ping).length === 2 && thread(ping).map((m) => m.text),
    5000,
    'both clicks answered in the thread',
  )
  assert.equal(said.filter((m) => m.startsWith(':white_check_mark: Approved')).length, 1, 'resolved once')
  assert.match(said.find((m) => m.startsWith(':warning:')) ?? '', /already answered by \S+ via slack/)
})

test(`interactive, present: a thread reply ${claudeAtLeast('2.1.287') ? "starts the next turn as the person's own message (tend's mod)" : 'is told it cannot be delivered (no mod: hook feedback only while away)'} — Claude Code ${CLAUDE_VERSION}`, async (t) => {
  const mods = claudeAtLeast('2.1.287')
  const { e2e, fake, ping: pinged, thread } = await slackE2E(t)
  const cwd = e2e.project('ledger')
  const mock = await e2e.mock([turn.text('Migration written. Shall I run it?'), turn.text('Ran it on staging.')])
  const claude = await e2e.interactive({ cwd, mock })
  await claude.waitForScreen('? for shortcuts', 20_000)
  const agent = await e2e.agentIn(cwd)
  // The mod announces itself at session start: the ping must know how a reply would arrive.
  if (mods) await waitFor(async () => (await e2e.agent(agent.sessionId)).agent.replyPath === 'mod', 15_000, 'the mod')
  await claude.sendText('write the migration')
  await claude.waitForScreen('Shall I run it?', 20_000)

  const ping = await pinged()
  const hint = blockTexts(ping).at(-1)!
  assert.match(hint, mods ? /arrives as your own message/ : /arrives as hook feedback/)
  await fake.userReplyInThread({ user: HUMAN, channel: ping.channel, thread_ts: ping.ts, text: 'yes, on staging' })

  if (!mods) {
    const told = await waitFor(() => thread(ping)[0], 20_000, 'the answer in the thread')
    assert.match(told.text ?? '', /nothing sent|tend away/i)
    assert.equal(mock.modelRequests().length, 1)
    return
  }
  const [, second] = await mock.waitForRequests(2, 20_000)
  assert.equal(lastUserText(second!), 'yes, on staging')
  await claude.waitForScreen('Ran it on staging.', 20_000)
  const detail = await e2e.agent(agent.sessionId)
  const question = detail.waits.find((w) => w.kind === 'question')!
  assert.equal(question.endedBy, 'reply')
})
