// Unit tests for routing Slack deliveries to waits: who may answer, what is ignored, dedupe, and what the thread is told.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { cardFromPing } from '../../src/slack/blocks.ts'
import { createInbound, routeEnvelope, type RouteContext } from '../../src/slack/inbound.ts'
import type { SlackRef, ThreadMatch } from '../../src/slack/refs.ts'
import type { InboundEnvelope } from '../../src/slack/socket.ts'
import {
  blockActions,
  botMessageEvent,
  eventCallback,
  messageChangedEvent,
  personMessageEvent,
  type FakeIdentity,
  type StoredMessage,
} from '../fakes/slack-payloads.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { payload } from '../helpers/payloads.ts'

const ID: FakeIdentity = { teamId: 'T0TEAM', teamDomain: 'team', appId: 'A0APP', botUserId: 'U0BOT', botId: 'B0BOT' }
const HUMAN = 'U0HUMAN01'
const STRANGER = 'U0STRANGER'
const DM = 'D000000001'
const PARENT = '1800000000.000100'
const WAIT = 'w_0123456789ab'

const ref = (kind: 'permission' | 'question' = 'question'): SlackRef => ({
  channel: DM,
  ts: PARENT,
  card: cardFromPing({
    ...{
      waitId: WAIT,
      sessionId: 's',
      channel: 'slack',
      step: 0,
      title: '',
      body: '',
      others: { count: 0, longestMs: 0 },
    },
    ...{ kind, label: 'shop·5e55a0b1', project: 'shop', cwd: '/w/shop', waitedMs: 0, what: '', detail: {} },
    replyPath: 'hook',
  }),
})

function ctx(kind: 'permission' | 'question' = 'question', allowed = [HUMAN]): RouteContext {
  return {
    allowed: new Set(allowed),
    identity: { botUserId: ID.botUserId, teamId: ID.teamId },
    findThread: (channel, ts): ThreadMatch | null =>
      channel === DM && ts === PARENT ? { waitId: WAIT, ref: ref(kind) } : null,
  }
}

let n = 0
const events = (event: Record<string, unknown>, eventId?: string): InboundEnvelope => ({
  type: 'events_api',
  envelopeId: `env-${++n}`,
  body: eventCallback(ID, event, eventId),
})
const reply = (user: string, text: string, thread_ts: string | null = PARENT) =>
  events(
    personMessageEvent(ID, {
      user,
      channel: DM,
      text,
      ts: `1800000001.00000${++n}`,
      ...(thread_ts ? { thread_ts } : {}),
    }),
  )

const bot: StoredMessage = {
  channel: DM,
  type: 'message',
  ts: PARENT,
  text: 'ping',
  user: ID.botUserId,
  team: ID.teamId,
  bot_id: ID.botId,
}
function click(user: string, action_id: string, value = WAIT): InboundEnvelope {
  const button = { action_id, block_id: 'tend_decision', value }
  const body = blockActions(
    ID,
    { user, username: 'ada', channel: DM, message_ts: PARENT, button, message: bot },
    'http://x/',
  )
  return { type: 'interactive', envelopeId: `env-${++n}`, body }
}

describe('routing a delivery', () => {
  it('a thread reply from the allowed person answers that wait with plain text', () => {
    const route = routeEnvelope(reply(HUMAN, 'yes &amp; deploy to <https://staging.example.com|staging>'), ctx())
    assert.deepEqual(route, {
      do: 'answer',
      waitId: WAIT,
      label: 'shop·5e55a0b1',
      answer: { action: 'reply', text: 'yes & deploy to staging (https://staging.example.com)' },
      by: HUMAN,
      channel: DM,
      threadTs: PARENT,
    })
  })

  it('a stranger is told in the thread; nothing is answered', () => {
    const route = routeEnvelope(reply(STRANGER, 'rm -rf /'), ctx())
    assert.equal(route.do, 'tell')
    assert.match(
      (route as { text: string }).text,
      /^<@U0STRANGER>, only <@U0HUMAN01> may answer this agent\. Nothing was sent to it\.$/,
    )
  })

  it("the bot's own messages, edits and other subtypes are ignored", () => {
    assert.equal(
      routeEnvelope(events(botMessageEvent({ ...bot, thread_ts: PARENT, ts: '1800000002.000001' })), ctx()).do,
      'ignore',
    )
    assert.equal(routeEnvelope(events(messageChangedEvent(bot, bot, '1800000003.000001')), ctx()).do, 'ignore')
    const own = personMessageEvent(ID, {
      user: ID.botUserId,
      channel: DM,
      text: 'x',
      ts: '1800000004.000001',
      thread_ts: PARENT,
    })
    assert.deepEqual(routeEnvelope(events(own), ctx()), { do: 'ignore', why: 'our own message' })
    const deleted = {
      ...personMessageEvent(ID, { user: HUMAN, channel: DM, text: 'x', ts: '1800000005.000001', thread_ts: PARENT }),
      subtype: 'message_deleted',
    }
    assert.equal(routeEnvelope(events(deleted), ctx()).do, 'ignore')
  })

  it('threads that are not tend pings, and other teams, are ignored; a top-level DM gets a hint', () => {
    assert.equal(routeEnvelope(reply(HUMAN, 'hi', '1700000000.000001'), ctx()).do, 'ignore')
    const other = reply(HUMAN, 'hi')
    other.body['team_id'] = 'T0OTHER'
    assert.deepEqual(routeEnvelope(other, ctx()), { do: 'ignore', why: 'another team' })
    const top = routeEnvelope(reply(HUMAN, 'hello', null), ctx())
    assert.equal(top.do, 'tell')
    assert.match((top as { text: string }).text, /reply in the thread of its message/)
    assert.equal(routeEnvelope(reply(STRANGER, 'hello', null), ctx()).do, 'ignore')
  })

  it('Approve / Deny from the allowed person become the decision; a forged value or a stranger does not', () => {
    assert.deepEqual((routeEnvelope(click(HUMAN, 'tend_approve'), ctx('permission')) as { answer: unknown }).answer, {
      action: 'approve',
    })
    assert.deepEqual((routeEnvelope(click(HUMAN, 'tend_deny'), ctx('permission')) as { answer: unknown }).answer, {
      action: 'deny',
      message: 'Denied in Slack by ada.',
    })
    assert.equal(routeEnvelope(click(HUMAN, 'tend_approve', 'w_other'), ctx('permission')).do, 'ignore')
    assert.equal(routeEnvelope(click(STRANGER, 'tend_approve'), ctx('permission')).do, 'tell')
    assert.equal(routeEnvelope(click(HUMAN, 'some_other_button'), ctx('permission')).do, 'ignore')
  })

  it('with nobody allowed, nobody answers', () => {
    const route = routeEnvelope(reply(HUMAN, 'yes'), ctx('question', []))
    assert.equal(route.do, 'tell')
    assert.match((route as { text: string }).text, /only nobody \(set slack\.user or slack\.allowedUsers\)/)
  })
})

describe('handling deliveries', () => {
  let t: TestApp
  afterEach(() => t?.close())

  function setup() {
    t = makeApp({ configFile: { holds: { autoAwayAfterSec: 0 } } })
    const said: Array<{ channel: string; threadTs: string; text: string }> = []
    const inbound = createInbound({
      services: t.services,
      log: t.services.log,
      ...ctx(),
      identity: () => ctx().identity,
      findThread: (channel, ts) => (channel === DM && ts === PARENT ? { waitId: waitId(), ref: ref() } : null),
      post: async (channel, threadTs, text) => void said.push({ channel, threadTs, text }),
    })
    const sid = '5e55a0b1-aaaa-4bbb-8ccc-000000000001'
    const at = () => ({ occurredAt: t.clock.now, receivedAt: t.clock.now })
    t.services.receive(payload('UserPromptSubmit', { session_id: sid, cwd: '/w/shop' }), at())
    t.services.setAway(true)
    const stop = payload('Stop', { session_id: sid, cwd: '/w/shop', last_assistant_message: 'Shall I deploy?' })
    const result = t.services.receive(stop, at())
    const waitId = () => result.openedWaitId!
    const held = () => {
      const answer = t.services.answerHook(stop, result, 3600)
      assert.ok(answer.held, 'the Stop is held (away)')
      return answer.output
    }
    return { inbound, said, held }
  }

  it('delivers a reply to the held Stop once: the redelivery (same event_id) and a replayed envelope are dropped', async () => {
    const { inbound, said, held } = setup()
    const hook = held()
    const first = reply(HUMAN, 'yes, deploy')
    await inbound.handle(first)
    assert.deepEqual(await hook, { decision: 'block', reason: 'yes, deploy' })
    await inbound.handle({ ...first, envelopeId: 'env-redelivered', retryNum: 1 })
    await inbound.handle(first)
    assert.deepEqual(
      said.map((s) => s.text),
      [':white_check_mark: Sent to shop·5e55a0b1: it goes on with your reply.'],
    )
    assert.deepEqual([said[0]!.channel, said[0]!.threadTs], [DM, PARENT])
  })

  it('a second, different reply to the answered wait is told how it ended, not delivered', async () => {
    const { inbound, said, held } = setup()
    const hook = held()
    await inbound.handle(reply(HUMAN, 'first'))
    await hook
    await inbound.handle(reply(HUMAN, 'second'))
    assert.match(
      said[1]!.text,
      /^:warning: That wait has ended: already answered by U0HUMAN01 via slack, \d+s ago; nothing was sent to the agent$/,
    )
  })

  it('a reply when nothing holds the Stop says so; a stranger is told and nothing changes', async () => {
    const { inbound, said } = setup()
    await inbound.handle(reply(STRANGER, 'do it'))
    await inbound.handle(reply(HUMAN, 'do it'))
    assert.match(said[0]!.text, /only <@U0HUMAN01> may answer/)
    assert.match(said[1]!.text, /^:warning: Nothing sent: its Stop hook had already returned/)
  })
})
