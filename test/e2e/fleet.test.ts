// E2E: three real Claude Code sessions at once in different projects; `tend status` ranks them as DESIGN.md says.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { turn } from '../fakes/anthropic-mock.ts'
import { setupE2E } from '../helpers/e2e.ts'

test('three sessions at once: the question first, then the finished one, then the one still working', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  // Each session gets its own HOME so its gate (a sync hook of the person's own) holds only that session.
  const session = async (
    name: string,
    script: Parameters<typeof e2e.mock>[0],
    gateAt: { event: string; matcher?: string },
    prompt: string,
  ) => {
    const cwd = e2e.project(name)
    const home = e2e.newHome(name)
    const mock = await e2e.mock(script)
    const gate = e2e.gate(gateAt.event, { ...gateAt, home, name })
    return { cwd, gate, run: () => e2e.claude({ prompt, cwd, mock, home }) }
  }
  const alpha = await session(
    'alpha',
    [turn.tool('Bash', { command: 'ls' }), turn.text('Refactor finished.')],
    { event: 'Stop' },
    'refactor',
  )
  const beta = await session(
    'beta',
    [turn.text('Which database should I use, Postgres or SQLite?')],
    { event: 'Stop' },
    'pick a db',
  )
  const gamma = await session(
    'gamma',
    [turn.tool('Bash', { command: 'echo busy' }), turn.text('Built.')],
    { event: 'PreToolUse', matcher: 'Bash' },
    'build it',
  )

  // alpha finishes first, so its wait is the oldest; then beta and gamma start while it waits.
  const runs = [alpha.run()]
  await alpha.gate.reached()
  const a = await e2e.agentIn(alpha.cwd)
  await e2e.until(a.sessionId, (d) => d.agent.state === 'blocked:done', 'alpha blocked:done')
  runs.push(beta.run(), gamma.run())
  await Promise.all([beta.gate.reached(), gamma.gate.reached()])
  const b = await e2e.agentIn(beta.cwd)
  const g = await e2e.agentIn(gamma.cwd)
  await e2e.until(b.sessionId, (d) => d.agent.state === 'blocked:question', 'beta blocked:question')
  await e2e.until(
    g.sessionId,
    (d) => d.agent.state === 'working' && d.timeline.some((e) => e.name === 'PreToolUse'),
    'gamma working',
  )

  // DESIGN.md: at (nearly) equal wait a question outranks done, even though done waited a few seconds longer;
  // every blocked agent appears, most urgent first, each with its why; agents nobody waits on come after.
  const { agents } = await e2e.status()
  assert.deepEqual(
    agents.map((x) => [x.project, x.state, x.rank]),
    [
      ['beta', 'blocked:question', 1],
      ['alpha', 'blocked:done', 2],
      ['gamma', 'working', null],
    ],
  )
  const [first, second, third] = agents
  assert.ok(
    second!.waitingMs! > first!.waitingMs!,
    'the done agent has waited longer, and still ranks below the question',
  )
  assert.match(first!.why, /question ×3/)
  assert.match(second!.why, /done ×1/)
  assert.match(third!.why, /working for/)
  const table = (await e2e.statusTable()).trim().split('\n')
  assert.match(table[1]!, /^1\s+beta·\w+\s+blocked:question\s+\S+\s+Which database should I use/)
  assert.match(table[2]!, /^2\s+alpha·\w+\s+blocked:done\s+\S+\s+done: Refactor finished\./)
  assert.match(table[3]!, /^-\s+gamma·\w+\s+working/)
  // Then, after a blank line, the capacity: three live agents, no measured N yet.
  assert.deepEqual(table.slice(4, 5), [''])
  assert.match(table[5]!, /^3 live · N not enough data/)
  assert.equal(table.length, 6)

  for (const s of [alpha, beta, gamma]) s.gate.open()
  const results = await Promise.all(runs)
  assert.deepEqual(
    results.map((r) => r.code),
    [0, 0, 0],
    results.map((r) => r.stderr).join('\n'),
  )
})
