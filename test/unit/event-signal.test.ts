// What a Notification means for its agent, by type (and by message when a build sent no type).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { reduce, type AgentSnapshot } from '../../src/core/agent-state.ts'
import { classify } from '../../src/core/event-signal.ts'
import type { HookEvent } from '../../src/core/hook-event.ts'
import { payload } from '../helpers/payloads.ts'

const T0 = 1_800_000_000_000

/** Recorded from Claude Code 2.1.332: `claude agents` open while a background session asked a question. */
const AGENT_NEEDS_INPUT: HookEvent = {
  session_id: 'b4073e02-84a8-4135-a937-97115514a18f',
  transcript_path: '/home/me/.claude/projects/-home-me-work/b4073e02-84a8-4135-a937-97115514a18f.jsonl',
  cwd: '/home/me/work',
  hook_event_name: 'Notification',
  message: 'mock session needs your input: answer: Which colour? (Red · Blue)',
  notification_type: 'agent_needs_input',
}

const notification = (fields: Partial<HookEvent>): HookEvent => ({ ...AGENT_NEEDS_INPUT, ...fields })

/** The agent after `events`, one every 100 ms from T0. */
function after(events: HookEvent[], start: AgentSnapshot | null = null) {
  let agent = start
  const opened: string[] = []
  const closed: string[] = []
  events.forEach((event, i) => {
    const t = reduce(agent, event, T0 + i * 100)
    if (t.openWait) opened.push(t.openWait.kind)
    if (t.closeWait) closed.push(t.closeWait.reason)
    agent = t.agent
  })
  return { agent: agent!, opened, closed }
}

describe('classify: Notification', () => {
  it('permission_prompt and idle_prompt are late fallbacks; an elicitation dialog is a question', () => {
    assert.deepEqual(classify(payload('Notification:permission_prompt')), {
      type: 'block',
      kind: 'permission',
      actor: 'main',
      fallback: true,
      detail: { message: 'Claude needs your permission', fallback: true },
    })
    const idle = classify(payload('Notification:idle_prompt'))
    assert.equal(idle.type === 'block' && `${idle.kind} ${idle.fallback}`, 'done true')
    const elicitation = classify(notification({ notification_type: 'elicitation_dialog', message: 'Server asks' }))
    assert.equal(elicitation.type === 'block' && `${elicitation.kind} ${elicitation.fallback}`, 'question false')
  })

  it('agent_needs_input and agent_completed speak of another session: no signal for the one they arrive on', () => {
    assert.deepEqual(classify(AGENT_NEEDS_INPUT), { type: 'none' })
    assert.deepEqual(classify(notification({ notification_type: 'agent_completed', message: 'web finished' })), {
      type: 'none',
    })
    assert.deepEqual(classify(notification({ notification_type: 'agent_completed', message: 'web failed' })), {
      type: 'none',
    })
  })

  it('without a type, the message tells a permission or an idle prompt, and nothing else', () => {
    const untyped = (message: string) => classify(notification({ notification_type: undefined, message }))
    const permission = untyped('Claude needs your permission to use Bash')
    assert.equal(permission.type === 'block' && permission.kind, 'permission')
    const idle = untyped('Claude is waiting for your input')
    assert.equal(idle.type === 'block' && idle.kind, 'done')
    // Agent View's wording, were a build to drop the type: still not a block of the viewer.
    assert.deepEqual(untyped('mock session needs your input: answer: Which colour?'), { type: 'none' })
    assert.deepEqual(untyped('web finished'), { type: 'none' })
  })
})

describe('Agent View notifications through the state machine', () => {
  const sessionId = AGENT_NEEDS_INPUT.session_id
  const start = payload('SessionStart:startup', { session_id: sessionId })
  const prompt = payload('UserPromptSubmit', { session_id: sessionId })
  const stop = payload('Stop', { session_id: sessionId, last_assistant_message: 'Done.' })
  const completed = notification({ notification_type: 'agent_completed', message: 'web finished' })

  it('an unknown session (the `claude agents` viewer) stays idle: nothing waits', () => {
    const { agent, opened } = after([AGENT_NEEDS_INPUT, completed])
    assert.equal(agent.state, 'idle')
    assert.deepEqual(opened, [])
    assert.equal(agent.openWait, null)
  })

  it('a working session with the agent panel open keeps working', () => {
    const { agent, opened } = after([start, prompt, AGENT_NEEDS_INPUT])
    assert.equal(agent.state, 'working')
    assert.deepEqual(opened, [])
  })

  it("a blocked session's wait is neither ended nor doubled by another session's news", () => {
    const { agent, opened, closed } = after([start, prompt, stop, AGENT_NEEDS_INPUT, completed])
    assert.equal(agent.state, 'blocked:done')
    assert.deepEqual(opened, ['done'])
    assert.deepEqual(closed, [])
  })
})

describe('classify: PermissionRequest', () => {
  it('a tool asking permission is a permission wait for that tool', () => {
    const s = classify(payload('PermissionRequest'))
    assert.equal(s.type, 'block')
    assert.equal(s.type === 'block' && s.kind, 'permission')
  })

  it('AskUserQuestion asking permission (background sessions) is the question itself, never a tool to allow', () => {
    const questions = [{ question: 'Which colour?', options: [{ label: 'Red' }, { label: 'Blue' }] }]
    const s = classify(payload('PermissionRequest', { tool_name: 'AskUserQuestion', tool_input: { questions } }))
    assert.deepEqual(s.type === 'block' && [s.kind, s.detail.toolName], ['question', 'AskUserQuestion'])
  })
})
