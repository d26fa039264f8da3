// tend stats and tend report against a real receiver with a constructed week of history.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { RunningServer } from '../../src/server/serve.ts'
import { startTestReceiver, tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { payload } from '../helpers/payloads.ts'

const MIN = 60_000

describe('tend stats and tend report', () => {
  const home = tempHome()
  let server: RunningServer
  let env: Record<string, string>

  before(async () => {
    ;({ env, server } = await startTestReceiver(home.dir, {
      configFile: { economics: { pricePerAgentHour: 30, ceiling: 4 } },
    }))
    const start = Date.now() - 3 * 60 * MIN
    const feed = (key: string, sid: string, cwd: string, at: number, extra = {}) =>
      server.services.receive(payload(key, { session_id: sid, cwd, ...extra }), { occurredAt: at, receivedAt: at })
    // api: six instructions of 12 min work, each answered 3 min after the stop, one permission each time.
    for (let i = 0; i < 6; i++) {
      const at = start + i * 16 * MIN
      feed('UserPromptSubmit', 'aaaaaaaa-1111', '/src/api', at, { prompt_id: `a${i}` })
      feed('PermissionRequest', 'aaaaaaaa-1111', '/src/api', at + 2 * MIN, {
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
      })
      feed('PostToolUse', 'aaaaaaaa-1111', '/src/api', at + 3 * MIN, {
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
        tool_use_id: `t${i}`,
      })
      feed('Stop', 'aaaaaaaa-1111', '/src/api', at + 13 * MIN, {
        prompt_id: `a${i}`,
        last_assistant_message: 'Finished.',
      })
    }
    feed('UserPromptSubmit', 'aaaaaaaa-1111', '/src/api', start + 6 * 16 * MIN, { prompt_id: 'a6' })
  })
  after(async () => {
    await server.close()
    home.cleanup()
  })

  it('tend stats: each measure with its spread, N with its interval, idle cost, the limit', async () => {
    const run = await runTend(['stats'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^ {2}T_work {6}12m00s \(IQR 12m00s–12m00s, n=6\)$/m)
    assert.match(run.stdout, /^ {2}T_instruct {2}3m00s \(IQR 3m00s–3m00s, n=6\)$/m)
    assert.match(run.stdout, /^ {2}permission {2}1m00s \(IQR 1m00s–1m00s, n=6\) {2}per permission prompt$/m)
    assert.match(run.stdout, /^ {2}N {11}4 \(4–4\)/m)
    // 6 × (1 min permission + 3 min done) = 24 min idle, at 30 an hour.
    assert.match(run.stdout, /^ {2}idle {8}24m00s of agent-time blocked on you \(\$12\.00 at \$30\/agent-hour\)$/m)
    assert.match(run.stdout, /^ {2}limit {7}4 \(your ceiling of 4\) · 1 live$/m)
  })

  it('tend stats --by project, and a bad --by is a usage error', async () => {
    const run = await runTend(['stats', '--by', 'project'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^PROJECT\s+T_WORK\s+T_INSTRUCT\s+N\s+IDLE\s+ANSWERS$/m)
    assert.match(run.stdout, /^api\s+12m00s\s+3m00s\s+4 \(4–4\)\s+24m00s\s+12$/m)
    const bad = await runTend(['stats', '--by', 'team'], env)
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /--by: expected project or agent/)
  })

  it('tend report: worked vs idle, longest waits, N by day, who costs most, recurring permissions', async () => {
    const run = await runTend(['report', '--week'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^Agent-hours: 1h12m worked · 24m00s idle, blocked on you \(\$12\.00\)$/m)
    assert.match(run.stdout, /^N by day/m)
    assert.match(run.stdout, /^\s+3m00s\s+api·aaaaaaaa\s+done\s+done: Finished\.\s+terminal$/m)
    assert.match(run.stdout, /^\s+6×\s+Bash\(npm test\)\s+6m00s\s+api$/m)
    const json = JSON.parse((await runTend(['report', '--json'], env)).stdout)
    assert.equal(json.report.nByDay.length, 7)
  })
})
