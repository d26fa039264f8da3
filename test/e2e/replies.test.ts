// E2E: replies from the tend CLI reach the real Claude Code through its held hooks.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { lastUserText, turn } from '../fakes/anthropic-mock.ts'
import { requireTool, stopHookFeedback } from '../helpers/claude.ts'
import { runTend } from '../helpers/cli.ts'
import { setupAwayE2E, waitFor } from '../helpers/e2e.ts'

/** A receiver with no ping channels and no auto-away: away only by `tend away`. */
async function repliesE2E(t: TestContext) {
  const { e2e, services, tend } = await setupAwayE2E(t)
  const held = () => waitFor(() => services.holds.list()[0], 20_000, 'a held hook')
  return { e2e, services, tend, held }
}

/** The prompt counts as the person being here; they step away once it is in. */
async function promptThenAway(r: Awaited<ReturnType<typeof repliesE2E>>, cwd: string) {
  const prompted = r.e2e.gate('UserPromptSubmit')
  return {
    prompted,
    async away() {
      await prompted.reached()
      const agent = await r.e2e.agentIn(cwd)
      await waitFor(
        async () => (await r.e2e.agent(agent.sessionId)).agent.state === 'working',
        5000,
        'the prompt recorded',
      )
      await r.tend('away')
      prompted.open()
      return agent
    },
  }
}

test('away: a -p session held at its Stop continues with `tend reply` as its next instruction', async (t) => {
  const r = await repliesE2E(t)
  const cwd = r.e2e.project('billing')
  const mock = await r.e2e.mock([turn.text('Migration written. Shall I run it?'), turn.text('Ran it on staging.')])
  const gate = await promptThenAway(r, cwd)
  const run = r.e2e.claude({ prompt: 'write the migration', cwd, mock })
  const agent = await gate.away()

  const hold = await r.held()
  assert.equal(hold.event, 'Stop')
  assert.equal(mock.modelRequests().length, 1, 'held: the agent waits for the answer')
  const out = await r.tend('reply', agent.shortId, 'yes, run it on staging first')
  assert.match(out, /reply delivered/)

  const [, second] = await mock.waitForRequests(2, 20_000)
  assert.equal(lastUserText(second!), stopHookFeedback('yes, run it on staging first'))
  const detail = await r.e2e.agent(agent.sessionId)
  const first = detail.waits[0]!
  assert.deepEqual([first.kind, first.endedBy], ['question', 'reply'])

  // Its next Stop is held too (still away); coming back releases it and the session ends normally.
  await waitFor(
    () => r.services.holds.list().length === 1 && mock.modelRequests().length === 2,
    20_000,
    'the second Stop held',
  )
  assert.match(await r.tend('back'), /1 held Stop released/)
  const res = await run
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.trim(), 'Ran it on staging.')
})

test('`tend back` while a Stop is held: the session ends normally, nothing sent to the model', async (t) => {
  const r = await repliesE2E(t)
  const cwd = r.e2e.project('docs')
  const mock = await r.e2e.mock([turn.text('Docs updated.')])
  const gate = await promptThenAway(r, cwd)
  const run = r.e2e.claude({ prompt: 'update the docs', cwd, mock })
  const agent = await gate.away()
  await r.held()
  assert.match(await r.tend('back'), /1 held Stop released/)
  const res = await run
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.trim(), 'Docs updated.')
  assert.equal(mock.modelRequests().length, 1)
  const reply = await runTend(['reply', agent.shortId, 'too late'], r.e2e.env)
  assert.equal(reply.code, 1)
  assert.match(reply.stderr, /nothing sent|not waiting/)
})

test('interactive: a held permission dialog is answered by `tend approve`; the tool runs', async (t) => {
  requireTool('tmux')
  const r = await repliesE2E(t)
  const cwd = r.e2e.project('site')
  const mock = await r.e2e.mock([
    turn.tool('Bash', { command: 'touch approved-marker && echo touched', description: 'Create marker' }),
    turn.text('Marker created.'),
  ])
  const claude = await r.e2e.interactive({ cwd, mock })
  await claude.waitForScreen('? for shortcuts', 15_000)
  await claude.sendText('make a marker')
  await claude.waitForScreen('Do you want to proceed?', 20_000)
  const hold = await r.held()
  assert.equal(hold.event, 'PermissionRequest')
  assert.equal(existsSync(join(cwd, 'approved-marker')), false)

  assert.match(await r.tend('approve', 'next'), /approved/)
  await claude.waitForScreen('Marker created.', 15_000)
  assert.ok(existsSync(join(cwd, 'approved-marker')), 'the tool ran')
  const agent = await r.e2e.agentIn(cwd)
  const detail = await r.e2e.agent(agent.sessionId)
  const permission = detail.waits.find((w) => w.kind === 'permission')!
  assert.equal(permission.endedBy, 'reply')
})
