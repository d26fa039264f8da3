// `tend mcp` over stdio, driven by the MCP SDK's own client: a real receiver, the real hook script, bin/tend.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { getAgentDetail } from '../../src/store/agents.ts'
import { repliesForWait } from '../../src/store/replies.ts'
import type { AgentInfo, Answered, NeedsMe, Stats } from '../../src/mcp/shapes.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend, TEND_BIN } from '../helpers/cli.ts'
import { freePort, runHook } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { blockTexts, startSlackRig } from '../helpers/slack.ts'
import { waitFor } from '../helpers/wait-for.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const SHOP = { session_id: '5e55a0b1-aaaa-4bbb-8ccc-000000000001', cwd: '/home/me/projects/shop' }
const API = { session_id: '7a7a7a7a-bbbb-4ccc-8ddd-000000000002', cwd: '/home/me/projects/api' }
const ev = (who: typeof SHOP, key: string, extra = {}) => payload(key, { ...who, ...extra })

/** A home with a receiver (or none), and `tend mcp` clients on it. */
async function setup(opts: { receiver?: boolean } = {}) {
  const home = tempHome('tend-mcp-')
  cleanups.push(home.cleanup)
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  let server: RunningServer | null = null
  if (opts.receiver !== false) {
    server = await startServer(loadConfig(env), { log: silentLogger, channels: () => [] })
    cleanups.push(() => server?.close())
  }
  const mcp = async (...args: string[]) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [TEND_BIN, 'mcp', ...args],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stderr: 'pipe',
    })
    const client = new Client({ name: 'tend-test', version: '1.0.0' })
    await client.connect(transport)
    cleanups.push(() => client.close())
    const tool = async (name: string, args: Record<string, unknown> = {}) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult
    return { client, tool }
  }
  const held = () => waitFor(() => server!.services.holds.list()[0], 20_000, 'a held hook')
  return { env, server, mcp, held }
}

const resourceText = (r: { contents: Array<{ text: string } | { blob: string }> }) => {
  const c = r.contents[0]!
  return 'text' in c ? c.text : ''
}
const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')

function structured<T>(r: CallToolResult): T {
  assert.notEqual(r.isError, true, text(r))
  assert.ok(r.structuredContent, 'structured content')
  return r.structuredContent as T
}

/** shop waits on a held permission dialog (Bash: npm publish); api asked a question at its Stop (not held). */
async function twoBlocked(t: Awaited<ReturnType<typeof setup>>) {
  await runHook(ev(API, 'UserPromptSubmit', { prompt: 'write the migration' }), t.env)
  await runHook(ev(API, 'Stop', { last_assistant_message: 'Migration written. Shall I run it?' }), t.env)
  await runHook(ev(SHOP, 'UserPromptSubmit', { prompt: 'publish it' }), t.env)
  const permission = runHook(ev(SHOP, 'PermissionRequest', { tool_input: { command: 'npm publish' } }), t.env, [
    'hold',
    '60',
  ])
  await t.held()
  return { permission }
}

describe('tend mcp', () => {
  it('without --allow-answers: needs_me, agent and stats only, each with input and output schemas', async () => {
    const t = await setup()
    const { client, tool } = await t.mcp()
    const { tools } = await client.listTools()
    assert.deepEqual(tools.map((x) => x.name).sort(), ['agent', 'needs_me', 'stats'])
    for (const x of tools) {
      assert.equal(x.inputSchema.type, 'object')
      assert.equal(x.outputSchema?.type, 'object', `${x.name} has an output schema`)
      assert.equal(x.annotations?.readOnlyHint, true)
    }
    assert.deepEqual(tools.find((x) => x.name === 'agent')!.inputSchema.required, ['agent'])
    assert.match(client.getInstructions() ?? '', /Answering is off/)
    // The answer tools do not exist: calling one is an error, and nothing reaches any agent.
    const r = await tool('approve', { agent: 'next' })
    assert.equal(r.isError, true)
    assert.match(text(r), /approve not found/)
  })

  it('needs_me: the ranked queue with why, as text and structured content', async () => {
    const t = await setup()
    const { permission } = await twoBlocked(t)
    const { tool } = await t.mcp()
    const r = await tool('needs_me')
    const data = structured<NeedsMe>(r)
    assert.equal(data.blocked, 2)
    assert.equal(data.answersEnabled, false)
    assert.deepEqual(
      data.agents.map((a) => [a.rank, a.label, a.kind, a.waitingFor, a.answerWith, a.held]),
      [
        [1, 'shop·5e55a0b1', 'permission', 'Bash: npm publish', 'approve_or_deny', true],
        [2, 'api·7a7a7a7a', 'question', 'Migration written. Shall I run it?', 'reply', false],
      ],
    )
    assert.match(data.agents[0]!.why, /permission/)
    assert.match(text(r), /1\. shop·5e55a0b1 \(agent "5e55a0b1"\)\s+blocked:permission/)
    assert.match(text(r), /for: Bash: npm publish/)
    assert.match(text(r), /Answering from here is off/)

    // live adds agents nobody waits on; the queue itself never does.
    await runHook(ev({ ...API, session_id: 'cccc3333-0000-4000-8000-000000000003' }, 'UserPromptSubmit'), t.env)
    assert.equal(structured<NeedsMe>(await tool('needs_me')).agents.length, 2)
    const live = structured<NeedsMe>(await tool('needs_me', { include: 'live' }))
    assert.deepEqual(
      live.agents.map((a) => [a.rank, a.state]),
      [
        [1, 'blocked:permission'],
        [2, 'blocked:question'],
        [null, 'working'],
      ],
    )
    await runTend(['deny', 'shop'], t.env)
    await permission
  })

  it('agent: state, current wait, last message, recent timeline; stats: the attention economics', async () => {
    const t = await setup()
    const { permission } = await twoBlocked(t)
    const { tool } = await t.mcp()
    const shop = structured<AgentInfo>(await tool('agent', { agent: 'shop' }))
    assert.equal(shop.agent.state, 'blocked:permission')
    assert.equal(shop.wait?.what, 'Bash: npm publish')
    assert.deepEqual(shop.wait?.detail['toolInput'], { command: 'npm publish' })
    assert.deepEqual(
      shop.timeline.map((e) => [e.event, e.text]),
      [
        ['UserPromptSubmit', 'person: publish it'],
        ['PermissionRequest', 'Bash: npm publish'],
      ],
    )
    const api = await tool('agent', { agent: 'next', timeline: 1 })
    // `next` is the most blocked: shop. A limit keeps the newest entries.
    assert.equal(structured<AgentInfo>(api).agent.agent, '5e55a0b1')
    assert.equal(structured<AgentInfo>(api).timeline.length, 1)
    const question = await tool('agent', { agent: '7a7a' })
    assert.equal(structured<AgentInfo>(question).lastMessage, 'Migration written. Shall I run it?')
    assert.match(text(question), /waits for: Migration written\. Shall I run it\? \(question/)
    assert.match(text(question), /answer: reply with text/)

    const stats = structured<Stats>(await tool('stats', { days: 1 }))
    assert.equal(stats.days, 1)
    assert.equal(stats.samples.instructions >= 0, true)
    assert.match(text(await tool('stats')), /^last 7 days:/)
    await runTend(['deny', 'shop'], t.env)
    await permission
  })

  it('errors are tool errors that say why: unknown agent, bad input, no receiver, no token', async () => {
    const t = await setup()
    const { tool } = await t.mcp()
    const unknown = await tool('agent', { agent: 'nope' })
    assert.equal(unknown.isError, true)
    assert.match(text(unknown), /no agent matches 'nope'/)
    const bad = await tool('agent', {})
    assert.equal(bad.isError, true)
    assert.match(text(bad), /Invalid arguments for tool agent/)
    const badDays = await tool('stats', { days: 0 })
    assert.equal(badDays.isError, true)
    await t.server!.close()
    const down = await tool('needs_me')
    assert.equal(down.isError, true)
    assert.match(
      text(down),
      /no tend receiver at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\. Start it with `tend serve`/,
    )

    const none = await setup({ receiver: false })
    const fresh = await none.mcp()
    const noToken = await fresh.tool('needs_me')
    assert.equal(noToken.isError, true)
    assert.match(text(noToken), /no token at .*token and TEND_TOKEN is unset/)
  })

  it('--allow-answers: approve and deny a held permission; recorded via mcp; a second answer is refused with why', async () => {
    const t = await setup()
    const { permission } = await twoBlocked(t)
    const { client, tool } = await t.mcp('--allow-answers')
    const { tools } = await client.listTools()
    assert.deepEqual(tools.map((x) => x.name).sort(), ['agent', 'approve', 'deny', 'needs_me', 'reply', 'stats'])
    assert.equal(tools.find((x) => x.name === 'approve')!.annotations?.destructiveHint, true)
    assert.equal(structured<NeedsMe>(await tool('needs_me')).answersEnabled, true)

    const waitId = structured<NeedsMe>(await tool('needs_me')).agents[0]!.waitId!
    // A reply to a permission is the wrong kind: refused, nothing sent.
    const wrong = await tool('reply', { agent: 'shop', text: 'sure' })
    assert.equal(wrong.isError, true)
    assert.match(text(wrong), /^shop·5e55a0b1: the agent waits for a permission: approve or deny it/)

    const ok = structured<Answered>(await tool('approve', { agent: 'next', wait: waitId }))
    assert.deepEqual(
      [ok.action, ok.label, ok.waitId, ok.path, ok.via],
      ['approve', 'shop·5e55a0b1', waitId, 'hook', 'mcp'],
    )
    assert.match(ok.by, /\(tend-test\)$/)
    assert.deepEqual(JSON.parse((await permission).stdout), {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    })
    const db = t.server!.services.store.db
    const wait = getAgentDetail(db, SHOP.session_id)!.waits.at(-1)!
    assert.deepEqual([wait.endedBy, wait.endedVia, wait.answeredBy], ['reply', 'mcp', ok.by])

    // The same wait again (the caller saw it before it ended): refused with how it ended, and recorded.
    const again = await tool('approve', { agent: 'shop', wait: waitId })
    assert.equal(again.isError, true)
    assert.match(
      text(again),
      /that wait has ended: already answered by \S+ \(tend-test\) via mcp, \d+s ago; nothing was sent/,
    )
    assert.deepEqual(
      repliesForWait(db, waitId).map((r) => [r.via, r.outcome]),
      [
        ['mcp', 'wait_ended'],
        ['mcp', 'delivered'],
        ['mcp', 'wrong_kind'],
      ],
    )
    // The agent's own view shows who answered, through what.
    const shop = structured<AgentInfo>(await tool('agent', { agent: 'shop' }))
    assert.match(shop.recentWaits.at(-1)!.ended!, /^answered by \S+ \(tend-test\) via mcp$/)
    assert.match(shop.timeline.at(-1)!.text, /^permission wait answered by .* via mcp after \d+s$/)
    // No current wait: nothing to answer.
    const idle = await tool('approve', { agent: 'shop' })
    assert.equal(idle.isError, true)
    assert.match(text(idle), /shop·5e55a0b1 is not waiting for the person \(working\); nothing was sent/)
    const foreign = await tool('approve', { agent: 'api', wait: waitId })
    assert.match(text(foreign), /api·7a7a7a7a has no wait/)

    // Deny with a message: the agent gets it.
    await runHook(ev(SHOP, 'PostToolUse', { tool_input: { command: 'npm publish' } }), t.env)
    const second = runHook(ev(SHOP, 'PermissionRequest', { tool_input: { command: 'rm -rf /' } }), t.env, [
      'hold',
      '60',
    ])
    await t.held()
    const denied = structured<Answered>(await tool('deny', { agent: 'shop', message: 'never that' }))
    assert.equal(denied.action, 'deny')
    assert.match(text(await tool('agent', { agent: 'shop' })), /denied|answered/)
    assert.deepEqual(JSON.parse((await second).stdout).hookSpecificOutput.decision, {
      behavior: 'deny',
      message: 'never that',
    })
  })

  it('--allow-answers: reply reaches a held Stop; while the person is present it is refused with what to do', async () => {
    const t = await setup()
    const { tool } = await t.mcp('--allow-answers')
    await runHook(ev(API, 'UserPromptSubmit', { prompt: 'write the migration' }), t.env)
    await runHook(ev(API, 'Stop', { last_assistant_message: 'Migration written. Shall I run it?' }), t.env)
    const present = await tool('reply', { agent: 'api', text: 'yes' })
    assert.equal(present.isError, true)
    assert.match(text(present), /nothing sent: you were present, so its Stop was not held/)

    // The person answers at the terminal, then steps away: the next Stop is held for a reply from elsewhere.
    await runHook(ev(API, 'UserPromptSubmit', { prompt: 'go on', prompt_id: 'second-prompt' }), t.env)
    assert.equal((await runTend(['away'], t.env)).code, 0)
    const stop = runHook(ev(API, 'Stop', { last_assistant_message: 'Run it now?' }), t.env, ['hold', '60'])
    await t.held()
    const r = await tool('reply', { agent: 'api', text: 'yes, on staging first' })
    const ok = structured<Answered>(r)
    assert.deepEqual([ok.action, ok.path], ['reply', 'hook'])
    assert.match(text(r), /reply delivered as hook feedback/)
    assert.deepEqual(JSON.parse((await stop).stdout), { decision: 'block', reason: 'yes, on staging first' })
    const empty = await tool('reply', { agent: 'api', text: '   ' })
    assert.equal(empty.isError, true)
  })

  it('resources: the queue and each agent', async () => {
    const t = await setup()
    const { permission } = await twoBlocked(t)
    const { client } = await t.mcp()
    const { resources } = await client.listResources()
    assert.deepEqual(resources.map((r) => r.uri).sort(), [
      'tend://agent/5e55a0b1',
      'tend://agent/7a7a7a7a',
      'tend://needs-me',
    ])
    const queue = await client.readResource({ uri: 'tend://needs-me' })
    const q = JSON.parse(resourceText(queue)) as NeedsMe
    assert.deepEqual(
      q.agents.map((a) => a.agent),
      ['5e55a0b1', '7a7a7a7a'],
    )
    const one = await client.readResource({ uri: 'tend://agent/7a7a7a7a' })
    assert.equal((JSON.parse(resourceText(one)) as AgentInfo).agent.state, 'blocked:question')
    const { resourceTemplates } = await client.listResourceTemplates()
    assert.deepEqual(
      resourceTemplates.map((r) => r.uriTemplate),
      ['tend://agent/{agent}'],
    )
    await runTend(['deny', 'shop'], t.env)
    await permission
  })

  it('an approve through MCP updates the Slack ping in place: approved by <you> (<client>) via mcp', async () => {
    const rig = await startSlackRig()
    cleanups.push(() => rig.close())
    await runHook(ev(SHOP, 'UserPromptSubmit', { prompt: 'publish it' }), rig.env)
    const permission = runHook(ev(SHOP, 'PermissionRequest', { tool_input: { command: 'npm publish' } }), rig.env, [
      'hold',
      '60',
    ])
    await waitFor(() => rig.server.services.holds.list()[0], 20_000, 'a held hook')
    const ping = await rig.pinged()
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [TEND_BIN, 'mcp', '--allow-answers'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...rig.env },
      stderr: 'pipe',
    })
    const client = new Client({ name: 'tend-test', version: '1.0.0' })
    await client.connect(transport)
    cleanups.push(() => client.close())
    const r = (await client.callTool({ name: 'approve', arguments: { agent: 'shop' } })) as CallToolResult
    const by = structured<Answered>(r).by
    assert.equal(JSON.parse((await permission).stdout).hookSpecificOutput.decision.behavior, 'allow')
    const updated = await waitFor(
      () => rig.fake.message(ping.channel, ping.ts)?.edited && rig.fake.message(ping.channel, ping.ts),
      5000,
      'the Slack update',
    )
    assert.equal(
      blockTexts(updated)
        .at(-1)!
        .replace(/after \d+s$/, 'after Ns'),
      `:white_check_mark: approved by ${by} via mcp after Ns`,
    )
  })
})
