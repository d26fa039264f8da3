// E2E: replies reach the real Claude Code as the person's own words. With tend's mod (Claude Code
// 2.1.287+) a reply starts the agent's next turn as a plain user message, with no `tend away` and
// nothing held; older versions fall back to the held Stop, and tend says which path each agent has.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { lastUserText, turn, type AnthropicMock } from '../fakes/anthropic-mock.ts'
import { claudeAtLeast, CLAUDE_VERSION, requireTool } from '../helpers/claude.ts'
import { runTend } from '../helpers/cli.ts'
import { setupE2E, waitFor, type E2E, type Listed } from '../helpers/e2e.ts'

const READY = '? for shortcuts'
/** Mods, and so replies as the person's prompt, arrived in Claude Code 2.1.287. */
const MODS = claudeAtLeast('2.1.287')

async function modE2E(t: TestContext) {
  requireTool('tmux')
  const e2e = await setupE2E(t)
  const server = await e2e.startReceiver()
  return { e2e, services: server.services }
}

/** An interactive session that asked a question and stopped; resolves once tend shows it blocked. */
async function blockedOnQuestion(e2e: E2E, mock: AnthropicMock, project: string) {
  const cwd = e2e.project(project)
  const claude = await e2e.interactive({ cwd, mock })
  await claude.waitForScreen(READY, 20_000)
  await claude.sendText('write the migration')
  await claude.waitForScreen('Shall I run it?', 20_000)
  const agent = await waitFor(
    async () => {
      const a = (await e2e.agents()).find((x) => x.cwd === cwd)
      return a?.state === 'blocked:question' && a
    },
    10_000,
    'blocked:question',
  )
  return { cwd, claude, agent }
}

const until = (e2e: E2E, sessionId: string, ok: (a: Listed) => boolean, what: string) =>
  waitFor(async () => ok((await e2e.agent(sessionId)).agent), 15_000, what)

test(`tend reply while present: ${MODS ? 'the next turn starts with the reply as a plain user message' : 'refused, and tend says replies go as hook feedback'} (Claude Code ${CLAUDE_VERSION})`, async (t) => {
  const { e2e, services } = await modE2E(t)
  const mock = await e2e.mock([turn.text('Migration written. Shall I run it?'), turn.text('Ran it on staging.')])
  const { claude, agent } = await blockedOnQuestion(e2e, mock, 'billing')

  if (!MODS) {
    // No mod: the Stop was not held (the person is present), so there is nothing to answer through.
    assert.equal(agent.replyPath, 'hook')
    assert.equal(agent.claudeVersion, null)
    const run = await runTend(['reply', agent.shortId, 'yes, run it on staging first'], e2e.env)
    assert.equal(run.code, 1)
    assert.match(run.stderr, /tend away/)
    assert.match(await e2e.statusTable(), /as hook feedback/)
    const doctor = await runTend(['doctor', '--settings', e2e.settingsPath], e2e.env)
    assert.match(doctor.stdout, /billing: as hook feedback, only while you are away \(no tend mod heard/)
    return
  }

  await until(e2e, agent.sessionId, (a) => a.replyPath === 'mod', 'the mod polling for its session')
  const listed = (await e2e.agent(agent.sessionId)).agent
  assert.equal(listed.claudeVersion, CLAUDE_VERSION)
  assert.equal(services.holds.list().length, 0, 'nothing is held: the Stop returned, the terminal is the person’s')
  assert.match(await e2e.statusTable(), /as you/)
  const doctor = await runTend(['doctor', '--settings', e2e.settingsPath], e2e.env)
  assert.match(doctor.stdout, /tend's Claude Code plugin is enabled/)
  assert.match(
    doctor.stdout,
    new RegExp(`billing: as you \\(tend's mod in Claude Code ${CLAUDE_VERSION.replace(/\./g, '\\.')}\\)`),
  )

  const run = await runTend(['reply', agent.shortId, 'yes, run it on staging first'], e2e.env)
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /as your own message/)

  const [, second] = await mock.waitForRequests(2, 20_000)
  // Exactly what the person wrote, as the last user message: no hook wrapper, no system reminder.
  assert.equal(lastUserText(second!), 'yes, run it on staging first')
  await claude.waitForScreen('Ran it on staging.', 20_000)

  const detail = await e2e.until(
    agent.sessionId,
    (d) => d.timeline.some((e) => e.name === 'UserPromptSubmit' && e.origin === 'reply'),
    'the submitted reply recorded as the person’s words from elsewhere',
  )
  const question = detail.waits.find((w) => w.kind === 'question')!
  assert.equal(question.endedBy, 'reply')
  const prompts = detail.timeline.filter((e) => e.name === 'UserPromptSubmit').map((e) => e.origin)
  assert.deepEqual(prompts, ['person', 'reply'])
  // The reply is confirmed by the mod, once.
  const wait = await fetchWait(e2e, question.id)
  const delivered = wait.replies.filter((r) => r.outcome === 'delivered')
  assert.equal(delivered.length, 1)
  assert.equal(delivered[0]!.path, 'mod')
  await waitFor(async () => (await fetchWait(e2e, question.id)).replies[0]!.ackedAt !== null, 10_000, 'the ack')
  assert.equal((await fetchWait(e2e, question.id)).replies[0]!.ackError, null)
})

test(`the person types first: a reply to that wait is refused and never reaches the agent (Claude Code ${CLAUDE_VERSION})`, async (t) => {
  const { e2e } = await modE2E(t)
  let endedAtTerminal = (): Promise<unknown> => Promise.resolve()
  const mock = await e2e.mock([
    turn.text('Migration written. Shall I run it?'),
    // The model answers the typed prompt once tend has heard it (a real model takes longer than its observer).
    turn.text('Okay, not running it.', { until: () => endedAtTerminal() }),
  ])
  const { claude, agent } = await blockedOnQuestion(e2e, mock, 'ledger')
  if (MODS) await until(e2e, agent.sessionId, (a) => a.replyPath === 'mod', 'the mod polling')

  // By id: on a busy machine the next turn's wait may already be open beside it.
  const asked = agent.wait!.id
  endedAtTerminal = () =>
    e2e.until(
      agent.sessionId,
      (d) => d.waits.find((w) => w.id === asked)?.endedBy === 'terminal',
      'the wait ended at the terminal',
    )
  await claude.sendText('no, leave it')
  await claude.waitForScreen('Okay, not running it.', 30_000)
  await endedAtTerminal()

  // A Slack thread reply or the dashboard answers the wait it was shown: the question, now ended.
  const answered = await api(e2e, `/v1/waits/${agent.wait!.id}/answer`, {
    action: 'reply',
    text: 'yes, run it',
    via: 'api',
  })
  assert.equal(answered.status, 409)
  assert.match(JSON.stringify(answered.body), /answered at the terminal/)
  await waitFor(async () => (await e2e.agent(agent.sessionId)).agent.state === 'blocked:done', 10_000, 'done')
  // The mod polls continuously: a reply wrongly queued would have started a third model call by now.
  if (MODS) await until(e2e, agent.sessionId, (a) => a.replyPath === 'mod', 'the mod polling again')
  const requests = mock.modelRequests()
  assert.equal(requests.length, 2)
  assert.ok(!requests.some((r) => lastUserText(r).includes('yes, run it')), 'the late reply never reached the model')
})

test(`claude -p with the mod installed: it announces itself, holds nothing up, and replies take the hook path (Claude Code ${CLAUDE_VERSION})`, async (t) => {
  const e2e = await setupE2E(t)
  const { services } = await e2e.startReceiver()
  const cwd = e2e.project('batch')
  const mock = await e2e.mock([turn.text('Done with the batch.')])
  const run = await e2e.claude({ prompt: 'run the batch', cwd, mock })
  assert.equal(run.code, 0, run.stderr)
  assert.equal(run.stdout.trim(), 'Done with the batch.')
  const agent = await e2e.agentIn(cwd)
  // Unattended (-p): the mod never polls (a pending poll would delay the exit), so replies go as hook feedback.
  assert.equal(agent.replyPath, 'hook')
  assert.equal(agent.claudeVersion, MODS ? CLAUDE_VERSION : null)
  assert.equal(services.inbox.connected(agent.sessionId), false, 'the mod never opened a poll')
})

/** The receiver's API with the install's token (GET, or POST with a JSON body). */
async function api(e2e: E2E, path: string, body?: object): Promise<{ status: number; body: unknown }> {
  const token = readFileSync(join(e2e.env['TEND_HOME']!, 'token'), 'utf8').trim()
  const res = await fetch(`http://127.0.0.1:${e2e.env['TEND_PORT']}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: await res.json() }
}

async function fetchWait(e2e: E2E, id: string) {
  return (await api(e2e, `/v1/waits/${id}`)).body as {
    replies: Array<{ outcome: string; path: string | null; ackedAt: number | null; ackError: string | null }>
  }
}
