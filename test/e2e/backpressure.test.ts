// E2E: a new Claude Code session beyond what the person can keep busy is told so by tend's SessionStart
// hook (a systemMessage in Claude Code's own output), and is never held up by it.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { HookEvent } from '../../src/core/hook-event.ts'
import { turn } from '../fakes/anthropic-mock.ts'
import { runClaude } from '../helpers/claude.ts'
import { setupE2E, waitFor } from '../helpers/e2e.ts'
import { runTend } from '../helpers/cli.ts'

const MIN = 60_000

/** The hook answers Claude Code printed in its stream-json output for SessionStart. */
function sessionStartMessages(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type?: string; subtype?: string; hook_event?: string; output?: string })
    .filter((m) => m.type === 'system' && m.subtype === 'hook_response' && m.hook_event === 'SessionStart')
    .map((m) => (JSON.parse(m.output?.trim() || '{}') as { systemMessage?: string }).systemMessage ?? '')
}

test('SessionStart: within the limit nothing is said; beyond it the systemMessage reaches Claude Code', async (t) => {
  const e2e = await setupE2E(t)
  mkdirSync(e2e.env['TEND_HOME']!, { recursive: true })
  writeFileSync(join(e2e.env['TEND_HOME']!, 'config.json'), JSON.stringify({ economics: { ceiling: 5 } }))
  // A quick sweep: a session whose SessionEnd hook was lost at exit (Claude Code does not wait for it) is
  // ended by its pid being gone, as a live count must not include it.
  const server = await e2e.startReceiver({ sweepEveryMs: 100 })
  const ended = async (name: string) => {
    const agent = await e2e.agentIn(e2e.project(name))
    await e2e.until(agent.sessionId, (d) => d.agent.state === 'ended', `the session in ${name} ended`)
  }
  const run = async (name: string) => {
    const mock = await e2e.mock([turn.text('Hello.')])
    return runClaude({
      prompt: 'hi',
      cwd: e2e.project(name),
      home: e2e.home,
      settingsPath: e2e.settingsPath,
      mockUrl: mock.url,
      extraArgs: ['--output-format', 'stream-json', '--verbose'],
    })
  }

  // Alone, with nothing measured yet: within the ceiling, the hook answers and says nothing.
  const first = await run('alone')
  assert.equal(first.code, 0, first.stderr)
  assert.deepEqual(sessionStartMessages(first.stdout), [''])
  await ended('alone')

  // A measured history: three live agents, each instruction worked on for 10 min and answered in 3 min.
  const now = Date.now()
  const receive = (event: Record<string, unknown>, at: number) =>
    server.services.receive(event as HookEvent, { occurredAt: at, receivedAt: at })
  for (const name of ['api', 'web', 'cli']) {
    const sid = `${name}0000-0000-0000-0000-000000000000`
    const cwd = e2e.project(name)
    const base = { session_id: sid, cwd, transcript_path: '/dev/null' }
    let at = now - 90 * MIN
    receive({ ...base, hook_event_name: 'SessionStart', source: 'startup' }, at)
    for (let i = 0; i < 5; i++) {
      receive({ ...base, hook_event_name: 'UserPromptSubmit', prompt: `step ${i}`, prompt_id: `${sid}-${i}` }, at)
      at += 10 * MIN
      receive(
        {
          ...base,
          hook_event_name: 'Stop',
          stop_hook_active: false,
          last_assistant_message: 'Done.',
          prompt_id: `${sid}-${i}`,
        },
        at,
      )
      at += 3 * MIN
    }
    receive({ ...base, hook_event_name: 'UserPromptSubmit', prompt: 'go on', prompt_id: `${sid}-last` }, at)
  }

  // The receiver takes the new history in (it may recompute its measures off the request path).
  const token = readFileSync(join(e2e.env['TEND_HOME']!, 'token'), 'utf8').trim()
  await waitFor(
    async () => {
      const res = await fetch(`http://127.0.0.1:${e2e.env['TEND_PORT']}/v1/metrics/capacity`, {
        headers: { authorization: `Bearer ${token}` },
      })
      return ((await res.json()) as { capacity: { n: unknown } }).capacity.n !== null
    },
    20_000,
    'the measured N',
  )

  // A fourth agent (the one starting now) goes beyond N = 10 / 3 ≈ 3.3: tend says so, and the session runs.
  const second = await run('fourth')
  assert.equal(second.code, 0, second.stderr)
  const [message] = sessionStartMessages(second.stdout)
  assert.match(message!, /^tend: 4 agents live; your measured N is 3\.3 \([\d.]+–[\d.]+\): agents will queue on you$/)
  assert.match(second.stdout, /"result":"Hello\."/)

  // The same measure in `tend status`, once that session has ended: three live, within the limit.
  await ended('fourth')
  const status = await runTend(['status'], e2e.env)
  assert.match(status.stdout, /^3 live · N 3\.3 \(3\.3–3\.3\) · ceiling 5 · limit 3\.3$/m)

  // An interactive session (the person at a terminal) shows the same warning on its screen.
  const mock = await e2e.mock([turn.text('Hello.')])
  const claude = await e2e.interactive({ cwd: e2e.project('screen'), mock })
  await claude.waitForScreen(/tend: 4 agents live; your measured N is 3\.3/, 20_000)
})
