// Proves the Anthropic mock and the claude runners work with the real Claude Code binary.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { EXHAUSTED_TEXT, lastUserText, startAnthropicMock, toolResults, turn } from '../fakes/anthropic-mock.ts'
import type { AnthropicMock, Turn } from '../fakes/anthropic-mock.ts'
import { runClaude, startInteractiveClaude, stopHookFeedback } from '../helpers/claude.ts'

const RECORDED = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PostToolUseFailure',
  'Stop',
  'StopFailure',
  'SessionEnd',
]

interface HookEvent {
  hook_event_name: string
  [key: string]: unknown
}

interface Fixture {
  cwd: string
  settingsPath: string
  mock: AnthropicMock
  events(): HookEvent[]
}

/** A work dir, a mock with the script, and settings whose hooks append their stdin to events.jsonl. */
async function setup(t: TestContext, script: Turn[], extraHooks: Record<string, unknown[]> = {}): Promise<Fixture> {
  // realpath: Claude Code reports cwd resolved, and the trust entry in ~/.claude.json must match it.
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'tend-e2e-')))
  const file = join(cwd, 'events.jsonl')
  const record = { hooks: [{ type: 'command', command: `cat >> '${file}'; echo >> '${file}'` }] }
  const hooks: Record<string, unknown[]> = Object.fromEntries(RECORDED.map((e) => [e, [record]]))
  for (const [event, entries] of Object.entries(extraHooks)) hooks[event] = [...(hooks[event] ?? []), ...entries]
  const settingsPath = join(cwd, 'settings.json')
  writeFileSync(settingsPath, JSON.stringify({ hooks }))
  const mock = await startAnthropicMock(script)
  t.after(async () => {
    await mock.close()
    rmSync(cwd, { recursive: true, force: true })
  })
  return {
    cwd,
    settingsPath,
    mock,
    events: () => (existsSync(file) ? parseConcatenatedJson(readFileSync(file, 'utf8')) : []),
  }
}

/** Parallel hooks append concurrently, so objects and newlines may interleave: split on balanced braces. */
function parseConcatenatedJson(text: string): HookEvent[] {
  const out: HookEvent[] = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' && depth++ === 0) start = i
    else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as HookEvent)
  }
  return out
}

const names = (events: HookEvent[]): string[] => events.map((e) => e.hook_event_name)

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = fn()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

test('mock: side calls, non-stream answers, pushed turns and exhaustion', async (t) => {
  const mock = await startAnthropicMock([turn.text('first')])
  t.after(() => mock.close())
  type Reply = { content: unknown[]; stop_reason: string }
  const post = async (body: object): Promise<Reply> =>
    (await (
      await fetch(`${mock.url}/v1/messages?beta=true`, { method: 'POST', body: JSON.stringify(body) })
    ).json()) as Reply
  const title = await post({
    tools: [],
    output_config: { format: { type: 'json_schema', schema: { properties: { title: {} } } } },
  })
  assert.deepEqual(title.content, [{ type: 'text', text: '{"title":"Mock session"}' }])
  assert.equal(mock.remaining(), 1, 'a tool-less call must not consume a turn')

  const tools = [{ name: 'Bash' }]
  const first = await post({ tools })
  assert.deepEqual(first.content, [{ type: 'text', text: 'first' }])
  mock.push(turn.tool('Bash', { command: 'true' }))
  const second = await post({ tools })
  assert.deepEqual(second.content, [{ type: 'tool_use', id: 'toolu_mock_1', name: 'Bash', input: { command: 'true' } }])
  assert.equal(second.stop_reason, 'tool_use')
  const third = await post({ tools })
  assert.deepEqual(third.content, [{ type: 'text', text: EXHAUSTED_TEXT }])
  assert.equal((await mock.waitForRequests(3, 100)).length, 3)
  await assert.rejects(mock.waitForRequests(4, 50), /waited 50 ms/)
})

test('-p session: hooks fire in order and the model sees the tool result', async (t) => {
  const { cwd, settingsPath, mock, events } = await setup(t, [
    turn.tool('Bash', { command: 'echo hello-from-mock', description: 'Print greeting' }, { text: 'Let me run that.' }),
    turn.text('Done.'),
  ])
  const res = await runClaude({ prompt: 'say hi', cwd, settingsPath, mockUrl: mock.url })
  assert.equal(res.code, 0, res.stderr)
  assert.equal(res.stdout.trim(), 'Done.')
  assert.deepEqual(names(events()), [
    'SessionStart',
    'UserPromptSubmit',
    'PreToolUse',
    'PostToolUse',
    'Stop',
    'SessionEnd',
  ])
  const pre = events().find((e) => e.hook_event_name === 'PreToolUse')
  assert.equal(pre?.tool_use_id, 'toolu_mock_1')
  const models = mock.modelRequests()
  assert.equal(models.length, 2)
  assert.equal(models[0]?.path, '/v1/messages?beta=true')
  assert.match(lastUserText(models[0]!), /say hi/)
  assert.equal(lastUserText(models[1]!), 'hello-from-mock')
  assert.deepEqual(toolResults(models[1]!), [{ toolUseId: 'toolu_mock_1', text: 'hello-from-mock', isError: false }])
  assert.equal(mock.remaining(), 0)
})

test('-p session: a Stop hook block reaches the model as "Stop hook feedback"', async (t) => {
  // Blocks only the first Stop; the second one carries stop_hook_active: true.
  const blockOnce = `grep -q '"stop_hook_active":false' && echo '{"decision":"block","reason":"keep going"}' || true`
  const { cwd, settingsPath, mock, events } = await setup(
    t,
    [turn.text('First answer.'), turn.text('Second answer.')],
    {
      Stop: [{ hooks: [{ type: 'command', command: blockOnce }] }],
    },
  )
  const res = await runClaude({ prompt: 'go', cwd, settingsPath, mockUrl: mock.url })
  assert.equal(res.code, 0, res.stderr)
  assert.equal(lastUserText(mock.modelRequests()[1]!), stopHookFeedback('keep going'))
  assert.deepEqual(
    events()
      .filter((e) => e.hook_event_name === 'Stop')
      .map((e) => e.stop_hook_active),
    [false, true],
  )
})

test('-p session: parallel tool calls in one turn', async (t) => {
  const { cwd, settingsPath, mock, events } = await setup(t, [
    turn.tools([
      { name: 'Bash', input: { command: 'echo one' } },
      { name: 'Bash', input: { command: 'echo two' } },
    ]),
    turn.text('Both ran.'),
  ])
  const res = await runClaude({ prompt: 'run both', cwd, settingsPath, mockUrl: mock.url })
  assert.equal(res.code, 0, res.stderr)
  const pre = events()
    .filter((e) => e.hook_event_name === 'PreToolUse')
    .map((e) => e.tool_use_id)
  assert.deepEqual([...pre].sort(), ['toolu_mock_1', 'toolu_mock_2'])
  assert.equal(events().filter((e) => e.hook_event_name === 'PostToolUse').length, 2)
  // Both results come back in one user message, in completion order.
  const results = toolResults(mock.modelRequests()[1]!).sort((a, b) => a.toolUseId.localeCompare(b.toolUseId))
  assert.deepEqual(results, [
    { toolUseId: 'toolu_mock_1', text: 'one', isError: false },
    { toolUseId: 'toolu_mock_2', text: 'two', isError: false },
  ])
})

test('interactive tmux session: permission dialog, PermissionRequest hook, approval runs the tool', async (t) => {
  const { cwd, settingsPath, mock, events } = await setup(t, [
    turn.tool('Bash', { command: 'touch marker && echo touched', description: 'Create marker' }),
    turn.text('Done.'),
  ])
  const claude = await startInteractiveClaude({ cwd, settingsPath, mockUrl: mock.url })
  t.after(() => claude.kill())
  await claude.waitForScreen('? for shortcuts', 15_000) // the input box is ready
  await claude.sendText('make a marker')
  const dialog = await claude.waitForScreen('Do you want to proceed?', 20_000)
  assert.match(dialog, /❯ 1\. Yes/)
  assert.match(dialog, /touch marker && echo touched/)
  const permission = await until('PermissionRequest', () =>
    events().find((e) => e.hook_event_name === 'PermissionRequest'),
  )
  assert.equal(permission.tool_name, 'Bash')
  assert.equal(permission.permission_mode, 'default')
  assert.equal(existsSync(join(cwd, 'marker')), false, 'the tool must wait for approval')

  await claude.choose(/^Yes$/)
  await until('Stop', () => events().find((e) => e.hook_event_name === 'Stop'))
  assert.ok(existsSync(join(cwd, 'marker')))
  await claude.waitForScreen('Done.', 20_000)
  assert.deepEqual(names(events()), [
    'SessionStart',
    'UserPromptSubmit',
    'PreToolUse',
    'PermissionRequest',
    'PostToolUse',
    'Stop',
  ])
  assert.equal(lastUserText(mock.modelRequests()[1]!), 'touched')
})
