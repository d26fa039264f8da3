// GET /v1/report and tend report count what the rules decided (by kind, interruptions avoided per day,
// T_work around each rule), and a permission a rule answered is no interruption and no recurring prompt.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { renderReport, type ReportBody } from '../../src/cli/report.ts'
import { realPathOf } from '../../src/service/rules.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'
import { payload } from '../helpers/payloads.ts'

const SID = 'bbbbbbbb-0000-4000-8000-000000000001'

describe('the report counts the rules’ decisions', () => {
  let t: TestApp
  let dir: string
  beforeEach(() => {
    t = makeApp()
    dir = realPathOf(join(t.config.paths.dataDir, 'work'))
    mkdirSync(join(dir, 'api'), { recursive: true })
  })
  afterEach(() => t.close())

  const hook = async (key: string, overrides: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.post('/v1/hooks', payload(key, { session_id: SID, cwd: join(dir, 'api'), ...overrides }), {
      'x-tend-time': String(t.clock.now),
      ...headers,
    })
    assert.equal(res.status, 200)
    return (await res.json()) as Record<string, any>
  }
  /** Held as Claude Code's hook holds it: a rule answers at once. */
  const held = (command: string) =>
    hook('PermissionRequest', { tool_name: 'Bash', tool_input: { command } }, { 'x-tend-hold': '86400' })

  it('a rule-answered prompt is an interruption avoided, not a recurring prompt; the person’s own still recur', async () => {
    const added = await t.post('/v1/rules', { kind: 'allow', rule: 'Bash(npm test:*)', path: `${dir}/api/**` })
    assert.equal(added.status, 201)
    await hook('UserPromptSubmit', { prompt: 'go' })
    for (let i = 0; i < 3; i++) {
      t.clock.now += 60_000
      const out = await held('npm test -- --watch=false')
      assert.equal(out['hookSpecificOutput']?.decision?.behavior, 'allow')
    }
    // Two prompts no rule covers (not held), answered by the person in the terminal: the tool ran.
    for (let i = 0; i < 2; i++) {
      t.clock.now += 60_000
      await hook('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'npm publish' } })
      t.clock.now += 5_000
      await hook('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'npm publish' } })
    }

    const res = await t.get('/v1/report?days=7')
    assert.equal(res.status, 200)
    const body = (await res.json()) as ReportBody
    assert.deepEqual(
      body.report.permissions.map((p) => [p.key, p.count]),
      [['Bash(npm publish)', 2]],
      'only the prompts the person answered recur',
    )
    assert.ok(
      body.report.longestWaits.every((w) => !w.why.includes('npm test')),
      'a rule-answered prompt is no wait on the person',
    )
    assert.equal(body.rules.decisions, 3)
    assert.equal(body.rules.interruptionsAvoided, 3)
    assert.deepEqual(body.rules.byKind, { allow: 3, deny: 0, ask: 0 })
    assert.equal(body.rules.days.length, 1)
    assert.equal(body.rules.days[0]!.interruptionsAvoided, 3)
    assert.equal(body.rules.rules[0]!.rule, 'Bash(npm test:*)')

    const text = renderReport(body).join('\n')
    assert.match(text, /Decided by rules: 3 \(3 allowed, 0 denied, 0 asked\) · 3 interruptions avoided/)
    assert.match(text, /allow Bash\(npm test:\*\)/)
    assert.doesNotMatch(text, /Bash\(npm test\)/)
  })
})
