// The agent view's timeline: events, waits, answers and pings of one span merged, latest first.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { timelineEntries } from '../../src/dashboard/agent-view.ts'

type Args = Parameters<typeof timelineEntries>
const event = (seq: number, at: number, name: string, extra: Partial<Args[0][number]> = {}): Args[0][number] => ({
  seq,
  sessionId: 's',
  name,
  occurredAt: at,
  receivedAt: at,
  subagentId: null,
  toolName: null,
  toolUseId: null,
  contentHash: `h${seq}`,
  late: false,
  replayed: false,
  payload: {},
  origin: null,
  ...extra,
})

describe('timelineEntries', () => {
  const events = [
    event(1, 1000, 'UserPromptSubmit', { payload: { prompt: 'ship it' }, origin: 'person' }),
    event(2, 2000, 'PreToolUse', { toolName: 'Bash', payload: { tool_input: { command: 'npm test' } } }),
    event(3, 2000, 'PostToolUse', { toolName: 'Bash', subagentId: 'a1', payload: { tool_input: { command: 'ls' } } }),
    event(4, 3000, 'Stop', { payload: { last_assistant_message: 'Done. Deploy?' } }),
  ]
  const wait = {
    id: 'w1',
    sessionId: 's',
    kind: 'question',
    startedAt: 3000,
    endedAt: 9000,
    endedBy: 'reply',
    endedVia: 'dashboard',
    answeredBy: 'ann',
    actor: 'main',
    detail: {},
    workMs: 2000,
  } as unknown as Args[1][number]
  const reply = {
    at: 9000,
    action: 'reply',
    via: 'dashboard',
    outcome: 'delivered',
    path: 'hook',
    text: 'yes',
  } as Args[2][number]
  const ping = {
    at: 5000,
    channel: 'desktop',
    outcome: 'sent',
    reason: null,
    detail: null,
    title: 'web asks',
  } as Args[3][number]

  it('merges them latest first; events of one millisecond keep their order; subagent events marked', () => {
    const entries = timelineEntries(events, [wait], [reply], [ping], { from: 0, to: 10_000 })
    assert.deepEqual(
      entries.map((e) => [e.at, e.type, e.title]),
      [
        [9000, 'wait', 'wait ended after 6s'],
        [9000, 'answer', 'reply via dashboard: delivered (hook)'],
        [5000, 'ping', 'ping desktop: sent'],
        [3000, 'event', 'Stop'],
        [3000, 'wait', 'wait opened: question'],
        [2000, 'event', 'PostToolUse Bash'],
        [2000, 'event', 'PreToolUse Bash'],
        [1000, 'event', 'UserPromptSubmit'],
      ],
    )
    assert.equal(entries.find((e) => e.title === 'wait ended after 6s')!.text, 'answered by ann via dashboard')
    assert.equal(entries.find((e) => e.title === 'PostToolUse Bash')!.subagent, 'a1')
    assert.equal(entries.find((e) => e.title === 'Stop')!.text, 'Done. Deploy?')
    assert.equal(entries.find((e) => e.type === 'ping')!.text, 'web asks')
  })

  it('shows a wait opening or ending only within the page’s span', () => {
    const entries = timelineEntries(events.slice(0, 2), [wait], [], [], { from: 0, to: 2500 })
    assert.ok(!entries.some((e) => e.type === 'wait'))
  })
})
