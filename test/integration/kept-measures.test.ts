// The kept attention measures (GET /v1/metrics, the capacity) on a real SQLite file: the copy holds the
// same numbers as a fresh computation at its time, a new wait or prompt makes it stale and it is
// recomputed off the request path, while tool calls in between leave it alone.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { HookEvent } from '../../src/core/hook-event.ts'
import { changesMeasures, createEconomics, type Economics } from '../../src/service/economics.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

const MIN = 60_000
const DAY = 24 * 3600_000
const T = Date.UTC(2026, 10, 2, 8, 0)
let t: TestApp
let economics: Economics
afterEach(() => {
  economics?.dispose()
  t?.close()
})

function setup() {
  t = makeApp({ now: T })
  const pending: Array<() => void> = []
  economics = createEconomics({
    db: t.services.store.db,
    now: () => t.clock.now,
    config: t.config.file.economics,
    timers: { setTimeout: (fn) => pending.push(fn), clearTimeout: () => {} },
  })
  t.services.bus.on('change', (c) => changesMeasures(c) && economics.invalidate())
  /** Runs the recomputations scheduled off the request path. */
  const settle = () => pending.splice(0).forEach((fn) => fn())
  const receive = (sessionId: string, event: Record<string, unknown>, min: number) => {
    const at = T + min * MIN
    t.clock.now = Math.max(t.clock.now, at)
    t.services.receive(
      { session_id: sessionId, cwd: `/nonexistent/${sessionId}`, transcript_path: '/dev/null', ...event } as HookEvent,
      { occurredAt: at, receivedAt: at },
    )
  }
  /** One instruction: worked on for `work` minutes, answered `answer` minutes after the stop. */
  const turn = (sessionId: string, i: number, start: number, work: number) => {
    receive(
      sessionId,
      { hook_event_name: 'UserPromptSubmit', prompt: `step ${i}`, prompt_id: `${sessionId}-${i}` },
      start,
    )
    receive(
      sessionId,
      { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {}, tool_use_id: `${sessionId}-${i}` },
      start + 1,
    )
    receive(
      sessionId,
      {
        hook_event_name: 'Stop',
        stop_hook_active: false,
        last_assistant_message: 'Done.',
        prompt_id: `${sessionId}-${i}`,
      },
      start + work,
    )
  }
  return { settle, receive, turn }
}

/** The kept measures without their bookkeeping, to compare with a fresh computation. */
function fresh(days: number, asOf: number) {
  return { ...economics.measures({ from: asOf - days * DAY, to: asOf }), asOf, stale: false }
}

describe('kept measures', () => {
  it('the same numbers as a fresh computation; stale on a new wait or prompt, recomputed off the request path', () => {
    const { settle, receive, turn } = setup()
    for (let i = 0; i < 6; i++) turn('a1', i, i * 20, 10 + i)
    const first = economics.recentMeasures(1)
    assert.equal(first.fleet.tWork.samples, 5, 'the last stop is still open: five pieces of work answered')
    assert.deepEqual(first, fresh(1, first.asOf))

    // The person answers the open stop (a prompt), a minute later: the copy is stale until recomputed.
    receive('a1', { hook_event_name: 'UserPromptSubmit', prompt: 'more', prompt_id: 'a1-6' }, 116)
    const stale = economics.recentMeasures(1)
    assert.equal(stale.stale, true)
    assert.equal(stale.asOf, first.asOf, 'answered from the copy meanwhile')
    settle()
    const answered = economics.recentMeasures(1)
    assert.deepEqual(answered, { ...fresh(1, t.clock.now) })
    assert.equal(answered.fleet.tWork.samples, 6)

    // Tool calls while working change no measure: nothing to recompute.
    const tool = { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'a1-t6' }
    receive('a1', { hook_event_name: 'PreToolUse', ...tool }, 117)
    receive('a1', { hook_event_name: 'PostToolUse', ...tool, tool_response: {} }, 118)
    assert.equal(economics.recentMeasures(1).stale, false)

    // The agent stops (a new wait): stale again, then the same as fresh.
    receive('a1', { hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'Done.' }, 125)
    assert.equal(economics.recentMeasures(1).stale, true)
    settle()
    const after = economics.recentMeasures(1)
    assert.equal(after.asOf, t.clock.now)
    assert.deepEqual(after, fresh(1, after.asOf))
  })

  it('the capacity a new session is checked against sees every wait before it', () => {
    const { settle, turn } = setup()
    const empty = economics.capacityNow()
    assert.equal(empty.capacity.n, null)
    for (let i = 0; i < 6; i++) turn('b1', i, i * 13, 10)
    // Stale: computed afresh on the request, not answered from the copy.
    const measured = economics.capacityNow()
    assert.ok(measured.capacity.n, JSON.stringify(measured))
    assert.equal(measured.asOf, t.clock.now)
    settle()
    assert.deepEqual(economics.capacityNow(), measured, 'unchanged since: the copy')
  })
})
