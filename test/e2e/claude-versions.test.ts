// E2E: what changed in Claude Code between 2.1.197 and 2.1.332, and what tend shows for each version.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { observedEvents } from '../../src/cli/hook-settings.ts'
import { turn } from '../fakes/anthropic-mock.ts'
import {
  CLAUDE_BIN,
  CLAUDE_VERSION,
  claudeAtLeast,
  requireTool,
  startInteractiveClaude,
  type InteractiveClaude,
  type InteractiveOptions,
} from '../helpers/claude.ts'
import { runTend } from '../helpers/cli.ts'
import {
  runUntilStopFailure,
  setupAwayE2E,
  setupE2E,
  timelineNames,
  waitFor,
  type AgentDetail,
  type E2E,
  type Listed,
} from '../helpers/e2e.ts'

/** The Agent tool runs subagents in the background by default (seen in 2.1.330 and 2.1.332). */
const BACKGROUND_SUBAGENTS = claudeAtLeast('2.1.330')
/** An HTTP 400 is retried five times (dropping optional betas each time) before StopFailure. */
const RETRIES_AFTER_400 = claudeAtLeast('2.1.332') ? 5 : 0
/** `claude` with no --permission-mode starts in auto mode. */
const AUTO_MODE_DEFAULT = claudeAtLeast('2.1.332')
/** Agent View reports background sessions through Notification hooks (2.1.198+, per the hooks reference). */
const AGENT_VIEW_NOTIFICATIONS = claudeAtLeast('2.1.198')

const READY = '? for shortcuts'
const DIALOG = 'Do you want to proceed?'
const AGENT_CALL = { description: 'Survey the repo', prompt: 'Look around', subagent_type: 'general-purpose' }

const openWaits = (d: AgentDetail) => d.waits.filter((w) => w.endedAt === null)
const mainEvents = (d: AgentDetail, name: string) => d.timeline.filter((e) => e.name === name && !e.subagentId)

/** A gate (a sync hook of the person's own) on one tool event, only for calls matching a permission rule. */
function gateIf(e2e: E2E, event: string, rule: string, name: string) {
  const dir = join(e2e.root, 'gates')
  mkdirSync(dir, { recursive: true })
  const reached = join(dir, `${name}.reached`)
  const open = join(dir, `${name}.open`)
  const command = `cat >/dev/null; touch '${reached}'; while [ ! -e '${open}' ]; do sleep 0.02; done`
  const [tool] = rule.split('(')
  e2e.userHook(event, { matcher: tool, hooks: [{ type: 'command', command, timeout: 60, if: rule }] })
  return {
    reached: async (timeoutMs = 40_000) => void (await waitFor(() => existsSync(reached), timeoutMs, `gate ${name}`)),
    open: () => writeFileSync(open, ''),
  }
}

/**
 * An interactive Claude Code started with options the harness's e2e.interactive() does not take. Call it
 * before setupE2E: after-hooks run in order, so it is killed before the harness removes its HOME.
 */
function ownInteractive(t: TestContext) {
  const started: InteractiveClaude[] = []
  t.after(async () => {
    for (const c of started) await c.kill()
  })
  return {
    async start(opts: InteractiveOptions) {
      const claude = await startInteractiveClaude(opts)
      started.push(claude)
      return claude
    },
  }
}

test('a subagent: background on 2.1.332 (Stop, SubagentStop, <task-notification>, Stop), foreground on 2.1.197; working while it runs, one wait, and the notification is not the person', async (t) => {
  const { e2e, services, tend } = await setupAwayE2E(t)
  const cwd = e2e.project('survey')
  const final = 'The survey found two files. Shall I write it up?'
  // The gate at SubagentStart holds the subagent before its first model call, so the script is consumed in
  // a fixed order: in the background the main agent answers (and stops) first, in the foreground it waits.
  const mock = await e2e.mock(
    BACKGROUND_SUBAGENTS
      ? [
          turn.tool('Agent', AGENT_CALL),
          turn.text('The survey runs in the background.'),
          turn.text('Subagent report: two files.'),
          turn.text(final),
        ]
      : [turn.tool('Agent', AGENT_CALL), turn.text('Subagent report: two files.'), turn.text(final)],
  )
  const prompted = e2e.gate('UserPromptSubmit')
  const atSubagent = e2e.gate('SubagentStart')
  const run = e2e.claude({ prompt: 'survey the repo', cwd, mock })

  // The prompt is the person's; then they step away, so a Stop that opens a wait is held for a reply.
  await prompted.reached()
  const agent = await e2e.agentIn(cwd)
  await e2e.until(agent.sessionId, (d) => d.agent.state === 'working', 'the prompt recorded')
  await tend('away')
  prompted.open()

  await atSubagent.reached()
  const during = await e2e.until(
    agent.sessionId,
    (d) =>
      d.timeline.some((e) => e.name === 'SubagentStart') &&
      (!BACKGROUND_SUBAGENTS || (mainEvents(d, 'Stop').length === 1 && mainEvents(d, 'PostToolUse').length === 1)),
    BACKGROUND_SUBAGENTS ? 'the first Stop, with the subagent still running' : 'the subagent started',
  )
  assert.equal(during.agent.state, 'working', 'a running subagent: nobody is waited on')
  assert.deepEqual(during.waits, [])
  assert.deepEqual(services.holds.list(), [], 'no wait, so nothing held although the person is away')
  const agentResult = mainEvents(during, 'PostToolUse')[0]?.payload['tool_response'] as { status?: string } | undefined
  if (BACKGROUND_SUBAGENTS) {
    assert.equal(agentResult?.status, 'async_launched')
    const [firstStop] = mainEvents(during, 'Stop')
    assert.deepEqual(
      (firstStop!.payload['background_tasks'] as Array<{ type: string; status: string }>).map((b) => [
        b.type,
        b.status,
      ]),
      [['subagent', 'running']],
    )
  } else {
    assert.equal(agentResult, undefined, 'the Agent call returns only when the subagent is done')
  }
  atSubagent.open()

  // The final Stop opens the one wait, and it is held: the task notification did not bring the person back.
  const hold = await waitFor(() => services.holds.list()[0], 20_000, 'the final Stop held')
  assert.equal(hold.event, 'Stop')
  // The observers (the prompts, the Agent call's result) are async hooks: they may land after the held Stop.
  const observed = (d: AgentDetail) =>
    BACKGROUND_SUBAGENTS ? mainEvents(d, 'UserPromptSubmit').length === 2 : mainEvents(d, 'PostToolUse').length >= 1
  const done = await e2e.until(
    agent.sessionId,
    (d) => d.agent.state === 'blocked:question' && observed(d),
    'blocked:question, every observer heard',
  )
  assert.deepEqual(
    done.waits.map((w) => [w.kind, w.actor, w.endedBy, w.detail['message']]),
    [['question', 'main', null, final]],
  )
  const prompts = mainEvents(done, 'UserPromptSubmit').map((e) => String(e.payload['prompt']))
  const stops = mainEvents(done, 'Stop')
  if (BACKGROUND_SUBAGENTS) {
    assert.equal(prompts.length, 2)
    assert.equal(prompts[0], 'survey the repo')
    assert.match(prompts[1]!, /^<task-notification>\n<task-id>\w+<\/task-id>[\s\S]*<status>completed<\/status>/)
    assert.equal(stops.length, 2)
    assert.deepEqual(stops[1]!.payload['background_tasks'], [])
    const notification = mainEvents(done, 'UserPromptSubmit')[1]!
    const subagentStop = done.timeline.find((e) => e.name === 'SubagentStop')!
    assert.ok(stops[0]!.occurredAt <= subagentStop.occurredAt && subagentStop.occurredAt <= notification.occurredAt)
    const presence = services.presence()
    assert.equal(presence.away, true, 'the <task-notification> prompt is not the person coming back')
    assert.ok(presence.lastSeenAt < notification.occurredAt, 'nor a sign of them')
  } else {
    assert.deepEqual(prompts, ['survey the repo'])
    assert.equal(stops.length, 1)
    const result = mainEvents(done, 'PostToolUse')[0]!.payload['tool_response'] as { status?: string }
    assert.equal(result.status, 'completed')
    assert.equal(services.presence().away, true)
  }
  assert.ok(!done.waits.some((w) => w.endedBy === 'terminal'), 'no wait ended as answered at the terminal')

  assert.match(await tend('back'), /1 held Stop released/)
  const res = await run
  assert.equal(res.code, 0, res.stderr)
  assert.match(res.stdout, /Shall I write it up\?/)
  const ended = await e2e.until(agent.sessionId, (d) => d.agent.state === 'ended', 'ended')
  assert.equal(ended.waits.length, 1, 'exactly one wait over the whole session')
})

test('an HTTP 400 from the model API: StopFailure after the first call on 2.1.197, after five retries on 2.1.332', async (t) => {
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const { mock, atFailure, res } = await runUntilStopFailure(e2e, 'svc')
  assert.equal(mock.modelRequests().length, 1 + RETRIES_AFTER_400)
  const failures = atFailure.timeline.filter((e) => e.name === 'StopFailure')
  assert.deepEqual(
    failures.map((e) => [e.payload['error'], e.payload['last_assistant_message']]),
    [['unknown', 'API Error: 400 mock bad request']],
    'one StopFailure, after the last retry',
  )
  assert.equal(res.code, 1)
  assert.match(res.stdout, /API Error: 400 mock bad request/)
})

test('an API error that ends the turn at once (413) on both versions: blocked:error; a single 400 is retried away on 2.1.332', async (t) => {
  requireTool('tmux')
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('api')
  let sessionId = ''
  // Each answer comes once tend has heard the prompt it answers: an error at once would otherwise lead to a
  // StopFailure whose observer can land before the prompt's (both async; 2.1.197 gives them no prompt_id).
  const heard = (n: number) => () =>
    e2e.until(
      sessionId,
      (d) => d.timeline.filter((e) => e.name === 'UserPromptSubmit').length >= n,
      `prompt ${n} heard`,
    )
  const mock = await e2e.mock([
    turn.error(413, 'request_too_large', 'mock too large', { until: heard(1) }),
    turn.error(400, 'invalid_request_error', 'mock bad request', { until: heard(2) }),
    turn.text('Recovered.', { until: heard(RETRIES_AFTER_400 > 0 ? 2 : 3) }),
    turn.text('Recovered again.'),
  ])
  const claude = await e2e.interactive({ cwd, mock })
  await claude.waitForScreen(READY, 15_000)
  const agent = await e2e.agentIn(cwd)
  sessionId = agent.sessionId
  const stateIs = (state: string, count: number) =>
    e2e.until(
      agent.sessionId,
      (d) => d.agent.state === state && d.waits.length === count,
      `${state} with ${count} wait(s)`,
    )

  // 413: one call, then StopFailure at once on both versions (no retry, unlike 400, 401 and 5xx).
  await claude.sendText('first')
  await claude.waitForScreen('Request too large', 20_000)
  const failed = await stateIs('blocked:error', 1)
  const wait = openWaits(failed)[0]!
  assert.equal(wait.kind, 'error')
  assert.equal(wait.detail['error'], 'invalid_request')
  assert.match(String(wait.detail['message']), /^Request too large \(max 32MB\)/)
  const stopFailure = failed.timeline.find((e) => e.name === 'StopFailure')!
  assert.match(String(stopFailure.payload['error_details']), /^request_too_large: 413 /)
  assert.equal(mock.modelRequests().length, 1)

  // A single 400: 2.1.332 retries it and the retry succeeds; 2.1.197 fails the turn.
  await claude.sendText('second')
  if (RETRIES_AFTER_400 > 0) {
    await claude.waitForScreen('Recovered.', 20_000)
    const done = await stateIs('blocked:done', 2)
    assert.deepEqual(
      done.waits.map((w) => [w.kind, w.endedBy]),
      [
        ['error', 'terminal'],
        ['done', null],
      ],
    )
    assert.equal(mock.modelRequests().length, 3, '413, then the 400 and its successful retry')
  } else {
    await claude.waitForScreen('mock bad request', 20_000)
    const failedAgain = await stateIs('blocked:error', 2)
    assert.deepEqual(
      failedAgain.waits.map((w) => [w.kind, w.endedBy]),
      [
        ['error', 'terminal'],
        ['error', null],
      ],
    )
    await claude.sendText('third')
    await claude.waitForScreen('Recovered.', 20_000)
    await stateIs('blocked:done', 3)
    assert.equal(mock.modelRequests().length, 3)
  }
  const last = await e2e.agent(agent.sessionId)
  assert.equal(last.timeline.filter((e) => e.name === 'StopFailure').length, RETRIES_AFTER_400 > 0 ? 1 : 2)
})

test("each version's default interactive mode: echo runs unasked on both; touch asks on 2.1.197 (blocked:permission), runs in auto mode on 2.1.332 (working)", async (t) => {
  requireTool('tmux')
  const own = ownInteractive(t)
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const cwd = e2e.project('site')
  const mock = await e2e.mock([
    turn.tool('Bash', { command: 'echo hello', description: 'Say hello' }),
    turn.text('Said hello.'),
    turn.tool('Bash', { command: 'touch marker', description: 'Create marker' }),
    turn.text('Marker created.'),
  ])
  const echoRan = gateIf(e2e, 'PostToolUse', 'Bash(echo *)', 'echo-ran')
  const touchRan = gateIf(e2e, 'PostToolUse', 'Bash(touch *)', 'touch-ran')
  // The harness always names a mode; name the one `claude` starts in by itself.
  const mode = AUTO_MODE_DEFAULT ? 'auto' : 'default'
  const claude = await own.start({
    cwd,
    home: e2e.home,
    settingsPath: e2e.settingsPath,
    mockUrl: mock.url,
    permissionMode: mode,
  })
  await claude.waitForScreen(AUTO_MODE_DEFAULT ? 'auto mode on' : READY, 15_000)
  const agent = await e2e.agentIn(cwd)
  const permissionRequests = (d: AgentDetail) => d.timeline.filter((e) => e.name === 'PermissionRequest').length

  // A harmless command: no dialog on either version; tend shows the agent working while it runs.
  await claude.sendText('say hello')
  await echoRan.reached()
  const echoing = await e2e.until(
    agent.sessionId,
    (d) => timelineNames(d).includes('PostToolUse:Bash'),
    'the echo call recorded',
  )
  assert.equal(echoing.agent.state, 'working')
  assert.deepEqual(echoing.waits, [])
  assert.equal(permissionRequests(echoing), 0)
  echoRan.open()
  await claude.waitForScreen('Said hello.', 20_000)
  await e2e.until(agent.sessionId, (d) => d.agent.state === 'blocked:done', 'blocked:done after the echo')

  await claude.sendText('make a marker')
  if (AUTO_MODE_DEFAULT) {
    // Auto mode runs it with no dialog and no PermissionRequest: tend must show working, not blocked.
    await touchRan.reached()
    const touching = await e2e.until(
      agent.sessionId,
      (d) => d.timeline.filter((e) => e.name === 'PostToolUse').length === 2,
      'the touch call recorded',
    )
    assert.equal(touching.agent.state, 'working')
    assert.equal(permissionRequests(touching), 0)
    assert.deepEqual(
      touching.waits.map((w) => [w.kind, w.endedBy]),
      [['done', 'terminal']],
    )
    assert.ok(existsSync(join(cwd, 'marker')))
  } else {
    // Default mode asks: PermissionRequest makes tend show blocked:permission until it is answered.
    await claude.waitForScreen(DIALOG, 20_000)
    const asking = await e2e.until(
      agent.sessionId,
      (d) => d.agent.state === 'blocked:permission' && d.timeline.filter((e) => e.name === 'PreToolUse').length === 2,
      'blocked:permission',
    )
    const wait = openWaits(asking)[0]!
    assert.deepEqual([wait.kind, wait.detail['toolName']], ['permission', 'Bash'])
    assert.equal((wait.detail['toolInput'] as { command?: string }).command, 'touch marker')
    assert.equal(existsSync(join(cwd, 'marker')), false)
    await claude.choose(/^Yes$/)
    await touchRan.reached()
    const touching = await e2e.until(agent.sessionId, (d) => d.agent.state === 'working', 'working once answered')
    assert.deepEqual(
      touching.waits.map((w) => [w.kind, w.endedBy]),
      [
        ['done', 'terminal'],
        ['permission', 'terminal'],
      ],
    )
  }
  touchRan.open()
  await claude.waitForScreen('Marker created.', 20_000)
  const done = await e2e.until(agent.sessionId, (d) => d.agent.state === 'blocked:done', 'blocked:done')
  assert.equal(permissionRequests(done), AUTO_MODE_DEFAULT ? 0 : 1)
})

test('Agent View (`claude agents`): its agent_needs_input about a background session (2.1.332) blocks nobody and makes no agent; the session reports its own wait', async (t) => {
  requireTool('tmux')
  const own = ownInteractive(t)
  const e2e = await setupE2E(t)
  const { services } = await e2e.startReceiver()
  const cwd = e2e.project('colours')
  const question = 'Which colour?'
  const mock = await e2e.mock([
    turn.tool('AskUserQuestion', {
      questions: [
        {
          question,
          header: 'Colour',
          options: [
            { label: 'Red', description: 'warm' },
            { label: 'Blue', description: 'cool' },
          ],
          multiSelect: false,
        },
      ],
    }),
    turn.text('Blue it is.'),
  ])
  // Background sessions are started by a daemon, which 2.1.197 does not pass ANTHROPIC_BASE_URL on to.
  mkdirSync(join(e2e.home, '.claude'), { recursive: true })
  writeFileSync(join(e2e.home, '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_BASE_URL: mock.url } }))

  // The viewer, dispatching a background session from its prompt (both get tend's hooks through --settings).
  const viewer = await own.start({
    cwd,
    home: e2e.home,
    settingsPath: e2e.settingsPath,
    mockUrl: mock.url,
    extraArgs: ['agents'],
  })
  await viewer.waitForScreen('describe a task for a new session', 15_000)
  await viewer.sendText('pick a colour')

  const byEvent = async (match: (d: AgentDetail) => boolean): Promise<AgentDetail | undefined> => {
    for (const a of await e2e.agents()) {
      const d = await e2e.agent(a.sessionId)
      if (match(d)) return d
    }
    return undefined
  }
  const asked = (d: AgentDetail) => d.timeline.some((e) => e.name === 'PreToolUse' && e.toolName === 'AskUserQuestion')
  const notified = (type: string) => (d: AgentDetail) =>
    d.timeline.some((e) => e.name === 'Notification' && e.payload['notification_type'] === type)

  // The background session reports its own wait: its question, then (in the background, both versions) a
  // PermissionRequest for the AskUserQuestion call. The two hooks race, so either wait may be the open one.
  // The daemon starts the background session: several Claude Code processes, slow on a busy machine.
  const asking = () => byEvent((d) => asked(d) && d.timeline.some((e) => e.name === 'PermissionRequest'))
  const diagnosed = async (err: Error) => {
    const seen = []
    for (const a of await e2e.agents())
      seen.push(`${a.sessionId.slice(0, 8)} ${a.state}: ${timelineNames(await e2e.agent(a.sessionId)).join(' ')}`)
    const calls = mock.modelRequests().length
    return new Error(
      `${err.message}\nagents: ${seen.join('; ') || 'none'}\nmodel calls: ${calls}\nAgent View's screen:\n${await viewer.capture()}`,
    )
  }
  let session = await waitFor(asking, 60_000, 'the background session asking').catch((err: Error) => err)
  // On a loaded machine 2.1.197's daemon once left the session "starting…" for over a minute (its SessionStart
  // heard, then nothing): with no model call made, the task is dispatched once more, on the script unread.
  if (session instanceof Error && mock.modelRequests().length === 0) {
    t.diagnostic(`no background session came up: dispatched again\n${(await diagnosed(session)).message}`)
    await viewer.sendText('pick a colour')
    session = await waitFor(asking, 60_000, 'the background session asking').catch((err: Error) => err)
  }
  if (session instanceof Error) throw await diagnosed(session)
  assert.match(session.agent.state, /^blocked:(permission|question)$/)
  assert.equal(openWaits(session).length, 1)

  /** Agent View's notices, as stored: under the viewer's session id, which is no agent of tend's. */
  const viewerNotices = () =>
    (
      services.store.sqlite
        .prepare(`select session_id as sessionId, payload from events where name = 'Notification'`)
        .all() as Array<{ sessionId: string; payload: string }>
    )
      .map((r) => ({ sessionId: r.sessionId, payload: JSON.parse(r.payload) as Record<string, unknown> }))
      .filter((r) => r.payload['notification_type'] === 'agent_needs_input')
  if (AGENT_VIEW_NOTIFICATIONS) {
    const [notice] = await waitFor(() => viewerNotices().length > 0 && viewerNotices(), 20_000, 'agent_needs_input')
    assert.ok(String(notice!.payload['message']).includes(`needs your input: answer: ${question}`))
    assert.notEqual(notice!.sessionId, session.agent.sessionId, "it comes under the viewer's session id")
    assert.ok(
      !(await e2e.agents()).some((a: Listed) => a.sessionId === notice!.sessionId),
      'a session tend only heard an Agent View notice from is no agent',
    )
  }
  // Either way the background session's late permission_prompt arrives; by then no Agent View notice
  // has touched its wait (and 2.1.197 sent none).
  const later = await waitFor(
    () => byEvent((d) => asked(d) && notified('permission_prompt')(d)),
    30_000,
    'the permission_prompt Notification',
  )
  assert.equal(later.agent.state, session.agent.state)
  assert.deepEqual(
    later.waits.map((w) => [w.kind, w.endedBy]),
    session.waits.map((w) => [w.kind, w.endedBy]),
  )
  if (!AGENT_VIEW_NOTIFICATIONS) assert.deepEqual(viewerNotices(), [])
  assert.ok(
    !(await e2e.agents()).some((a: Listed) => a.state.startsWith('blocked:') && a.sessionId !== later.agent.sessionId),
  )
})

test(`tend install --claude: the hook events the installed Claude Code knows (${CLAUDE_VERSION}); /model is stored where it fires`, async (t) => {
  requireTool('tmux')
  const e2e = await setupE2E(t)
  await e2e.startReceiver()
  const newer = ['DirectoryAdded', 'PreModelSwitch', 'PostModelSwitch', 'PreSkillShellCommand']
  const known = newer.filter((e) => observedEvents(CLAUDE_VERSION).includes(e))
  assert.deepEqual(known, claudeAtLeast('2.1.332') ? newer : [])

  const installed = await runTend(['install', '--settings', e2e.settingsPath, '--claude', CLAUDE_BIN], e2e.env)
  assert.equal(installed.code, 0, installed.stderr)
  assert.match(installed.stdout, new RegExp(`^Claude Code ${CLAUDE_VERSION.replace(/\./g, '\\.')}: `, 'm'))
  const hooks = (JSON.parse(readFileSync(e2e.settingsPath, 'utf8')) as { hooks: Record<string, unknown> }).hooks
  assert.deepEqual(
    newer.filter((e) => hooks[e]),
    known,
  )
  assert.equal(hooks['WorktreeCreate'], undefined, 'an observer there would make `claude --worktree` fail')
  assert.equal(hooks['WorktreeRemove'], undefined)

  const cwd = e2e.project('models')
  const mock = await e2e.mock([turn.text('Hello from the new model.')])
  const claude = await e2e.interactive({ cwd, mock })
  // No "Settings Warning" dialog: every event named in the settings is one this version knows.
  const screen = await claude.waitForScreen(READY, 15_000)
  assert.doesNotMatch(screen, /Settings Warning|Unknown hook event/)
  const agent = await e2e.agentIn(cwd)

  await claude.sendText('/model sonnet')
  await claude.waitForScreen(/Set model to Sonnet/, 20_000)
  await claude.sendText('hello')
  await claude.waitForScreen('Hello from the new model.', 20_000)
  const done = await e2e.until(agent.sessionId, (d) => d.agent.state === 'blocked:done', 'blocked:done')
  const switches = done.timeline.filter((e) => e.name.endsWith('ModelSwitch'))
  if (known.length > 0) {
    // Two async hooks started together: which one stamps its time first is the scheduler's choice.
    assert.deepEqual(switches.map((e) => [e.name, e.payload['requested_model'], e.payload['source']]).sort(), [
      ['PostModelSwitch', 'sonnet', 'command'],
      ['PreModelSwitch', 'sonnet', 'command'],
    ])
    assert.match(String(switches.find((e) => e.name === 'PreModelSwitch')!.payload['to_model']), /sonnet/)
  } else {
    assert.deepEqual(switches, [])
  }
  assert.deepEqual(
    done.waits.map((w) => w.kind),
    ['done'],
    'a model switch is neither work nor a wait',
  )
})
