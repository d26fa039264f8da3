// The Slack Block Kit builders: what each kind of wait shows, within Slack's limits, and the card when the wait ends.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { OutgoingPing } from '../../src/core/channel.ts'
import {
  ACTION,
  cardFromPing,
  endedMessage,
  LIMITS,
  pingMessage,
  whatText,
  type Block,
} from '../../src/slack/blocks.ts'
import type { StoredMessage } from '../fakes/slack-fake.ts'
import { blockTexts } from '../helpers/slack.ts'

function ping(p: Partial<OutgoingPing> = {}): OutgoingPing {
  return {
    waitId: 'w_0123456789ab',
    sessionId: '5e55a0b1-aaaa-4bbb-8ccc-000000000001',
    channel: 'slack',
    step: 0,
    title: 'shop·5e55a0b1 needs your permission (3m12s)',
    body: 'Bash: npm publish',
    others: { count: 2, longestMs: 6 * 60_000 },
    kind: 'permission',
    label: 'shop·5e55a0b1',
    project: 'shop',
    cwd: '/home/me/projects/shop',
    waitedMs: 3 * 60_000 + 12_000,
    what: 'Bash: npm publish',
    detail: { toolName: 'Bash', toolInput: { command: 'npm test && npm publish <dist>' } },
    replyPath: 'mod',
    ...p,
  } as OutgoingPing
}

const texts = (blocks: Block[]): string[] => blockTexts({ blocks } as StoredMessage)

describe('slack blocks', () => {
  it('a permission: agent and project, the tool and command, how long, how many others, Approve / Deny', () => {
    const card = cardFromPing(ping())
    const { text, blocks } = pingMessage(card)
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'context', 'actions', 'context'],
    )
    const [header, what, where, approve, deny, hint] = texts(blocks)
    assert.deepEqual([approve, deny], ['Approve', 'Deny'])
    assert.equal(header, ':lock: shop·5e55a0b1 needs your permission')
    assert.equal(what, '*Wants to use* `Bash`\n```npm test &amp;&amp; npm publish &lt;dist&gt;```')
    assert.equal(where, '*shop* · `/home/me/projects/shop` · waiting 3m12s · +2 more waiting, longest 6m00s')
    assert.match(hint!, /Approve or Deny/)
    const actions = blocks[3]!['elements'] as Array<{ action_id: string; value: string; style: string }>
    assert.deepEqual(
      actions.map((a) => [a.action_id, a.value, a.style]),
      [
        [ACTION.approve, 'w_0123456789ab', 'primary'],
        [ACTION.deny, 'w_0123456789ab', 'danger'],
      ],
    )
    assert.equal(text, 'shop·5e55a0b1 needs your permission: Bash: npm test && npm publish <dist>')
  })

  it('a question: quoted, no buttons, an invitation to reply in the thread', () => {
    const card = cardFromPing(
      ping({
        kind: 'question',
        others: { count: 0, longestMs: 0 },
        detail: { message: 'Tests pass.\nShall I deploy to <prod>?' },
      }),
    )
    const { blocks } = pingMessage(card)
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'context', 'context'],
    )
    const all = texts(blocks)
    assert.equal(all[1], '*Asks:*\n> Tests pass.\n> Shall I deploy to &lt;prod&gt;?')
    assert.match(all[2]!, /no other agent waits$/)
    assert.match(all[3]!, /Reply in this thread to instruct the agent: it arrives as your own message/)
  })

  it('says how a thread reply will reach the agent: as your own message, or as hook feedback without the mod', () => {
    const hint = (replyPath: 'mod' | 'hook') =>
      texts(pingMessage(cardFromPing(ping({ kind: 'done', detail: {}, replyPath }))).blocks).at(-1)!
    assert.match(hint('mod'), /arrives as your own message/)
    assert.match(hint('hook'), /arrives as hook feedback: this Claude Code runs no tend mod/)
  })

  it('AskUserQuestion: the questions come from the tool input', () => {
    const questions = [{ question: 'Which DB?' }, { question: 'Which port?' }]
    const card = cardFromPing(
      ping({ kind: 'question', detail: { toolName: 'AskUserQuestion', toolInput: { questions } } }),
    )
    assert.equal(card.message, 'Which DB?\nWhich port?')
  })

  it('done and error waits say what the agent said last', () => {
    assert.equal(
      whatText(cardFromPing(ping({ kind: 'done', detail: { message: 'All green.' } }))),
      '*Done:*\n> All green.',
    )
    assert.equal(
      whatText(cardFromPing(ping({ kind: 'done', detail: {} }))),
      '*Done*, waiting for the next instruction.',
    )
    const error = cardFromPing(ping({ kind: 'error', detail: { error: 'rate_limit', message: 'API Error: 429' } }))
    assert.equal(whatText(error), '*Stopped on an error*: `rate_limit`\n> API Error: 429')
  })

  it('respects Slack limits on huge input: header ≤150, section ≤3000, button value ≤2000', () => {
    const huge = ping({
      label: 'L'.repeat(400),
      waitId: 'w'.repeat(5000),
      cwd: '/x'.repeat(2000),
      detail: { toolName: 'Bash', toolInput: { command: '<&>'.repeat(5000) } },
    })
    const { blocks, text } = pingMessage(cardFromPing(huge))
    const header = (blocks[0]!['text'] as { text: string }).text
    assert.ok(Array.from(header).length <= LIMITS.header)
    for (const t of texts(blocks)) assert.ok(t.length <= LIMITS.section, `a text of ${t.length} chars`)
    for (const b of blocks[3]!['elements'] as Array<{ value: string }>) assert.ok(b.value.length <= LIMITS.buttonValue)
    assert.ok(text.length <= LIMITS.fallback)
    assert.doesNotMatch(texts(blocks)[1]!, /&(?!amp;|lt;|gt;)/, 'no raw & and no split entity')
  })

  it('when the wait ends: same card, the buttons replaced by how it ended', () => {
    const card = cardFromPing(ping())
    const { blocks, text } = endedMessage(card, 'approved by <@U0HUMAN01> via slack after 40s')
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'context', 'context'],
    )
    assert.equal(texts(blocks).at(-1), ':white_check_mark: approved by <@U0HUMAN01> via slack after 40s')
    assert.equal(text, 'shop·5e55a0b1: approved by <@U0HUMAN01> via slack after 40s')
    const terminal = endedMessage(card, 'answered at the terminal after 3m12s')
    assert.equal(texts(terminal.blocks).at(-1), ':ballot_box_with_check: answered at the terminal after 3m12s')
  })
})
