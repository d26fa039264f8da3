// Slack pings through the real receiver, hook script and notifier, against the local Slack fake: post once, update in place.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { getAgentDetail } from '../../src/store/agents.ts'
import { pingsForWait } from '../../src/store/pings.ts'
import { runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { blockTexts, blockTypes, HUMAN, startSlackRig, type SlackRig } from '../helpers/slack.ts'
import { waitFor } from '../helpers/wait-for.ts'

const SID = '5e55a0b1-aaaa-4bbb-8ccc-000000000001'
const OTHER = '7a7a0b1c-aaaa-4bbb-8ccc-000000000002'
const CWD = '/home/me/projects/shop'
const ev = (key: string, extra = {}) => payload(key, { session_id: SID, cwd: CWD, ...extra })

let rig: SlackRig | null = null
afterEach(async () => {
  await rig?.close()
  rig = null
})

describe('slack pings', () => {
  it('a blocked agent → one DM with the right blocks, and no duplicate on the next policy tick', async () => {
    // A grace period, so both agents are past it together and the permission ranks first.
    rig = await startSlackRig({ config: { notify: { graceSec: 30 } } })
    const { fake, env, server } = rig
    await runHook(payload('UserPromptSubmit', { session_id: OTHER, cwd: '/home/me/projects/api' }), env)
    await runHook(
      payload('Stop', { session_id: OTHER, cwd: '/home/me/projects/api', last_assistant_message: 'Tests pass.' }),
      env,
    )
    await runHook(ev('UserPromptSubmit'), env)
    const tool = { tool_name: 'Bash', tool_input: { command: 'npm publish --tag next' } }
    // A budget far beyond the test: only the terminal answer below can end this hold.
    const hook = runHook(ev('PermissionRequest', tool), env, ['hold', '86400'])
    await waitFor(() => server.services.holds.list()[0], 20_000, 'the held PermissionRequest')
    await server.notifier.tick()
    assert.equal(rig.pings().length, 0, 'nothing within the grace period')
    rig.skew(60_000)

    const ping = await rig.pinged()
    await server.notifier.tick()
    await server.notifier.tick()
    assert.equal(fake.callsTo('chat.postMessage').length, 1, 'one post, however many ticks')
    assert.equal(fake.callsTo('conversations.open').length, 1)
    assert.deepEqual(fake.callsTo('conversations.open')[0]!.args, { users: HUMAN })
    assert.match(ping.channel, /^D/, 'posted in the DM, by its D… id')

    assert.deepEqual(blockTypes(ping), ['header', 'section', 'context', 'actions', 'context'])
    const [header, what, where, approve, deny] = blockTexts(ping)
    assert.equal(header, ':lock: shop·5e55a0b1 needs your permission')
    assert.equal(what, '*Wants to use* `Bash`\n```npm publish --tag next```')
    assert.match(
      where!,
      /^\*shop\* · `\/home\/me\/projects\/shop` · waiting 1m0\ds · \+1 more waiting, longest 1m0\ds$/,
    )
    assert.deepEqual([approve, deny], ['Approve', 'Deny'])
    const wait = getAgentDetail(server.services.store.db, SID)!.waits.at(-1)!
    const buttons = (ping.blocks![3] as { elements: Array<{ value: string }> }).elements
    assert.deepEqual(
      buttons.map((b) => b.value),
      [wait.id, wait.id],
    )
    assert.match(ping.text, /^shop·5e55a0b1 needs your permission: Bash: npm publish --tag next$/)

    // The ping log keeps where the message lives, for the update and for answers.
    const sent = pingsForWait(server.services.store.db, wait.id).filter((p) => p.channel === 'slack')
    assert.equal(sent.length, 1)
    assert.deepEqual(
      [(sent[0]!.ref as { channel: string }).channel, (sent[0]!.ref as { ts: string }).ts],
      [ping.channel, ping.ts],
    )

    // The person answers the dialog in the terminal: that very tool runs, and its result ends the
    // wait and the hold (released before the receiver answers the PostToolUse).
    await runHook(ev('PostToolUse', { ...tool, tool_response: { stdout: '+ shop@1.4.0' } }), env)
    assert.deepEqual(server.services.holds.list(), [], 'the terminal answer ended the hold')
    assert.equal(getAgentDetail(server.services.store.db, SID)!.waits.at(-1)!.endedBy, 'terminal')
    assert.equal((await hook).stdout.trim(), '{}', 'no decision: the dialog was answered in the terminal')
    const updated = await waitFor(
      () => fake.message(ping.channel, ping.ts)?.edited && fake.message(ping.channel, ping.ts),
      5000,
      'chat.update',
    )
    assert.match(blockTexts(updated).at(-1)!, /answered at the terminal/)
  })

  it('the agent resumes at the terminal → the message is updated in place, buttons gone', async () => {
    rig = await startSlackRig()
    const { fake, env } = rig
    await runHook(ev('UserPromptSubmit'), env)
    await runHook(ev('Stop', { last_assistant_message: 'Migration written. Shall I run it?' }), env)
    const ping = await rig.pinged()
    assert.deepEqual(blockTypes(ping), ['header', 'section', 'context', 'context'])
    assert.match(blockTexts(ping)[3]!, /Reply in this thread to instruct the agent/)

    await runHook(ev('UserPromptSubmit', { prompt: 'yes, run it', prompt_id: 'p2' }), env)
    const updated = await waitFor(
      () => fake.message(ping.channel, ping.ts)?.edited && fake.message(ping.channel, ping.ts),
      5000,
      'chat.update',
    )
    assert.equal(fake.callsTo('chat.update').length, 1)
    assert.deepEqual(blockTypes(updated), ['header', 'section', 'context', 'context'])
    assert.match(blockTexts(updated).at(-1)!, /^:ballot_box_with_check: answered at the terminal after \d+s$/)
    assert.match(updated.text, /answered at the terminal after/)
    assert.match(blockTexts(updated)[1]!, /Shall I run it\?/, 'the card still says what it was about')
    assert.equal(fake.callsTo('chat.postMessage').length, 1, 'updated, not posted again')
  })

  it('the update is retried when Slack fails it once (bounded, capped backoff)', async () => {
    rig = await startSlackRig()
    const { fake, env } = rig
    await runHook(ev('UserPromptSubmit'), env)
    await runHook(ev('Stop', { last_assistant_message: 'Done.' }), env)
    const ping = await rig.pinged()
    fake.failNext('chat.update', { kind: 'http', status: 500 })
    await runHook(ev('UserPromptSubmit', { prompt: 'next task', prompt_id: 'p2' }), env)
    await waitFor(() => fake.message(ping.channel, ping.ts)?.edited, 20_000, 'the retried chat.update')
    assert.deepEqual(
      fake.callsTo('chat.update').map((c) => c.status),
      [500, 200],
    )
  })

  it('with slack.channel set, pings go to that channel and no DM is opened', async () => {
    rig = await startSlackRig({ config: { slack: { channel: 'C0AGENTS', allowedUsers: [HUMAN] } } })
    await runHook(ev('UserPromptSubmit'), rig.env)
    await runHook(ev('Stop', { last_assistant_message: 'Done.' }), rig.env)
    const ping = await rig.pinged()
    assert.equal(ping.channel, 'C0AGENTS')
    assert.equal(rig.fake.callsTo('conversations.open').length, 0)
  })
})
