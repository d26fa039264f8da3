// E2E: a real Claude Code session asks tend's MCP server (registered by `tend install --mcp`) which agent
// needs the person, and the tool result it gets lists the agent blocked in another session.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { toolResults, turn, type MockRequest } from '../fakes/anthropic-mock.ts'
import { CLAUDE_BIN, claudeAtLeast, requireTool, runClaude } from '../helpers/claude.ts'
import { runTend, TEND_BIN } from '../helpers/cli.ts'
import { setupE2E, waitFor, type E2E } from '../helpers/e2e.ts'
import type { Answered, NeedsMe } from '../../src/mcp/shapes.ts'

const toolNames = (r: MockRequest) => (r.body?.tools ?? []).map((t) => (t as { name: string }).name)

/** Another HOME whose Claude Code gets tend's MCP server from `tend install --mcp`, as a person would set it up. */
async function mcpHome(e2e: E2E, name: string, ...flags: string[]): Promise<string> {
  const home = e2e.newHome(name)
  const installed = await runTend(
    ['install', '--settings', join(e2e.root, `${name}-settings.json`), '--claude', CLAUDE_BIN, '--mcp', ...flags],
    { ...e2e.env, HOME: home },
  )
  assert.equal(installed.code, 0, `${installed.stdout}${installed.stderr}`)
  assert.match(installed.stdout, /tend MCP server registered for Claude Code \(user scope/)
  return home
}

/**
 * A `-p` session in `home`. It connects MCP servers in the background, and its first request may go
 * out before tend's tools are there (2.1.197 then offers WaitForMcpServers, 2.1.332 a ToolSearch that
 * waits): connect first.
 */
function ask(e2e: E2E, home: string, mockUrl: string, prompt: string) {
  return runClaude({
    prompt,
    cwd: e2e.project(`asker-${home.split('-').at(-1)}`),
    home,
    settingsPath: e2e.settingsPath,
    mockUrl,
    env: { MCP_CONNECTION_NONBLOCKING: 'false' },
  })
}

test('a session calls mcp__tend__needs_me and sees the agent blocked on a question in another session', async (t) => {
  const e2e = await setupE2E(t)
  mkdirSync(e2e.env['TEND_HOME']!, { recursive: true })
  writeFileSync(join(e2e.env['TEND_HOME']!, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  await e2e.startReceiver()

  // Session 1 (billing) asks a question and stops: blocked on the person. A hook of the person's own
  // keeps it from exiting (a -p session that exits ends its wait) until the test lets it go.
  const billing = e2e.project('billing')
  const mock1 = await e2e.mock([turn.text('Migration written. Shall I run it on production?')])
  const gate = e2e.gate('Stop')
  const first = e2e.claude({ prompt: 'write the migration', cwd: billing, mock: mock1 })
  await gate.reached(30_000)
  const blocked = await e2e.agentIn(billing)
  await e2e.until(blocked.sessionId, (d) => d.agent.state === 'blocked:question', 'billing blocked on its question')

  // Session 2, in another HOME, gets tend's MCP server the way a person would: `tend install --mcp`.
  const askerHome = await mcpHome(e2e, 'asker')
  const registered = JSON.parse(readFileSync(join(askerHome, '.claude.json'), 'utf8')) as {
    mcpServers: Record<string, { command: string; args: string[] }>
  }
  assert.deepEqual(registered.mcpServers['tend']?.args, [TEND_BIN, 'mcp'])

  const mock2 = await e2e.mock([
    turn.tool('mcp__tend__needs_me', {}),
    turn.text('The billing agent asks whether to run the migration on production.'),
  ])
  const asked = await ask(e2e, askerHome, mock2.url, 'which agent needs me?')
  assert.equal(asked.code, 0, asked.stderr)
  assert.equal(asked.stdout.trim(), 'The billing agent asks whether to run the migration on production.')

  const [call, after] = mock2.modelRequests()
  // Read-only by default: the model is offered needs_me, agent and stats, never the answer tools
  // (2.1.197 lists them with the tools; 2.1.332 names them as deferred tools, to load with ToolSearch).
  const offered = [...new Set(JSON.stringify(call!.body).match(/mcp__tend__\w+/g))].sort()
  assert.deepEqual(offered, ['mcp__tend__agent', 'mcp__tend__needs_me', 'mcp__tend__stats'])
  if (!claudeAtLeast('2.1.332')) assert.ok(toolNames(call!).includes('mcp__tend__needs_me'))
  // Claude Code hands the model a tool's structured content (the JSON of NeedsMeSchema) when it has one.
  const result = toolResults(after!).at(-1)!
  assert.equal(result.isError, false, result.text)
  const queue = JSON.parse(result.text) as NeedsMe
  assert.equal(queue.blocked, 1)
  assert.deepEqual(
    queue.agents.map((a) => [a.rank, a.agent, a.label, a.state, a.kind, a.waitingFor, a.answerWith]),
    [
      [
        1,
        blocked.shortId,
        `billing·${blocked.shortId}`,
        'blocked:question',
        'question',
        'Migration written. Shall I run it on production?',
        'reply',
      ],
    ],
  )
  assert.match(queue.agents[0]!.why, /^question/)
  assert.match(queue.hint, /Answering from here is off/)

  gate.open()
  const res = await first
  assert.equal(res.code, 0, res.stderr)
})

test('with --allow-answers, a supervising session approves the permission dialog another session shows', async (t) => {
  requireTool('tmux')
  const e2e = await setupE2E(t)
  mkdirSync(e2e.env['TEND_HOME']!, { recursive: true })
  writeFileSync(join(e2e.env['TEND_HOME']!, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  const server = await e2e.startReceiver()

  // An interactive session asks for a permission; tend holds its PermissionRequest hook.
  const site = e2e.project('site')
  const mock1 = await e2e.mock([
    turn.tool('Bash', { command: 'touch approved-marker && echo touched', description: 'Create marker' }),
    turn.text('Marker created.'),
  ])
  const claude = await e2e.interactive({ cwd: site, mock: mock1 })
  await claude.waitForScreen('? for shortcuts', 15_000)
  await claude.sendText('make a marker')
  await claude.waitForScreen('Do you want to proceed?', 15_000)
  const hold = await waitFor(() => server.services.holds.list()[0], 20_000, 'a held hook')
  assert.equal(hold.event, 'PermissionRequest')

  // The supervisor, allowed to answer, approves the most blocked agent through MCP.
  const supervisorHome = await mcpHome(e2e, 'supervisor', '--allow-answers')
  const mock2 = await e2e.mock([turn.tool('mcp__tend__approve', { agent: 'next' }), turn.text('Approved it.')])
  const asked = await ask(e2e, supervisorHome, mock2.url, 'approve whatever waits for me')
  assert.equal(asked.code, 0, asked.stderr)
  const [call, after] = mock2.modelRequests()
  assert.ok(JSON.stringify(call!.body).includes('mcp__tend__approve'), 'the answer tools are offered')
  const result = toolResults(after!).at(-1)!
  assert.equal(result.isError, false, result.text)
  const answered = JSON.parse(result.text) as Answered
  assert.deepEqual(
    [answered.outcome, answered.action, answered.via, answered.path],
    ['delivered', 'approve', 'mcp', 'hook'],
  )
  assert.match(answered.by, /\(claude-code\)$/)

  // The dialog closes, the tool runs, and the wait says who answered it, through what.
  await claude.waitForScreen('Marker created.', 20_000)
  assert.ok(existsSync(join(site, 'approved-marker')), 'the tool ran')
  const agent = await e2e.agentIn(site)
  const wait = (await e2e.agent(agent.sessionId)).waits.find((w) => w.kind === 'permission')!
  assert.deepEqual([wait.endedBy, wait.endedVia, wait.answeredBy], ['reply', 'mcp', answered.by])
})
