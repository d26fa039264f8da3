// E2E: how hook events reach tend when things go wrong: the receiver down, other hooks still running at exit.
import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { turn, type Turn } from '../fakes/anthropic-mock.ts'
import { sessionShape, setupE2E, timelineNames, type E2E } from '../helpers/e2e.ts'

/**
 * The model's think time before its last answer. Claude Code 2.1.197 SIGTERMs async hooks still running
 * when a -p session ends (and then runs no SessionEnd hook; see the last test): a mock answering in ~10 ms
 * can end the session before the last PostToolUse observer has posted. A real model never answers that fast.
 */
const THINK_MS = 300

const script = (cwd: string): Turn[] => [
  turn.tool('Bash', { command: 'echo one' }),
  turn.tool('Read', { file_path: join(cwd, 'notes.txt') }),
  turn.text('Done.', { delayMs: THINK_MS }),
]

async function session(e2e: E2E, name: string) {
  const cwd = e2e.project(name)
  writeFileSync(join(cwd, 'notes.txt'), 'hello\n')
  return { cwd, res: await e2e.claude({ prompt: 'go', cwd, mock: await e2e.mock(script(cwd)) }) }
}

async function endedSession(e2e: E2E, cwd: string, events: number) {
  const agent = await e2e.agentIn(cwd, 15_000)
  return e2e.until(
    agent.sessionId,
    (d) => d.agent.state === 'ended' && d.timeline.length >= events,
    `ended with ${events} events`,
    15_000,
  )
}

test('the receiver down during a session: the session runs to its end, and every event appears once it starts', async (t) => {
  const e2e = await setupE2E(t)
  const receiver = await e2e.serve() // `tend serve`, as a person runs it
  const up1 = await session(e2e, 'up1')
  assert.equal(up1.res.code, 0, up1.res.stderr)
  const expected = {
    lifecycle: ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd'],
    calls: ['toolu_mock_1 PostToolUse:Bash PreToolUse:Bash', 'toolu_mock_2 PostToolUse:Read PreToolUse:Read'],
  }
  assert.deepEqual(sessionShape(await endedSession(e2e, up1.cwd, 8)), expected)

  await receiver.stop()
  const downs = [await session(e2e, 'down1'), await session(e2e, 'down2')]
  for (const d of downs) assert.deepEqual([d.res.code, d.res.stdout.trim()], [0, 'Done.'], d.res.stderr)

  const replayedFrom = Date.now()
  await e2e.serve() // replays the spool on start
  for (const d of downs) {
    const replayed = await endedSession(e2e, d.cwd, 8)
    assert.deepEqual(sessionShape(replayed), expected)
    assert.ok(
      replayed.timeline.every((e) => e.replayed),
      'every event came from the spool',
    )
    assert.deepEqual(
      replayed.waits.map((w) => [w.kind, w.endedBy]),
      [['done', 'session_end']],
    )
    // Stamped when the hooks ran, not at replay: the replay keeps the session's real timing.
    assert.ok(
      replayed.timeline.every((e) => e.occurredAt < replayedFrom),
      'every event keeps the time its hook ran, before the replay',
    )
  }

  // What the spool costs a session is a figure for bench/ (`npm run bench -- hook`: receiver down), not a test.
  t.diagnostic(
    `claude -p session, receiver up: ${up1.res.durationMs} ms; down: ${downs.map((d) => d.res.durationMs).join(' / ')} ms`,
  )
})

test('-p: another async hook still running at exit is killed and SessionEnd never fires; tend must still see the end', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver({ sweepEveryMs: 200 })
  const cwd = e2e.project('slowhook')
  const marks = join(e2e.root, 'marks')
  // The person's own slow async observer (a logger, say), beside tend's hooks: it never ends by itself here.
  const slow = `mkdir -p '${marks}'; cat >/dev/null; trap 'kill $!; touch ${marks}/killed; exit 1' TERM; sleep 600 & wait; touch ${marks}/finished`
  e2e.userHook('PostToolUse', { hooks: [{ type: 'command', command: slow, async: true }] })
  const mock = await e2e.mock([turn.tool('Bash', { command: 'echo one' }), turn.text('Done.', { delayMs: THINK_MS })])
  const res = await e2e.claude({ prompt: 'go', cwd, mock })
  // Had Claude Code waited for that hook, it would still be running when the harness's timeout killed it.
  assert.equal(res.timedOut, false, 'Claude Code did not wait for the slow hook')
  assert.equal(res.code, 0, res.stderr)

  const agent = await e2e.agentIn(cwd)
  const stopped = await e2e.until(agent.sessionId, (d) => d.timeline.some((e) => e.name === 'Stop'), 'Stop')
  t.diagnostic(
    `slow hook killed: ${existsSync(join(marks, 'killed'))}; finished: ${existsSync(join(marks, 'finished'))}`,
  )
  t.diagnostic(
    `SessionEnd reached tend: ${timelineNames(stopped).includes('SessionEnd')}; state ${stopped.agent.state}`,
  )
  // Claude Code's process is gone: tend must not keep showing a finished -p session as waiting for the person.
  await e2e.until(agent.sessionId, (d) => d.agent.state === 'ended', 'ended (the process is gone)')
})
