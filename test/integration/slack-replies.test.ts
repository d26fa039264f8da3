// Answers from Slack over Socket Mode reach the held hook of that exact wait: thread replies, Approve / Deny, refusals.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { getAgentDetail } from '../../src/store/agents.ts'
import { repliesForWait } from '../../src/store/replies.ts'
import { runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { blockTexts, blockTypes, HUMAN, startSlackRig, STRANGER, type SlackRig } from '../helpers/slack.ts'
import { waitFor } from '../helpers/wait-for.ts'

const SID = '5e55a0b1-aaaa-4bbb-8ccc-000000000001'
const CWD = '/home/me/projects/shop'
const ev = (key: string, extra = {}) => payload(key, { session_id: SID, cwd: CWD, ...extra })

let rig: SlackRig | null = null
afterEach(async () => {
  await rig?.close()
  rig = null
})

async function setup() {
  rig = await startSlackRig()
  const r = rig
  await r.socketConnected()
  await runHook(ev('UserPromptSubmit'), r.env)
  const held = () => waitFor(() => r.server.services.holds.list()[0], 20_000, 'a held hook')
  const lastWait = () => getAgentDetail(r.server.services.store.db, SID)!.waits.at(-1)!
  const threadSays = (n: number) =>
    waitFor(
      () => {
        const thread = r.thread(r.pings()[0]!)
        return thread.length >= n ? thread.map((m) => m.text) : null
      },
      5000,
      `${n} message(s) in the thread`,
    )
  return { r, held, lastWait, threadSays }
}

async function heldStop(t: Awaited<ReturnType<typeof setup>>) {
  t.r.server.services.setAway(true)
  const hook = runHook(
    ev('Stop', { last_assistant_message: 'Migration written. Shall I run it on staging?' }),
    t.r.env,
    ['hold', '60'],
  )
  await t.held()
  return { hook, ping: await t.r.pinged() }
}

async function heldPermission(t: Awaited<ReturnType<typeof setup>>) {
  const hook = runHook(
    ev('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'npm publish' } }),
    t.r.env,
    ['hold', '60'],
  )
  await t.held()
  return { hook, ping: await t.r.pinged() }
}

describe('slack replies', () => {
  it('a thread reply from the allowed person continues the held Stop with that text; the message says who answered', async () => {
    const t = await setup()
    const { hook, ping } = await heldStop(t)
    const ack = await t.r.fake.userReplyInThread({
      user: HUMAN,
      channel: ping.channel,
      thread_ts: ping.ts,
      text: 'yes, run it on staging &amp; tell me',
    })
    assert.ok(ack.envelope, 'acked')
    assert.deepEqual(JSON.parse((await hook).stdout), { decision: 'block', reason: 'yes, run it on staging & tell me' })
    const wait = t.lastWait()
    assert.deepEqual([wait.endedBy, wait.endedVia, wait.answeredBy], ['reply', 'slack', HUMAN])
    assert.deepEqual(await t.threadSays(1), [':white_check_mark: Sent to shop·5e55a0b1: it goes on with your reply.'])
    const updated = await waitFor(
      () => t.r.fake.message(ping.channel, ping.ts)?.edited && t.r.fake.message(ping.channel, ping.ts),
      5000,
      'the update',
    )
    assert.match(blockTexts(updated).at(-1)!, /^:ballot_box_with_check: answered by <@U0HUMAN01> via slack after \d+s$/)
  })

  it("a stranger's reply is refused and told; nothing reaches the agent", async () => {
    const t = await setup()
    const { hook, ping } = await heldStop(t)
    await t.r.fake.userReplyInThread({
      user: STRANGER,
      channel: ping.channel,
      thread_ts: ping.ts,
      text: 'rm -rf / please',
    })
    assert.deepEqual(await t.threadSays(1), [
      '<@U0STRANGER>, only <@U0HUMAN01> may answer this agent. Nothing was sent to it.',
    ])
    assert.equal(t.r.server.services.holds.list().length, 1, 'still held')
    assert.equal(t.lastWait().endedAt, null)
    assert.deepEqual(repliesForWait(t.r.server.services.store.db, t.lastWait().id), [])
    // The allowed person's reply still goes through.
    await t.r.fake.userReplyInThread({
      user: HUMAN,
      channel: ping.channel,
      thread_ts: ping.ts,
      text: 'no, wait for me',
    })
    assert.equal(JSON.parse((await hook).stdout).reason, 'no, wait for me')
  })

  it('a reply after the wait ended (answered at the terminal) is told how it ended, not delivered', async () => {
    const t = await setup()
    await runHook(ev('Stop', { last_assistant_message: 'Shall I deploy?' }), t.r.env)
    const ping = await t.r.pinged()
    const waitId = t.lastWait().id
    await runHook(ev('UserPromptSubmit', { prompt: 'deploy it', prompt_id: 'p2' }), t.r.env)
    await t.r.fake.userReplyInThread({ user: HUMAN, channel: ping.channel, thread_ts: ping.ts, text: 'yes, deploy' })
    const [told] = await t.threadSays(1)
    assert.match(
      told!,
      /^:warning: That wait has ended: answered at the terminal, \d+s ago; nothing was sent to the agent$/,
    )
    assert.deepEqual(
      repliesForWait(t.r.server.services.store.db, waitId).map((r) => [r.via, r.by, r.outcome]),
      [['slack', HUMAN, 'wait_ended']],
    )
  })

  it('an Approve click allows the held PermissionRequest; a double click resolves it once', async () => {
    const t = await setup()
    const { hook, ping } = await heldPermission(t)
    // Text can't answer a permission (as with `tend reply`): told so, nothing decided.
    await t.r.fake.userReplyInThread({ user: HUMAN, channel: ping.channel, thread_ts: ping.ts, text: 'sure' })
    assert.deepEqual(await t.threadSays(1), [
      ':warning: The agent waits for a permission: approve or deny it. Nothing was sent to the agent.',
    ])
    const click = () =>
      t.r.fake.clickButton({ user: HUMAN, channel: ping.channel, message_ts: ping.ts, action_id: 'tend_approve' })
    await Promise.all([click(), click()])
    assert.deepEqual(JSON.parse((await hook).stdout), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    })
    const waitId = t.lastWait().id
    const replies = repliesForWait(t.r.server.services.store.db, waitId)
    assert.deepEqual(replies.map((r) => [r.action, r.outcome]).sort(), [
      ['approve', 'delivered'],
      ['approve', 'wait_ended'],
      ['reply', 'wrong_kind'],
    ])
    const thread = (await t.threadSays(3)).slice(1)
    assert.equal(thread.filter((m) => m.startsWith(':white_check_mark: Approved')).length, 1)
    assert.match(
      thread.find((m) => m.startsWith(':warning:'))!,
      /already answered by U0HUMAN01 via slack/,
    )
    const updated = await waitFor(
      () => t.r.fake.message(ping.channel, ping.ts)?.edited && t.r.fake.message(ping.channel, ping.ts),
      5000,
      'the update',
    )
    assert.deepEqual(blockTypes(updated), ['header', 'section', 'context', 'context'], 'the buttons are gone')
    assert.match(blockTexts(updated).at(-1)!, /^:white_check_mark: approved by <@U0HUMAN01> via slack after \d+s$/)
  })

  it('Deny refuses the tool with a message; a stranger clicking first is told and changes nothing', async () => {
    const t = await setup()
    const { hook, ping } = await heldPermission(t)
    await t.r.fake.clickButton({
      user: STRANGER,
      channel: ping.channel,
      message_ts: ping.ts,
      action_id: 'tend_approve',
    })
    assert.match((await t.threadSays(1))[0]!, /<@U0STRANGER>, only <@U0HUMAN01> may answer/)
    assert.equal(t.r.server.services.holds.list().length, 1)
    await t.r.fake.clickButton({ user: HUMAN, channel: ping.channel, message_ts: ping.ts, action_id: 'tend_deny' })
    assert.deepEqual(JSON.parse((await hook).stdout).hookSpecificOutput.decision, {
      behavior: 'deny',
      message: 'Denied in Slack by ada.',
    })
  })

  it('redeliveries (same event_id, new envelope) answer once; the bot echo and its edits are acked and ignored', async () => {
    const t = await setup()
    const { hook, ping } = await heldStop(t)
    const first = t.r.fake.userReplyInThread({ user: HUMAN, channel: ping.channel, thread_ts: ping.ts, text: 'go' })
    await first
    await t.r.fake.redeliver(first.envelope)
    await t.r.fake.redeliver(first.envelope, 'timeout')
    assert.equal(JSON.parse((await hook).stdout).reason, 'go')
    await waitFor(() => t.r.fake.message(ping.channel, ping.ts)?.edited, 20_000, 'the update')
    await t.r.fake.echoBotMessage(ping)
    await t.r.fake.echoMessageChanged(ping)
    const said = t.r.thread(ping)
    await t.r.fake.echoBotMessage(said[0]!)
    assert.equal(t.r.fake.acks.length, 6, 'every delivery acked')
    assert.deepEqual(await t.threadSays(1), [':white_check_mark: Sent to shop·5e55a0b1: it goes on with your reply.'])
    assert.equal(t.r.thread(ping).length, 1, 'nothing more was said')
    assert.deepEqual(
      repliesForWait(t.r.server.services.store.db, t.lastWait().id).map((r) => r.outcome),
      ['delivered'],
    )
  })
})
