// The attention measures on constructed histories with known answers: real hook payloads through the
// receiver into a real SQLite file, then GET /v1/metrics and GET /v1/report.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { makeApp, TEST_TOKEN, type TestApp } from '../helpers/app.ts'
import { payload } from '../helpers/payloads.ts'
import { prunePayloadsBatch } from '../../src/store/retention.ts'

const MIN = 60_000
const T = Date.UTC(2026, 10, 2, 8, 0) // a Monday, 08:00 UTC
let t: TestApp

afterEach(() => t?.close())

function app(configFile: object = {}) {
  t = makeApp({ now: T, configFile })
  return t
}

/** One agent of the constructed history: each call posts a real payload at `min` minutes after T. */
function agent(sessionId: string, project: string) {
  const cwd = `/nonexistent/work/${project}`
  let turn = 0
  let tool = 0
  const send = async (key: string, min: number, overrides: Record<string, unknown> = {}) => {
    const at = T + min * MIN
    t.clock.now = Math.max(t.clock.now, at)
    const body = payload(key, { session_id: sessionId, cwd, prompt_id: `${sessionId}-p${turn}`, ...overrides })
    const res = await t.post('/v1/hooks', body, { 'x-tend-time': String(at) })
    assert.equal(res.status, 200, await res.clone().text())
  }
  return {
    start: (min: number) => send('SessionStart:startup', min),
    /** The person types an instruction. */
    prompt: (min: number) => {
      turn++
      return send('UserPromptSubmit', min, { prompt: `step ${turn}` })
    },
    /** Claude Code's own prompt when a background task ends: no sign of the person. */
    taskNotification: (min: number) => {
      turn++
      return send('UserPromptSubmit:task-notification@2.1.330', min)
    },
    done: (min: number, message = 'Finished.') => send('Stop', min, { last_assistant_message: message }),
    doneWithBackground: (min: number) => send('Stop:background@2.1.330', min),
    question: (min: number) => send('Stop', min, { last_assistant_message: 'Should I use Postgres or SQLite?' }),
    /** A permission dialog, answered in the terminal at `answered` (the tool's result follows). */
    permission: async (min: number, answered: number, command = 'npm test') => {
      tool++
      const input = { command, description: 'run' }
      await send('PermissionRequest', min, { tool_name: 'Bash', tool_input: input })
      await send('PostToolUse', answered, {
        tool_name: 'Bash',
        tool_input: input,
        tool_use_id: `${sessionId}-t${tool}`,
      })
    },
    subagentWork: async (min: number) => {
      await send('SubagentStart:agent', min)
      await send('PreToolUse:agent', min)
      await send('PostToolUse:agent', min)
      await send('SubagentStop:agent', min)
    },
  }
}

function putPresence(away: boolean) {
  return t.app.request('http://127.0.0.1/v1/presence', {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ away }),
  })
}

async function metrics(days = 1) {
  const res = await t.get(`/v1/metrics?days=${days}`)
  assert.equal(res.status, 200)
  return (await res.json()) as any
}

describe('attention measures on constructed histories', () => {
  it('one agent, five instructions: T_work 10m, T_instruct 2m, N 5, idle 10 agent-minutes', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000001', 'api')
    await a.start(0)
    await a.prompt(0)
    for (let i = 0; i < 5; i++) {
      const at = i * 12
      await a.done(at + 10)
      await a.prompt(at + 12)
    }
    t.clock.now = T + 61 * MIN
    const m = await metrics()
    assert.deepEqual(m.fleet.tWork, { samples: 5, median: 10 * MIN, iqr: [10 * MIN, 10 * MIN] })
    assert.deepEqual(m.fleet.tInstruct, { samples: 5, median: 2 * MIN, iqr: [2 * MIN, 2 * MIN] })
    assert.equal(m.fleet.wait.median, 2 * MIN)
    assert.equal(m.fleet.idleMs, 10 * MIN)
    assert.equal(m.fleet.workedMs, 50 * MIN)
    assert.deepEqual(m.fleet.n, { value: 5, interval: [5, 5] })
    // The fields earlier clients read keep their meaning.
    assert.equal(m.metrics.tWorkMs, 10 * MIN)
    assert.equal(m.metrics.tInstructMs, 2 * MIN)
    assert.equal(m.metrics.n, 5)
    assert.deepEqual(m.metrics.samples, { instructions: 5, waits: 5, promptGaps: 5 })
    assert.deepEqual(
      m.projects.map((p: any) => [p.label, p.tWork.samples]),
      [['api', 5]],
    )
    assert.equal(m.agents[0].label, 'api·aaaa1111')
  })

  it('says "not enough data" (null, with its count) under five samples, never a misleading number', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000002', 'api')
    await a.prompt(0)
    await a.done(10)
    await a.prompt(10.01) // typed a second after the stop: one tiny sample is no T_instruct of 0s
    t.clock.now = T + 30 * MIN
    const m = await metrics()
    assert.deepEqual(m.fleet.tInstruct, { samples: 1, median: null, iqr: null })
    assert.equal(m.fleet.n, null)
    assert.equal(m.metrics.tInstructMs, null)
    assert.equal(m.metrics.n, null)
  })

  it('permission waits are no work: T_work counts around them, the answer time goes to its own measure', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000003', 'api')
    await a.prompt(0)
    for (let i = 0; i < 5; i++) {
      const at = i * 20
      // 4 min of work, a 3 min permission dialog, 6 more min of work: 10 min of T_work, not 13.
      await a.permission(at + 4, at + 7)
      await a.done(at + 13)
      await a.prompt(at + 20)
    }
    t.clock.now = T + 120 * MIN
    const m = await metrics()
    assert.equal(m.fleet.tWork.median, 10 * MIN)
    assert.equal(m.fleet.tWork.samples, 5)
    assert.equal(m.fleet.tPermission.median, 3 * MIN)
    assert.equal(m.fleet.tInstruct.median, 7 * MIN)
    // Idle: 5 × (3 min of dialog + 7 min done).
    assert.equal(m.fleet.idleMs, 50 * MIN)
    assert.equal(m.fleet.answers, 10)
  })

  it("Claude Code's own prompts are neither the person's answer nor their presence: the work adds up", async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000004', 'web')
    await a.prompt(0)
    for (let i = 0; i < 5; i++) {
      const at = i * 30
      // 2.1.330: a Stop with a background subagent still running is no wait; its notification resumes it.
      await a.subagentWork(at + 2)
      await a.doneWithBackground(at + 5)
      await a.taskNotification(at + 8)
      // An older shape: a plain Stop, then Claude Code's notification resumes the agent by itself.
      await a.done(at + 12)
      await a.taskNotification(at + 14)
      await a.done(at + 20)
      await a.prompt(at + 30)
    }
    t.clock.now = T + 160 * MIN
    const m = await metrics()
    // One instruction: 12 min of work before the self-resumed stop, then 6 more. 18, not 12 and 6.
    assert.equal(m.fleet.tWork.median, 18 * MIN)
    assert.equal(m.fleet.tWork.samples, 5)
    // The person answered each 10 min after the last stop; the notification at +14 was not them.
    assert.equal(m.fleet.tInstruct.median, 10 * MIN)
    assert.equal(m.fleet.idleMs, 5 * 10 * MIN, 'a stop Claude Code resumed by itself is no idle time on the person')
    assert.equal(m.fleet.n.value, 1.8)
  })

  it('overlapping agents: the person answers one after the other, each from when they were free', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000005', 'api')
    const b = agent('bbbb2222-0000-0000-0000-000000000005', 'web')
    await a.prompt(0)
    await b.prompt(0)
    for (let i = 0; i < 5; i++) {
      const at = i * 20
      await a.done(at + 10)
      await b.done(at + 10)
      await a.prompt(at + 12)
      await b.prompt(at + 13) // 1 min on b after a was answered, not 3 since b stopped
    }
    t.clock.now = T + 100 * MIN
    const m = await metrics()
    assert.equal(m.fleet.tInstruct.samples, 10)
    assert.deepEqual(m.fleet.tInstruct.iqr, [1 * MIN, 2 * MIN])
    assert.equal(m.fleet.tInstruct.median, 1.5 * MIN)
    // Agent-minutes: both idle at once count twice (2 + 3 min per round).
    assert.equal(m.fleet.idleMs, 5 * 5 * MIN)
    const byLabel = Object.fromEntries(m.agents.map((x: any) => [x.label.split('·')[0], x]))
    assert.equal(byLabel.api.tInstruct.median, 2 * MIN)
    assert.equal(byLabel.web.tInstruct.median, 1 * MIN)
    assert.equal(byLabel.web.idleMs, 15 * MIN)
    assert.deepEqual(m.projects.map((p: any) => p.label).sort(), ['api', 'web'])
  })

  it('a break: an answer after a long unseen absence is no T_instruct sample, it is counted as after a break', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000006', 'api')
    await a.prompt(0)
    for (let i = 0; i < 5; i++) {
      await a.done(i * 12 + 10)
      await a.prompt(i * 12 + 12)
    }
    // Lunch: the agent stops at 70, the person answers at 130 with no sign of them in between.
    await a.done(70)
    await a.prompt(130)
    // Back at the keyboard: a session started at 140 is a sign; a wait from 100 answered at 141 took 1 min.
    const b = agent('bbbb2222-0000-0000-0000-000000000006', 'cli')
    await b.prompt(90)
    await b.done(100)
    await b.start(140)
    await b.prompt(141)
    t.clock.now = T + 150 * MIN
    const m = await metrics()
    assert.equal(m.fleet.instructAfterBreak, 1)
    assert.equal(m.fleet.tInstruct.samples, 6)
    assert.deepEqual(m.fleet.tInstruct.iqr, [2 * MIN, 2 * MIN])
    const cli = m.agents.find((x: any) => x.label.startsWith('cli'))
    assert.equal(cli.tInstruct.samples, 1)
    // The lunch still counts as idle agent-time: the agent sat blocked on the person for an hour.
    assert.equal(m.fleet.idleMs, 5 * 2 * MIN + 60 * MIN + 41 * MIN)
  })

  it('a return the person announced (tend back) is when they could answer: the time before it is no T_instruct', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000008', 'api')
    await a.prompt(0)
    await a.done(10)
    // Away from 10 to 60, unseen: the answer at 62 counts from the return at 60, not from the stop.
    t.clock.now = T + 60 * MIN
    const res = await putPresence(false)
    assert.equal(res.status, 200)
    await a.prompt(62)
    t.clock.now = T + 70 * MIN
    const m = await metrics()
    assert.equal(m.fleet.instructAfterBreak, 0)
    assert.equal(m.fleet.tInstruct.samples, 1)
    assert.equal(m.agents[0].tInstruct.samples, 1)
    // Without that return the same answer would have been after a break (see above).
    assert.equal(m.fleet.idleMs, 52 * MIN)
  })

  it('a session started at a terminal stays a sign of presence after retention drops its payload', async () => {
    app()
    const a = agent('aaaa1111-0000-0000-0000-000000000009', 'api')
    const b = agent('bbbb2222-0000-0000-0000-000000000009', 'cli')
    await b.prompt(0)
    await b.done(10)
    await a.start(60) // the person at a terminal again
    await b.prompt(61)
    t.clock.now = T + 70 * MIN
    const before = await metrics()
    const { pruned } = prunePayloadsBatch(t.services.store.db, T + 70 * MIN, 1000)
    assert.equal(pruned, 4, "every payload is gone, the SessionStart's too")
    const after = await metrics()
    assert.equal(before.fleet.tInstruct.samples, 1)
    assert.equal(before.fleet.instructAfterBreak, 0)
    assert.deepEqual(after.fleet.tInstruct, before.fleet.tInstruct)
    assert.equal(after.fleet.instructAfterBreak, 0)
  })

  it('open waits count as idle up to now, and idle time is priced when a price is set', async () => {
    app({ economics: { pricePerAgentHour: 12, currency: '€' } })
    const a = agent('aaaa1111-0000-0000-0000-000000000007', 'api')
    await a.prompt(0)
    await a.done(10)
    t.clock.now = T + 40 * MIN
    const m = await metrics()
    assert.equal(m.fleet.idleMs, 30 * MIN)
    assert.equal(m.idleCost, 6)
    assert.equal(m.currency, '€')
  })

  it('bad windows are refused with a 400', async () => {
    app()
    assert.equal((await t.get('/v1/metrics?days=0')).status, 400)
    assert.equal((await t.get('/v1/metrics?days=abc')).status, 400)
    assert.equal((await t.get('/v1/report?days=1000')).status, 400)
  })
})

describe('GET /v1/report', () => {
  it('hours worked and idle, the longest waits and why, N by day, who costs attention, recurring permissions', async () => {
    app({ economics: { pricePerAgentHour: 6 } })
    const a = agent('aaaa1111-0000-0000-0000-000000000008', 'api')
    const b = agent('bbbb2222-0000-0000-0000-000000000008', 'web')
    await a.prompt(0)
    await b.prompt(0)
    for (let i = 0; i < 5; i++) {
      const at = i * 30
      await a.permission(at + 2, at + 3, 'npm test -- --watch=false')
      await a.done(at + 10)
      await b.permission(at + 4, at + 8, 'git push origin main')
      await b.question(at + 20)
      await a.prompt(at + 12)
      await b.prompt(at + 25)
    }
    await a.permission(200, 201, 'npm test')
    t.clock.now = T + 240 * MIN
    const res = await t.get('/v1/report?days=7')
    assert.equal(res.status, 200)
    const { report, capacity } = (await res.json()) as any
    assert.equal(report.nByDay.length, 7)
    assert.equal(report.nByDay.at(-1).instructions, 10)
    assert.equal(report.permissions[0].key, 'Bash(npm test)')
    assert.equal(report.permissions[0].count, 6)
    assert.equal(report.permissions[1].key, 'Bash(git push)')
    assert.deepEqual(report.permissions[1].projects, ['web'])
    // b's questions waited 5 min each: the longest waits, with their why; then its 4 min permissions.
    const longest = report.longestWaits[0]
    assert.equal(longest.kind, 'question')
    assert.equal(longest.durationMs, 5 * MIN)
    assert.match(longest.why, /Postgres or SQLite/)
    assert.equal(report.longestWaits.length, 5)
    // web: 5 × (4 min permission + 5 min question) of the person's time and as much idle; api: 32 min in all.
    assert.deepEqual(
      report.projects.map((p: any) => [p.label, p.attentionMs / MIN, p.idleMs / MIN]),
      [
        ['web', 45, 45],
        ['api', 16, 16],
      ],
    )
    assert.equal(report.agents[0].label, 'web·bbbb2222')
    assert.equal(report.idleCost, Math.round((report.idleMs / 3600_000) * 6 * 100) / 100)
    assert.ok(report.workedMs > 0 && report.idleMs > 0)
    assert.equal(capacity.live, 2)
  })
})
