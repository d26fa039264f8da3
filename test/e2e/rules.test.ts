// E2E: permission rules with the real Claude Code against the mock model. A denied Write never runs and
// the model reads the rule's reason; an allow rule answers a real permission dialog in tmux at once.
import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { toolResults, turn } from '../fakes/anthropic-mock.ts'
import { requireTool } from '../helpers/claude.ts'
import { runTend } from '../helpers/cli.ts'
import { setupE2E } from '../helpers/e2e.ts'

const READY = '? for shortcuts'
const DIALOG = 'Do you want to proceed?'

test('a deny rule: the Write never runs, even in bypassPermissions, and the model sees the reason', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('vault')
  const added = await runTend(
    ['rules', 'add', 'deny', 'Write(./secret.txt)', '--reason', 'secrets are kept out of the repository'],
    e2e.env,
  )
  assert.equal(added.code, 0, added.stderr)
  const mock = await e2e.mock([
    turn.tool('Write', { file_path: join(cwd, 'secret.txt'), content: 'hunter2' }),
    turn.text('Understood, I will not write it.'),
  ])
  const run = await e2e.claude({ prompt: 'store the secret', cwd, mock })
  assert.equal(run.code, 0, run.stderr)
  assert.equal(existsSync(join(cwd, 'secret.txt')), false, 'the Write never ran')

  // What the model read back: the tool's result is an error carrying the rule's reason.
  const second = mock.modelRequests()[1]
  assert.ok(second, 'the model was called again after the denied tool')
  const [result] = toolResults(second)
  assert.equal(result?.isError, true)
  assert.match(result!.text, /secrets are kept out of the repository/)
  assert.match(result!.text, /tend rule #1/)

  const agent = await e2e.agentIn(cwd)
  const detail = await e2e.until(agent.sessionId, (d) => d.timeline.some((e) => e.name === 'RuleDecision'), 'decision')
  const decision = detail.timeline.find((e) => e.name === 'RuleDecision')!
  assert.deepEqual([decision.payload['decision'], decision.payload['rule']], ['deny', 'Write(./secret.txt)'])
  assert.equal(
    detail.timeline.some((e) => e.name === 'PostToolUse'),
    false,
    'no tool result: it never ran',
  )
})

test('an allow rule answers a real permission dialog at once: no dialog left, the command runs', async (t) => {
  requireTool('tmux')
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('site')
  const added = await runTend(['rules', 'add', 'allow', 'Bash(touch marker:*)', '--path', `${cwd}/**`], e2e.env)
  assert.equal(added.code, 0, added.stderr)
  const mock = await e2e.mock([
    turn.tool('Bash', { command: 'touch marker', description: 'Create marker' }),
    turn.text('Marker created.'),
  ])
  const claude = await e2e.interactive({ cwd, mock })
  await claude.waitForScreen(READY, 15_000)
  const agent = await e2e.agentIn(cwd)

  await claude.sendText('make a marker')
  await claude.waitForScreen('Marker created.', 20_000)
  assert.ok(existsSync(join(cwd, 'marker')), 'the command ran')
  const screen = await claude.capture()
  assert.equal(screen.includes(DIALOG), false, `no dialog left on screen:\n${screen}`)

  const detail = await e2e.until(
    agent.sessionId,
    (d) => d.timeline.some((e) => e.name === 'RuleDecision') && d.agent.state === 'blocked:done',
    'the rule decision and the end of the turn',
  )
  const permission = detail.waits.find((w) => w.kind === 'permission')
  assert.deepEqual([permission?.endedBy, permission?.endedVia], ['reply', 'rule'])
  const decision = detail.timeline.find((e) => e.name === 'RuleDecision')!
  assert.deepEqual(
    [decision.payload['decision'], decision.payload['for_event'], decision.payload['rule']],
    ['allow', 'PermissionRequest', 'Bash(touch marker:*)'],
  )
})

test('an ask rule puts a dialog before a Read that Claude Code would allow by itself', async (t) => {
  requireTool('tmux')
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('notes')
  writeFileSync(join(cwd, 'notes.txt'), 'the notes\n')
  const added = await runTend(['rules', 'add', 'ask', 'Read(./notes.txt)'], e2e.env)
  assert.equal(added.code, 0, added.stderr)
  const mock = await e2e.mock([turn.tool('Read', { file_path: join(cwd, 'notes.txt') }), turn.text('Read the notes.')])
  const claude = await e2e.interactive({ cwd, mock })
  await claude.waitForScreen(READY, 15_000)
  const agent = await e2e.agentIn(cwd)

  await claude.sendText('read my notes')
  // The dialog Claude Code would not have shown; 2.1.332 also shows the rule's reason in it (2.1.197 does not).
  const screen = await claude.waitForScreen(DIALOG, 20_000)
  assert.match(screen, /Read/)
  t.diagnostic(`the reason on screen: ${/tend rule #1 \(ask Read\(\.\/notes\.txt\)\)/.test(screen)}`)
  await claude.choose(/^Yes$/)
  await claude.waitForScreen('Read the notes.', 20_000)
  const detail = await e2e.until(agent.sessionId, (d) => d.timeline.some((e) => e.name === 'RuleDecision'), 'decision')
  const decision = detail.timeline.find((e) => e.name === 'RuleDecision')!
  assert.deepEqual([decision.payload['decision'], decision.payload['for_event']], ['ask', 'PreToolUse'])
})
