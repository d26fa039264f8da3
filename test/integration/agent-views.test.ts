// The ranking's inputs kept per agent: T_work from the samples its row keeps, updated with each wait.
import assert from 'node:assert/strict'
import { after, beforeEach, describe, it } from 'node:test'
import { T_WORK_SAMPLES } from '../../src/core/work-samples.ts'
import { listAgentViews } from '../../src/store/agents.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { payload } from '../helpers/payloads.ts'

const MIN = 60_000
const T0 = Date.now() - 10 * 24 * 3600_000
let t: TestApp

beforeEach(() => {
  t?.close()
  t = makeApp({ now: T0 })
})
after(() => t.close())

async function send(sid: string, key: string, at: number, overrides = {}) {
  t.clock.now = at
  const body = payload(key, { session_id: sid, cwd: `/home/me/work/${sid}`, ...overrides })
  const res = await t.post('/v1/hooks', body, { 'x-tend-time': String(at) })
  assert.equal(res.status, 200, await res.clone().text())
}

/** One instruction worked on for `workMin`, then a stop: a wait with that T_work. Returns the stop's time. */
async function turn(sid: string, at: number, workMin: number, n: number) {
  await send(sid, 'UserPromptSubmit', at, { prompt: `step ${n}`, prompt_id: `p${n}` })
  await send(sid, 'Stop', at + workMin * MIN, { last_assistant_message: `Done ${n}.`, prompt_id: `p${n}` })
  return at + workMin * MIN
}

function median(values: number[]): number | null {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length === 0 ? null : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** T_work as the ranking computed it before: from the waits table, the latest 20 positive ones within a week. */
function fromWaits(sid: string, now: number): number | null {
  const rows = t.services.store.sqlite
    .prepare(
      `select work_ms from waits where session_id = ? and work_ms > 0 and started_at >= ? order by started_at desc limit ?`,
    )
    .all(sid, now - 7 * 24 * 3600_000, T_WORK_SAMPLES) as Array<{ work_ms: number }>
  return median(rows.map((r) => r.work_ms))
}

describe('agent views', () => {
  it("rank with the median of the agent's latest instructions, as its waits say", async () => {
    let at = T0
    const work = [3, 9, 1, 12, 5, 7, 2, 30, 4, 6, 8, 11, 10, 14, 15, 16, 20, 25, 13, 17, 18, 19, 21, 22]
    for (const [i, w] of work.entries()) at = (await turn('a1', at + MIN, w, i)) + MIN
    const now = at + MIN
    t.clock.now = now
    const list = (await (await t.get('/v1/agents')).json()) as { agents: Array<Record<string, any>> }
    const view = list.agents.find((a) => a['sessionId'] === 'a1')!
    // The last 20 of 24: the first four (3, 9, 1, 12) fell out.
    assert.equal(view['tWorkMs'], median(work.slice(-20).map((w) => w * MIN)))
    assert.equal(view['tWorkMs'], fromWaits('a1', now))
    assert.match(view['why'], /works ~/)
  })

  it('forget samples older than a week, and an agent that never worked has none', async () => {
    const end = await turn('old', T0, 10, 1)
    await send('fresh', 'SessionStart:startup', T0)
    const views = (now: number) => listAgentViews(t.services.store.db, { now, includeEnded: true })
    assert.equal(views(end + MIN).find((v) => v.sessionId === 'old')!.tWorkMs, 10 * MIN)
    const later = end + 7 * 24 * 3600_000 + 1
    assert.equal(views(later).find((v) => v.sessionId === 'old')!.tWorkMs, null)
    assert.equal(fromWaits('old', later), null)
    assert.equal(views(end).find((v) => v.sessionId === 'fresh')!.tWorkMs, null)
  })

  it('list only the blocked agents for the notifier, each with its open wait', async () => {
    await turn('blocked', T0, 2, 1)
    await send('working', 'UserPromptSubmit', T0, { prompt: 'go' })
    const blocked = listAgentViews(t.services.store.db, { blockedOnly: true, now: T0 + 3 * MIN })
    assert.deepEqual(
      blocked.map((v) => [v.sessionId, v.state, v.wait?.kind]),
      [['blocked', 'blocked:done', 'done']],
    )
  })
})
