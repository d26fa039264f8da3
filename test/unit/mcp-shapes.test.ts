// The MCP tools' shapes: from the receiver's API bodies to structured content and text, and the registration. Pure.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { addJsonCommand, runsTendMcp, tendServerConfig, TEND_BIN } from '../../src/mcp/registration.ts'
import type { AgentBody, AgentsBody, ListedAgent } from '../../src/mcp/receiver.ts'
import {
  agentInfo,
  AgentInfoSchema,
  agentText,
  eventText,
  needsMe,
  NeedsMeSchema,
  needsMeText,
} from '../../src/mcp/shapes.ts'

const NOW = 1_800_000_000_000

function listed(over: Partial<ListedAgent> & Pick<ListedAgent, 'sessionId' | 'cwd' | 'state'>): ListedAgent {
  const project = over.cwd?.split('/').at(-1) ?? '?'
  return {
    project,
    stateSince: NOW - 60_000,
    lastEventAt: NOW - 1000,
    priority: null,
    tWorkMs: null,
    wait: null,
    rank: null,
    score: 0,
    waitingMs: null,
    why: 'working for 1m00s',
    shortId: over.sessionId.slice(0, 8),
    label: `${project}·${over.sessionId.slice(0, 8)}`,
    held: false,
    replyPath: 'hook',
    claudeVersion: null,
    ...over,
  }
}

const web = listed({
  sessionId: 'bbbb2222-0000',
  cwd: '/w/web',
  state: 'blocked:permission',
  rank: 1,
  waitingMs: 124_000,
  why: 'permission ×4 · waiting 2m04s',
  held: true,
  wait: {
    id: 'w_web',
    kind: 'permission',
    startedAt: NOW - 124_000,
    detail: { toolName: 'Bash', toolInput: { command: 'npm publish' } },
  },
})
const api = listed({
  sessionId: 'aaaa1111-0000',
  cwd: '/w/api',
  state: 'blocked:question',
  rank: 2,
  waitingMs: 250_000,
  why: 'question ×3 · waiting 4m10s',
  replyPath: 'mod',
  wait: { id: 'w_api', kind: 'question', startedAt: NOW - 250_000, detail: { message: 'Shall I run it?' } },
})
const cli = listed({ sessionId: 'cccc3333-0000', cwd: '/w/cli', state: 'working' })
const old = listed({ sessionId: 'dddd4444-0000', cwd: '/w/old', state: 'ended', why: 'ended 1h ago' })
const body: AgentsBody = { now: NOW, agents: [web, api, cli, old] }

describe('needs_me', () => {
  it('lists the blocked agents in rank order, each with what it waits for and how to answer it', () => {
    const n = needsMe(body, 'blocked', false)
    assert.ok(NeedsMeSchema.safeParse(n).success)
    assert.equal(n.blocked, 2)
    assert.deepEqual(
      n.agents.map((a) => [a.rank, a.agent, a.waitingFor, a.waiting, a.answerWith, a.waitId]),
      [
        [1, 'bbbb2222', 'Bash: npm publish', '2m04s', 'approve_or_deny', 'w_web'],
        [2, 'aaaa1111', 'Shall I run it?', '4m10s', 'reply', 'w_api'],
      ],
    )
    assert.match(n.hint, /Answering from here is off/)
    assert.match(needsMe(body, 'blocked', true).hint, /reply \/ approve \/ deny tools/)
  })

  it('live adds working agents, all adds ended ones', () => {
    assert.deepEqual(
      needsMe(body, 'live', false).agents.map((a) => a.agent),
      ['bbbb2222', 'aaaa1111', 'cccc3333'],
    )
    assert.equal(needsMe(body, 'all', false).agents.length, 4)
    const rest = needsMe(body, 'live', false).agents[2]!
    assert.deepEqual([rest.rank, rest.waitId, rest.answerWith, rest.waiting], [null, null, null, null])
  })

  it('text: one block per agent, and the hint', () => {
    const text = needsMeText(needsMe(body, 'live', false))
    assert.equal(
      text,
      [
        '2 agents waiting for the person, the most blocked first:',
        '1. web·bbbb2222 (agent "bbbb2222")  blocked:permission, waiting 2m04s',
        '   for: Bash: npm publish',
        '   why: permission ×4 · waiting 2m04s',
        '   answer: approve or deny; wait w_web',
        '2. api·aaaa1111 (agent "aaaa1111")  blocked:question, waiting 4m10s',
        '   for: Shall I run it?',
        '   why: question ×3 · waiting 4m10s',
        '   answer: reply (arrives as you); wait w_api',
        '- cli·cccc3333 (agent "cccc3333")  working: working for 1m00s',
        'Answering from here is off: the person answers with `tend reply|approve|deny <agent>`, Slack or the desktop (or enables it with `tend mcp --allow-answers`).',
      ].join('\n'),
    )
    assert.equal(
      needsMeText(needsMe({ now: NOW, agents: [cli] }, 'blocked', true)),
      'No agent is waiting for the person.',
    )
  })
})

describe('agent', () => {
  const event = (seq: number, name: string, at: number, extra: Partial<AgentBody['timeline'][number]> = {}) => ({
    seq,
    name,
    occurredAt: at,
    receivedAt: at,
    subagentId: null,
    toolName: null,
    toolUseId: null,
    late: false,
    replayed: false,
    origin: null,
    payload: {},
    ...extra,
  })
  const detail: AgentBody = {
    now: NOW,
    older: null,
    agent: { ...web, continuesSessionId: null, lastMessage: 'Publishing now.' },
    waits: [
      {
        id: 'w_1',
        sessionId: web.sessionId,
        kind: 'question',
        startedAt: NOW - 600_000,
        endedAt: NOW - 560_000,
        endedBy: 'reply',
        endedVia: 'mcp',
        answeredBy: 'ann (claude-code)',
        actor: 'main',
        detail: { message: 'Publish?' },
        workMs: 1000,
        durationMs: 40_000,
      },
      {
        id: 'w_web',
        sessionId: web.sessionId,
        kind: 'permission',
        startedAt: NOW - 124_000,
        endedAt: null,
        endedBy: null,
        endedVia: null,
        answeredBy: null,
        actor: 'main',
        detail: { toolName: 'Bash', toolInput: { command: 'npm publish' } },
        workMs: null,
        durationMs: 124_000,
      },
    ],
    timeline: [
      event(1, 'UserPromptSubmit', NOW - 700_000, { origin: 'person', payload: { prompt: 'ship\nit' } }),
      event(2, 'Stop', NOW - 600_000, { payload: { last_assistant_message: 'Publish?' } }),
      event(3, 'UserPromptSubmit', NOW - 559_000, { origin: 'reply', payload: { prompt: 'yes' } }),
      event(4, 'PermissionRequest', NOW - 124_000, {
        toolName: 'Bash',
        payload: { tool_name: 'Bash', tool_input: { command: 'npm publish' } },
      }),
    ],
  }

  it('the current wait, recent waits with who answered them via what, and the timeline with wait endings', () => {
    const info = agentInfo(detail, 20)
    assert.ok(AgentInfoSchema.safeParse(info).success)
    assert.deepEqual(info.wait, {
      id: 'w_web',
      kind: 'permission',
      startedAt: NOW - 124_000,
      waitingMs: 124_000,
      what: 'Bash: npm publish',
      detail: { toolName: 'Bash', toolInput: { command: 'npm publish' } },
    })
    assert.deepEqual(
      info.recentWaits.map((w) => w.ended),
      ['answered by ann (claude-code) via mcp', null],
    )
    assert.deepEqual(
      info.timeline.map((e) => `${e.event}: ${e.text}`),
      [
        'UserPromptSubmit: person: ship it',
        'Stop: Publish?',
        'WaitEnded: question wait answered by ann (claude-code) via mcp after 40s',
        'UserPromptSubmit: reply from tend: yes',
        'PermissionRequest: Bash: npm publish',
      ],
    )
    assert.deepEqual(
      agentInfo(detail, 2).timeline.map((e) => e.event),
      ['UserPromptSubmit', 'PermissionRequest'],
    )
    const text = agentText(info, NOW)
    assert.match(text, /^web·bbbb2222 \(agent "bbbb2222", session bbbb2222-0000\) in \/w\/web\n/)
    assert.match(text, /waits for: Bash: npm publish \(permission, 2m04s; wait w_web\)\nanswer: approve or deny\n/)
    assert.match(text, /last message:\nPublishing now\./)
    assert.match(text, /-2m04s PermissionRequest: Bash: npm publish$/)
  })

  it('eventText: one line per kind of event', () => {
    const e = (name: string, payload: object, toolName: string | null = null) =>
      eventText({ name, toolName, origin: null, payload })
    assert.equal(e('PostToolUseFailure', { error: 'exit 1' }, 'Bash'), 'Bash failed: exit 1')
    assert.equal(e('PostToolUse', {}, 'Read'), 'Read done')
    assert.equal(e('StopFailure', { error: 'rate_limit' }), 'rate_limit')
    assert.equal(e('Notification', { message: 'Claude needs your permission' }), 'Claude needs your permission')
    assert.equal(e('PreToolUse', { tool_input: {} }, 'Agent'), 'Agent')
    assert.equal(e('SessionEnd', { reason: 'clear' }), 'clear')
    assert.equal(e('PreCompact', {}), '')
  })
})

describe('registration', () => {
  it('runs this Node and this tend, with the environment that points it at the same receiver; never the token', () => {
    const config = loadConfig({ TEND_HOME: '/t/home', TEND_PORT: '4999', TEND_TOKEN: 'x'.repeat(20) })
    assert.deepEqual(
      tendServerConfig(config, { allowAnswers: false, env: { TEND_HOME: '/t/home', TEND_PORT: '4999' } }),
      {
        type: 'stdio',
        command: process.execPath,
        args: [TEND_BIN, 'mcp'],
        env: { TEND_HOME: '/t/home', TEND_URL: 'http://127.0.0.1:4999' },
      },
    )
    const plain = tendServerConfig(loadConfig({ HOME: '/h' }), { allowAnswers: true, env: { HOME: '/h' } })
    assert.deepEqual(plain.args, [TEND_BIN, 'mcp', '--allow-answers'])
    assert.equal(plain.env, undefined)
  })

  it('recognises a server that runs tend mcp, however it is launched', () => {
    assert.ok(runsTendMcp({ command: '/usr/bin/node', args: ['/opt/tend/bin/tend', 'mcp'] }))
    assert.ok(runsTendMcp({ command: '/home/me/.npm/bin/tend', args: ['mcp', '--allow-answers'] }))
    assert.ok(!runsTendMcp({ command: '/usr/bin/node', args: ['/opt/tend/bin/tend', 'serve'] }))
    assert.ok(!runsTendMcp({ command: 'npx', args: ['other-server'] }))
    assert.ok(!runsTendMcp({ type: 'http', url: 'http://x' }))
  })

  it('the manual line quotes the JSON for a shell', () => {
    const line = addJsonCommand({ type: 'stdio', command: "/it's/node", args: ['tend', 'mcp'] })
    assert.equal(
      line,
      `claude mcp add-json --scope user tend '{"type":"stdio","command":"/it'\\''s/node","args":["tend","mcp"]}'`,
    )
  })
})
