// The state machine on sequences built from real Claude Code payloads.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { reduce, resumeByAnswer, type AgentSnapshot, type Transition } from '../../src/core/agent-state.ts'
import type { HookEvent } from '../../src/core/hook-event.ts'
import { DEFAULT_STALENESS, sweep } from '../../src/core/staleness.ts'
import { payload } from '../helpers/payloads.ts'

const T0 = 1_800_000_000_000

/** Feeds [event, time] pairs through reduce, collecting every transition. */
function run(steps: [HookEvent, number][], start: AgentSnapshot | null = null) {
  let agent = start
  const transitions: Transition[] = []
  for (const [event, at] of steps) {
    const t = reduce(agent, event, at)
    transitions.push(t)
    agent = t.agent
  }
  return {
    agent: agent!,
    transitions,
    opened: transitions.filter((t) => t.openWait),
    closed: transitions.filter((t) => t.closeWait),
  }
}

describe('agent state machine', () => {
  it('goes idle → working → blocked:question along a real tool-using session', () => {
    const { agent, transitions, opened } = run([
      [payload('SessionStart:startup'), T0],
      [payload('UserPromptSubmit'), T0 + 100],
      [payload('PreToolUse'), T0 + 200],
      [payload('PostToolUse'), T0 + 300],
      [payload('Stop'), T0 + 400],
    ])
    assert.deepEqual(
      transitions.map((t) => t.agent.state),
      ['idle', 'working', 'working', 'working', 'blocked:question'],
    )
    assert.equal(agent.state, 'blocked:question') // "Done. Want me to do more?"
    assert.equal(opened.length, 1)
    assert.equal(opened[0]!.openWait!.workMs, 300, 'work since the instruction is measured for T_work')
    assert.equal(transitions[1]!.presence, true, 'a typed prompt is a sign of presence')
  })

  it('measures T_work once: prompts and task notifications while working are not counted twice', () => {
    const { opened } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('UserPromptSubmit:task-notification@2.1.330'), T0 + 60_000],
      [payload('UserPromptSubmit:task-notification@2.1.330', { prompt_id: 'p2' }), T0 + 120_000],
      [payload('Stop', { last_assistant_message: 'Done.' }), T0 + 180_000],
      // Esc fired no hook; the person types the next instruction while it still counts as working.
      [payload('UserPromptSubmit', { prompt: 'next', prompt_id: 'p3' }), T0 + 280_000],
      [payload('UserPromptSubmit', { prompt: 'and then', prompt_id: 'p4' }), T0 + 300_000],
      [payload('Stop', { last_assistant_message: 'Done again.' }), T0 + 400_000],
    ])
    assert.deepEqual(
      opened.map((t) => t.openWait!.workMs),
      [180_000, 100_000],
    )
  })

  it('a wait opened by the late permission_prompt Notification ends with any tool result', () => {
    const { agent, transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Notification:permission_prompt'), T0 + 6000],
      [payload('PreToolUse', { tool_name: 'Read' }), T0 + 9000],
      [payload('PostToolUse', { tool_name: 'Read' }), T0 + 9100],
    ])
    assert.equal(transitions[2]!.agent.state, 'blocked:permission')
    assert.equal(agent.state, 'working')
  })

  it('a PermissionRequest after a fallback wait tells the wait its tool, without a second wait', () => {
    const { agent, opened } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Notification:permission_prompt'), T0 + 6000],
      [payload('PermissionRequest', { tool_input: { command: 'make' } }), T0 + 6500],
      [payload('PostToolUse', { tool_name: 'Read', tool_input: { file_path: '/x' } }), T0 + 7000],
    ])
    assert.equal(opened.length, 1)
    assert.equal(agent.openWait?.tool?.name, 'Bash')
    assert.equal(agent.state, 'blocked:permission', "another tool's result does not answer it")
  })

  it('an older tool result arriving late does not clear the tool now in flight', () => {
    const { agent } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PreToolUse', { tool_input: { command: 'npm run build', timeout: 1_200_000 } }), T0 + 5000],
      [payload('PostToolUse', { tool_name: 'Read', tool_input: { file_path: '/a' } }), T0 + 4990],
    ])
    assert.equal(agent.toolInFlight?.toolName, 'Bash')
  })

  it('a Stop stamped just before a staleness sweep still opens its wait', () => {
    const working = run([[payload('UserPromptSubmit'), T0]]).agent
    const stale = sweep(working, T0 + DEFAULT_STALENESS.staleAfterMs + 10, DEFAULT_STALENESS)!.agent
    const t = reduce(stale, payload('Stop'), T0 + DEFAULT_STALENESS.staleAfterMs)
    assert.equal(t.late, false)
    assert.equal(t.agent.state, 'blocked:question')
  })

  it('a Stop without a question is blocked:done', () => {
    const { agent } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Stop', { last_assistant_message: 'Refactor finished; all tests pass.' }), T0 + 10],
    ])
    assert.equal(agent.state, 'blocked:done')
  })

  it("never lets a late event overwrite a newer state (duplicates are the store's job)", () => {
    const { agent, transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest'), T0 + 500],
      // The async PreToolUse that preceded the permission dialog arrives after it.
      [payload('PreToolUse'), T0 + 400],
      [payload('PostToolUse'), T0 + 300],
    ])
    assert.equal(agent.state, 'blocked:permission')
    assert.deepEqual(
      transitions.map((t) => t.late),
      [false, false, true, true],
    )
    assert.equal(agent.lastEventAt, T0 + 500)
  })

  it('at an equal time stamp, a block wins over work', () => {
    const { agent } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest'), T0 + 500],
      [payload('PreToolUse'), T0 + 500],
    ])
    assert.equal(agent.state, 'blocked:permission')
  })

  it('answering a permission in the terminal ends its wait as "terminal", by the result of that very tool', () => {
    const input = { command: 'rm -rf build', description: 'Clean' }
    const { agent, closed, transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest', { tool_input: input }), T0 + 2],
      // Its own PreToolUse, stamped late (async hooks race): not an answer.
      [payload('PreToolUse', { tool_input: input }), T0 + 3],
      // A parallel call's result: not an answer either.
      [payload('PostToolUse', { tool_name: 'Read', tool_input: { file_path: '/a' } }), T0 + 4],
      [payload('PostToolUse', { tool_input: { command: 'ls' } }), T0 + 5],
      [payload('PostToolUse', { tool_input: input }), T0 + 5000],
    ])
    assert.deepEqual(
      transitions.slice(1, 5).map((t) => t.agent.state),
      Array(4).fill('blocked:permission'),
    )
    assert.equal(agent.state, 'working')
    assert.deepEqual(closed[0]!.closeWait, { reason: 'terminal', at: T0 + 5000 })
  })

  it('a session that ended stays ended for straggling hooks; a new start or prompt revives it', () => {
    const ended = run([
      [payload('UserPromptSubmit'), T0],
      [payload('SessionEnd:other'), T0 + 10],
      [payload('StopFailure'), T0 + 15],
      [payload('PostToolUse'), T0 + 20],
    ])
    assert.equal(ended.agent.state, 'ended')
    assert.equal(ended.opened.length, 0)
    assert.equal(run([[payload('UserPromptSubmit'), T0 + 30]], ended.agent).agent.state, 'working')
  })

  it('a permission answered "No" in the terminal (its held hook killed) resumes the agent', () => {
    const blocked = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest'), T0 + 2],
    ]).agent
    const t = resumeByAnswer(blocked, T0 + 900, 'terminal')
    assert.equal(t.agent.state, 'working')
    assert.deepEqual(t.closeWait, { reason: 'terminal', at: T0 + 900 })
  })

  it('a late permission_prompt Notification never opens a second wait', () => {
    const { agent, opened } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest'), T0 + 200],
      [payload('Notification:permission_prompt'), T0 + 6200],
    ])
    assert.equal(agent.state, 'blocked:permission')
    assert.equal(opened.length, 1)
  })

  it('an idle_prompt after Stop does not open a second wait', () => {
    const { agent, opened } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Stop'), T0 + 100],
      [payload('Notification:idle_prompt'), T0 + 60_100],
    ])
    assert.equal(agent.state, 'blocked:question')
    assert.equal(opened.length, 1)
  })

  it('falls back to Notifications when the precise hook was missed', () => {
    const perm = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Notification:permission_prompt'), T0 + 6000],
    ])
    assert.equal(perm.agent.state, 'blocked:permission')
    const idle = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Notification:idle_prompt'), T0 + 60_000],
    ])
    assert.equal(idle.agent.state, 'blocked:done')
    // Notifications without notification_type (some late-2025 builds): the message tells.
    const untyped = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Notification:permission_prompt', { notification_type: undefined }), T0 + 6000],
    ])
    assert.equal(untyped.agent.state, 'blocked:permission')
  })

  it('an idle_prompt does not wake a fresh session that was never instructed', () => {
    const { agent, opened } = run([
      [payload('SessionStart:startup'), T0],
      [payload('Notification:idle_prompt'), T0 + 60_000],
    ])
    assert.equal(agent.state, 'idle')
    assert.equal(opened.length, 0)
  })

  it('StopFailure is blocked:error, and the next prompt ends that wait', () => {
    const { agent, transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('StopFailure'), T0 + 100],
      [payload('UserPromptSubmit'), T0 + 9000],
    ])
    assert.equal(transitions[1]!.agent.state, 'blocked:error')
    assert.equal(transitions[1]!.openWait!.detail.error, payload('StopFailure').error)
    assert.equal(agent.state, 'working')
    assert.equal(transitions[2]!.closeWait!.reason, 'terminal')
  })

  it('attributes subagent events to the parent without flipping a blocked parent', () => {
    const { agent, transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PreToolUse', { tool_name: 'Agent', tool_use_id: 'toolu_agent' }), T0 + 10],
      [payload('SubagentStart:agent'), T0 + 20],
      [payload('PreToolUse:agent'), T0 + 30],
      [payload('PostToolUse:agent'), T0 + 40],
      [payload('SubagentStop:agent'), T0 + 50],
      [payload('PostToolUse', { tool_name: 'Agent', tool_use_id: 'toolu_agent' }), T0 + 60],
      [payload('Stop'), T0 + 70],
    ])
    assert.ok(transitions.slice(0, 7).every((t) => t.agent.state === 'working'))
    assert.equal(agent.state, 'blocked:question')
    // A main-agent question is not answered by a background subagent's tool call.
    const later = run([[payload('PostToolUse:agent'), T0 + 80]], agent)
    assert.equal(later.agent.state, 'blocked:question')
    assert.equal(later.closed.length, 0)
  })

  it("a subagent's permission request blocks the session; its own next tool call ends it", () => {
    const sub = { agent_id: 'af63b14b2cd768b9c', agent_type: 'general-purpose' }
    const { agent, transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest', { ...sub, tool_input: payload('PostToolUse:agent').tool_input }), T0 + 10],
      [payload('PreToolUse'), T0 + 20], // the main agent's activity does not answer it
      [payload('PostToolUse:agent'), T0 + 30],
    ])
    assert.equal(transitions[1]!.agent.state, 'blocked:permission')
    assert.equal(transitions[2]!.agent.state, 'blocked:permission')
    assert.equal(agent.state, 'working')
  })

  it('a Stop while background tasks run is not a wait; the task-notification resumes without presence', () => {
    const { agent, transitions, opened } = run([
      [payload('UserPromptSubmit@2.1.330'), T0],
      [payload('PostToolUse:Agent@2.1.330'), T0 + 10],
      [payload('Stop:background@2.1.330'), T0 + 20],
      [payload('PostToolUse:Bash@2.1.330'), T0 + 30],
      [payload('SubagentStop:background@2.1.330'), T0 + 40],
      [payload('UserPromptSubmit:task-notification@2.1.330'), T0 + 50],
      [payload('Stop@2.1.330', { last_assistant_message: 'All done.' }), T0 + 60],
    ])
    assert.equal(transitions[2]!.agent.state, 'working')
    assert.equal(transitions[5]!.presence, false, 'Claude Code wrote that prompt, not the person')
    assert.equal(agent.state, 'blocked:done')
    assert.equal(opened.length, 1)
  })

  it("a reply submitted by tend's mod is the person's instruction from elsewhere: work restarts, no presence", () => {
    const stopped = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Stop'), T0 + 10],
    ])
    const t = reduce(
      stopped.agent,
      payload('UserPromptSubmit', { prompt: 'yes, go', prompt_id: 'p2' }),
      T0 + 20,
      'reply',
    )
    assert.equal(t.agent.state, 'working')
    assert.equal(t.presence, false, 'answered from Slack or the CLI: not at the terminal')
    assert.equal(t.closeWait?.reason, 'reply')
    // The same text typed at the terminal is presence, and ends the wait as answered there.
    const typed = reduce(stopped.agent, payload('UserPromptSubmit', { prompt: 'yes, go', prompt_id: 'p2' }), T0 + 20)
    assert.deepEqual([typed.presence, typed.closeWait?.reason], [true, 'terminal'])
  })

  it('a channel message resumes the agent like a task notification: not the person, no presence', () => {
    const stopped = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Stop'), T0 + 10],
    ])
    const t = reduce(
      stopped.agent,
      payload('UserPromptSubmit', { prompt: '<channel source="ci">red</channel>', prompt_id: 'p2' }),
      T0 + 20,
    )
    assert.equal(t.agent.state, 'working')
    assert.equal(t.presence, false)
    assert.equal(t.closeWait?.reason, 'resumed')
  })

  it('/clear: the old session ends, the new one starts idle', () => {
    const old = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Stop'), T0 + 10],
      [payload('SessionEnd:other', { reason: 'clear' }), T0 + 20],
    ])
    assert.equal(old.agent.state, 'ended')
    assert.equal(old.transitions[2]!.closeWait!.reason, 'session_end')
    const fresh = run([[payload('SessionStart:startup', { session_id: 'new-session', source: 'clear' }), T0 + 30]])
    assert.equal(fresh.agent.state, 'idle')
    assert.equal(fresh.agent.sessionId, 'new-session')
  })

  it('SessionStart(compact) and duplicate starts change nothing; resume revives an ended agent', () => {
    const working = run([[payload('UserPromptSubmit'), T0]]).agent
    assert.equal(run([[payload('SessionStart:compact'), T0 + 5]], working).agent.state, 'working')
    const ended = run([[payload('SessionEnd:other'), T0 + 10]], working).agent
    assert.equal(run([[payload('SessionStart:resume'), T0 + 20]], ended).agent.state, 'idle')
  })

  it('unknown events are recorded without changing anything', () => {
    const working = run([[payload('UserPromptSubmit'), T0]]).agent
    const t = reduce(working, { ...payload('UserPromptSubmit'), hook_event_name: 'FutureEvent' } as HookEvent, T0 + 5)
    assert.equal(t.agent.state, 'working')
    assert.equal(t.late, false)
    assert.equal(t.openWait, null)
    assert.equal(t.agent.lastEventAt, T0 + 5)
  })

  it('a reply delivered through a held Stop resumes the agent and ends the wait as "reply"', () => {
    const blocked = run([
      [payload('UserPromptSubmit'), T0],
      [payload('Stop'), T0 + 10],
    ]).agent
    const t = resumeByAnswer(blocked, T0 + 100)
    assert.equal(t.agent.state, 'working')
    assert.deepEqual(t.closeWait, { reason: 'reply', at: T0 + 100 })
  })

  it('AskUserQuestion blocks as a question until its answer', () => {
    const { transitions } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PreToolUse', { tool_name: 'AskUserQuestion', tool_input: { questions: [] } }), T0 + 10],
      [payload('PostToolUse', { tool_name: 'AskUserQuestion' }), T0 + 5000],
    ])
    assert.deepEqual(
      transitions.map((t) => t.agent.state),
      ['working', 'blocked:question', 'working'],
    )
  })

  it("a tool's result stamped after the Stop of its own turn is no new work; a call begun after the Stop is", () => {
    // Async hooks start late under load: a PostToolUseFailure observer ran after the turn's Stop (seen in CI).
    const read = { tool_name: 'Read', tool_input: { file_path: '/missing' }, tool_use_id: 'toolu_2' }
    const { agent } = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PreToolUse', read), T0 + 10],
      [payload('Stop', { last_assistant_message: 'Both failed; I stopped there.' }), T0 + 30],
    ])
    const straggler = reduce(agent, payload('PostToolUseFailure', { ...read, error: 'File does not exist.' }), T0 + 40)
    assert.equal(straggler.late, true)
    assert.equal(straggler.agent.state, 'blocked:done')
    assert.equal(straggler.closeWait, null)
    // A Stop hook of the person's sent Claude on: its new call is work. That call's result, landing before
    // the call itself, changes nothing yet; the call, when it lands, ends the wait.
    const bash = { tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: 'toolu_3' }
    const resultFirst = reduce(agent, payload('PostToolUse', bash), T0 + 60)
    assert.equal(resultFirst.agent.state, 'blocked:done')
    const call = reduce(resultFirst.agent, payload('PreToolUse', bash), T0 + 50)
    assert.equal(call.agent.state, 'working')
    assert.equal(call.closeWait?.reason, 'terminal')
  })

  it("a wait opened in the middle of a call is answered by that call's result, however its stamps fall", () => {
    const deploy = { tool_name: 'mcp__ops__deploy', tool_input: { env: 'prod' }, tool_use_id: 'toolu_d' }
    // An MCP server asks the person mid-call (elicitation); the call's result is the answer.
    const eliciting = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PreToolUse', deploy), T0 + 10],
      [payload('Notification:idle_prompt', { notification_type: 'elicitation_dialog', message: 'Confirm?' }), T0 + 20],
    ]).agent
    assert.equal(eliciting.state, 'blocked:question')
    const answered = reduce(eliciting, payload('PostToolUse', deploy), T0 + 5000)
    assert.deepEqual([answered.agent.state, answered.closeWait?.reason], ['working', 'terminal'])
    // A background session asks for AskUserQuestion through PermissionRequest; its PreToolUse lands late.
    const ask = { tool_name: 'AskUserQuestion', tool_input: { questions: [] }, tool_use_id: 'toolu_q' }
    const asked = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PermissionRequest', ask), T0 + 20],
      [payload('PreToolUse', ask), T0 + 10],
    ]).agent
    assert.equal(asked.state, 'blocked:question')
    assert.equal(reduce(asked, payload('PostToolUse', ask), T0 + 5000).agent.state, 'working')
    // A permission: the result of the call it asked for.
    const bash = { tool_name: 'Bash', tool_input: { command: 'rm -rf build' }, tool_use_id: 'toolu_b' }
    const permission = run([
      [payload('UserPromptSubmit'), T0],
      [payload('PreToolUse', bash), T0 + 10],
      [payload('PermissionRequest', bash), T0 + 20],
    ]).agent
    assert.equal(reduce(permission, payload('PostToolUse', bash), T0 + 30).agent.state, 'working')
  })

  it("the end of a turn by StopFailure or idle_prompt: a late result of that turn's call changes nothing", () => {
    const bash = { tool_name: 'Bash', tool_input: { command: 'make' }, tool_use_id: 'toolu_m' }
    for (const end of [payload('StopFailure'), payload('Notification:idle_prompt')]) {
      const { agent } = run([
        [payload('UserPromptSubmit'), T0],
        [payload('PreToolUse', bash), T0 + 10],
        [end, T0 + 30],
      ])
      assert.match(agent.state, /^blocked:/)
      const late = reduce(agent, payload('PostToolUse', bash), T0 + 40)
      assert.deepEqual([late.late, late.agent.state, late.closeWait], [true, agent.state, null])
    }
  })

  it("the prompt of a turn that already stopped, reported late, is no answer to that turn's wait", () => {
    // Async hooks start late under load: the UserPromptSubmit of a turn may be stamped after its Stop.
    const ups = payload('UserPromptSubmit')
    const { agent } = run([
      [ups, T0],
      [payload('Stop'), T0 + 10],
    ])
    const late = reduce(agent, ups, T0 + 20)
    assert.equal(late.late, true)
    assert.equal(late.agent.state, 'blocked:question')
    assert.equal(late.closeWait, null)
    assert.equal(late.presence, true, 'it was still typed at the terminal')
    // A new prompt (a new prompt_id) answers it.
    assert.equal(reduce(agent, payload('UserPromptSubmit', { prompt_id: 'p-next' }), T0 + 20).agent.state, 'working')
  })
})
