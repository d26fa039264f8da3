// E2E: real `claude -p` sessions whose own hooks (installed by `tend install`) drive a real receiver.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { lastUserText, turn } from '../fakes/anthropic-mock.ts'
import { runUntilStopFailure, sessionShape, setupE2E, timelineNames, type AgentDetail } from '../helpers/e2e.ts'

const openWaits = (d: AgentDetail) => d.waits.filter((w) => w.endedAt === null)

test('a tool-using session: working, then blocked:done; the timeline holds every tool call in order', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('api')
  writeFileSync(join(cwd, 'notes.txt'), 'remember the milk\n')
  const mock = await e2e.mock([
    turn.tool('Bash', { command: 'echo one' }, { text: 'Running the steps.' }),
    turn.tool('Read', { file_path: join(cwd, 'notes.txt') }),
    turn.tool('Bash', { command: 'echo two' }),
    turn.text('All three steps ran.'),
  ])
  // Gates (the person's own sync hooks beside tend's) pause Claude Code so the test reads tend mid-session.
  const atRead = e2e.gate('PreToolUse', { matcher: 'Read' })
  const atStop = e2e.gate('Stop')
  const run = e2e.claude({ prompt: 'run the steps', cwd, mock })

  await atRead.reached()
  const agent = await e2e.agentIn(cwd)
  const working = await e2e.until(
    agent.sessionId,
    (d) => d.agent.state === 'working' && timelineNames(d).includes('PreToolUse:Read'),
    'working with the Read call recorded',
  )
  assert.deepEqual(openWaits(working), [])
  atRead.open()

  await atStop.reached()
  const blocked = await e2e.until(
    agent.sessionId,
    // Every observer is async: a call's PreToolUse can land after the Stop that ends its turn.
    (d) =>
      d.agent.state === 'blocked:done' &&
      ['PreToolUse', 'PostToolUse'].every((e) => timelineNames(d).filter((n) => n.startsWith(e)).length === 3),
    'blocked:done, every tool call recorded',
  )
  assert.deepEqual(sessionShape(blocked), {
    lifecycle: ['SessionStart', 'UserPromptSubmit', 'Stop'],
    calls: [
      'toolu_mock_1 PostToolUse:Bash PreToolUse:Bash',
      'toolu_mock_2 PostToolUse:Read PreToolUse:Read',
      'toolu_mock_3 PostToolUse:Bash PreToolUse:Bash',
    ],
  })
  assert.deepEqual(blocked.timeline.map((e) => e.name).slice(0, 3), ['SessionStart', 'UserPromptSubmit', 'PreToolUse'])
  assert.deepEqual(
    openWaits(blocked).map((w) => [w.kind, w.actor, w.detail['message']]),
    [['done', 'main', 'All three steps ran.']],
  )
  // What a person sees: `tend status` agrees with the API.
  const status = (await e2e.status()).agents.find((a) => a.sessionId === agent.sessionId)
  assert.equal(status?.state, 'blocked:done')
  assert.equal(status?.rank, 1)
  atStop.open()

  const res = await run
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.trim(), 'All three steps ran.')
  const ended = await e2e.until(agent.sessionId, (d) => d.agent.state === 'ended', 'ended after SessionEnd')
  assert.deepEqual(
    ended.waits.map((w) => [w.kind, w.endedBy]),
    [['done', 'session_end']],
  )
  assert.equal(lastUserText(mock.modelRequests()[3]!), 'two')
})

test('a last message that asks the person something: blocked:question', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('web')
  const mock = await e2e.mock([
    turn.tool('Bash', { command: 'ls' }),
    turn.text('I found two config files.\n\nShould I merge them into one?'),
  ])
  const atStop = e2e.gate('Stop')
  const run = e2e.claude({ prompt: 'tidy the config', cwd, mock })
  await atStop.reached()
  const agent = await e2e.agentIn(cwd)
  const d = await e2e.until(agent.sessionId, (x) => x.agent.state === 'blocked:question', 'blocked:question')
  assert.deepEqual(
    openWaits(d).map((w) => [w.kind, w.detail['message']]),
    [['question', 'I found two config files.\n\nShould I merge them into one?']],
  )
  atStop.open()
  assert.equal((await run).code, 0)
})

test('a failing tool: PostToolUseFailure is recorded and the agent keeps working', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('cli')
  const mock = await e2e.mock([
    turn.tool('Bash', { command: 'echo broken >&2; exit 3' }),
    turn.tool('Read', { file_path: join(cwd, 'missing.txt') }),
    turn.text('Both failed; I stopped there.'),
  ])
  const atRead = e2e.gate('PreToolUse', { matcher: 'Read' })
  const atStop = e2e.gate('Stop')
  const run = e2e.claude({ prompt: 'try it', cwd, mock })

  await atRead.reached()
  const agent = await e2e.agentIn(cwd)
  const d = await e2e.until(
    agent.sessionId,
    // Both come from async observers: the failure's may arrive after the next call's.
    (x) => timelineNames(x).includes('PreToolUse:Read') && x.timeline.some((e) => e.name === 'PostToolUseFailure'),
    'the failure and the next call recorded',
  )
  assert.equal(d.agent.state, 'working')
  assert.deepEqual(d.waits, [], 'a failed tool is no reason to wait for the person')
  const failure = d.timeline.find((e) => e.name === 'PostToolUseFailure')
  assert.equal(failure?.toolName, 'Bash')
  assert.match(String(failure?.payload['error']), /exit code 3/i)
  atRead.open()

  await atStop.reached()
  const done = await e2e.until(
    agent.sessionId,
    (x) => x.agent.state === 'blocked:done' && x.timeline.filter((e) => e.name === 'PostToolUseFailure').length === 2,
    'blocked:done with both failures recorded',
  )
  // The Read of a missing file fails too: two failures, in call order.
  assert.deepEqual(
    done.timeline.filter((e) => e.name.startsWith('PostToolUse')).map((e) => `${e.name}:${e.toolName}`),
    ['PostToolUseFailure:Bash', 'PostToolUseFailure:Read'],
  )
  atStop.open()
  assert.equal((await run).code, 0)
})

test("a subagent session: the parent's state stays right throughout", async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('mono')
  const subQuestion = 'Found one file. Which one should I open next?'
  const mock = await e2e.mock([
    // In the foreground (2.1.332 runs subagents in the background by default: claude-versions.test.ts).
    turn.tool('Agent', {
      description: 'Survey the repo',
      prompt: 'Look around',
      subagent_type: 'general-purpose',
      run_in_background: false,
    }),
    turn.tool('Bash', { command: 'echo from-sub' }), // the subagent's own calls come from the same script
    turn.text(subQuestion), // asks its parent, not the person
    turn.text('The survey is done.'),
  ])
  const atSubTool = e2e.gate('PreToolUse', { matcher: 'Bash' })
  const atSubStop = e2e.gate('SubagentStop')
  const atStop = e2e.gate('Stop')
  const run = e2e.claude({ prompt: 'survey the repo', cwd, mock })

  await atSubTool.reached()
  const agent = await e2e.agentIn(cwd)
  const during = await e2e.until(
    agent.sessionId,
    // SubagentStart is an async observer: it may land after the tool call's hook.
    (d) => ['PreToolUse', 'SubagentStart'].every((n) => d.timeline.some((e) => e.name === n && e.subagentId)),
    "the subagent's start and tool call",
  )
  const subId = during.timeline.find((e) => e.name === 'SubagentStart')?.subagentId
  assert.ok(subId, 'SubagentStart carries the agent_id')
  assert.equal(during.agent.state, 'working')
  assert.deepEqual(during.waits, [])
  atSubTool.open()

  await atSubStop.reached()
  const subDone = await e2e.until(
    agent.sessionId,
    (d) => d.timeline.some((e) => e.name === 'SubagentStop'),
    'SubagentStop',
  )
  assert.equal(subDone.agent.state, 'working', "the subagent's question is not the person's to answer")
  assert.deepEqual(subDone.waits, [])
  const lastMessageWhileSubagentStopped = subDone.agent.lastMessage
  atSubStop.open()

  await atStop.reached()
  const done = await e2e.until(
    agent.sessionId,
    (d) => d.agent.state === 'blocked:done' && timelineNames(d).includes('PostToolUse:Agent'),
    'blocked:done',
  )
  assert.deepEqual(
    openWaits(done).map((w) => [w.kind, w.actor, w.detail['message']]),
    [['done', 'main', 'The survey is done.']],
  )
  assert.deepEqual(timelineNames(done, { subagents: false }), [
    'SessionStart',
    'UserPromptSubmit',
    'PreToolUse:Agent',
    'PostToolUse:Agent',
    'Stop',
  ])
  // Sorted: with the mock answering in ~1 ms, async hooks of neighbouring events may be stamped out of order.
  assert.deepEqual(
    done.timeline
      .filter((e) => e.subagentId)
      .map((e) => `${e.name}${e.toolName ? `:${e.toolName}` : ''}@${e.subagentId === subId}`)
      .sort(),
    ['PostToolUse:Bash@true', 'PreToolUse:Bash@true', 'SubagentStart@true', 'SubagentStop@true'],
  )
  assert.equal((await e2e.agents()).length, 1, 'a subagent is part of its session, not an agent of its own')
  atStop.open()
  assert.equal((await run).code, 0)
  // Last: the subagent's final message is shown as the agent's own last message meanwhile.
  assert.notEqual(
    lastMessageWhileSubagentStopped,
    subQuestion,
    "the agent's lastMessage must be the main agent's, not a subagent's",
  )
})

test('an API error: StopFailure is recorded, and the agent ends whichever of StopFailure and SessionEnd tend hears first', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const { agent, res, sessionEndRan } = await runUntilStopFailure(e2e, 'svc')
  assert.equal(res.code, 1)
  assert.match(res.stdout, /API Error: 400 mock bad request/)
  // When Claude Code ran its SessionEnd hooks (the gate saw it), tend must have heard SessionEnd too. Hooks still
  // running at exit spool what they could not post; the receiver replays a spooled file as it appears.
  const heard = ['SessionStart', 'UserPromptSubmit', 'StopFailure', ...(sessionEndRan ? ['SessionEnd'] : [])]
  const d = await e2e.until(
    agent.sessionId,
    (x) => heard.every((n) => timelineNames(x).includes(n)),
    heard.join(', '),
    45_000,
  )
  const failure = d.timeline.find((e) => e.name === 'StopFailure')!
  assert.equal(failure.payload['error'], 'unknown') // what both versions report for a 400
  assert.equal(failure.payload['last_assistant_message'], 'API Error: 400 mock bad request')
  // Under load 2.1.197 may exit without SessionEnd (see runUntilStopFailure): then the replay below uses the
  // SessionEnd Claude Code sends on a normal exit, built from this session's own SessionStart.
  const start = d.timeline.find((e) => e.name === 'SessionStart')!
  const sessionEnd = d.timeline.find((e) => e.name === 'SessionEnd') ?? {
    payload: {
      session_id: start.payload['session_id'],
      transcript_path: start.payload['transcript_path'],
      cwd: start.payload['cwd'],
      hook_event_name: 'SessionEnd',
      reason: 'other',
    },
  }

  // Claude Code does not wait for StopFailure hooks: they run alongside SessionEnd's, ~5 ms apart, so either
  // may be stamped first (SessionEnd first in 2 of 20 measured runs). Replay this session's real payloads
  // through the real hook script in that losing order, for a fresh session id, to make the case deterministic.
  const sessionId = randomUUID()
  for (const name of ['SessionStart', 'UserPromptSubmit', 'SessionEnd', 'StopFailure']) {
    const event = name === 'SessionEnd' ? sessionEnd : d.timeline.find((e) => e.name === name)!
    assert.equal((await e2e.hook({ ...event.payload, session_id: sessionId })).code, 0)
  }
  const replayed = await e2e.until(sessionId, (x) => x.timeline.length === 4, 'the replayed session')
  assert.deepEqual(timelineNames(replayed), ['SessionStart', 'UserPromptSubmit', 'SessionEnd', 'StopFailure'])
  assert.equal(
    replayed.agent.state,
    'ended',
    'an event after SessionEnd must not bring a finished session back as blocked',
  )
  assert.deepEqual(openWaits(replayed), [])
})

test("a fast tool's PreToolUse and PostToolUse observers race: the timeline still lists the call before its result", async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('docs')
  writeFileSync(join(cwd, 'a.txt'), 'a\n')
  const mock = await e2e.mock([turn.tool('Read', { file_path: join(cwd, 'a.txt') }), turn.text('Read it.')])
  const atStop = e2e.gate('Stop')
  const run = e2e.claude({ prompt: 'read a.txt', cwd, mock })
  await atStop.reached()
  const agent = await e2e.agentIn(cwd)
  const d = await e2e.until(
    agent.sessionId,
    (x) => timelineNames(x).includes('PostToolUse:Read') && timelineNames(x).includes('Stop'),
    'the Read call',
  )
  atStop.open()
  assert.equal((await run).code, 0)

  // Both observers are async hooks started a few ms apart (Read takes ~1 ms); each stamps the time it ran, and
  // under load the Post hook's stamp can come first (1 session in ~20 here). Replay this session's real
  // payloads through the real hook script in that order, for a fresh session id, to make it deterministic.
  const sessionId = randomUUID()
  for (const name of ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'PreToolUse', 'Stop']) {
    const event = d.timeline.find((e) => e.name === name)!
    assert.equal((await e2e.hook({ ...event.payload, session_id: sessionId })).code, 0)
  }
  const replayed = await e2e.until(sessionId, (x) => x.timeline.length === 5, 'the replayed session')
  assert.equal(replayed.agent.state, 'blocked:done')
  assert.deepEqual(
    timelineNames(replayed),
    ['SessionStart', 'UserPromptSubmit', 'PreToolUse:Read', 'PostToolUse:Read', 'Stop'],
    'a tool call is listed before its result',
  )
})
