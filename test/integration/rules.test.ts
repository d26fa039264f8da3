// Permission rules through the API and the hooks route, on a real database, with real directories and
// symlinks for the path rules, and the real `tend rules` command against a running receiver.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, beforeEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { POLICY_MARKER, realPathOf } from '../../src/service/rules.ts'
import { makeApp, tempHome, type TestApp } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'
import { freePort } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'

const SID = 'aaaaaaaa-0000-4000-8000-000000000001'

describe('/v1/rules and the hooks they answer', () => {
  let t: TestApp
  let dir: string
  beforeEach(() => {
    t = makeApp()
    dir = realPathOf(join(t.config.paths.dataDir, 'work'))
    mkdirSync(join(dir, 'api', 'src'), { recursive: true })
  })
  afterEach(() => t.close())

  const addRule = async (body: object) => {
    const res = await t.post('/v1/rules', body)
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }
  const hook = async (key: string, overrides: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.post('/v1/hooks', payload(key, { session_id: SID, cwd: join(dir, 'api'), ...overrides }), {
      'x-tend-time': String(t.clock.now),
      ...headers,
    })
    assert.equal(res.status, 200)
    return (await res.json()) as Record<string, any>
  }
  const policy = { 'x-tend-policy': '1' }

  it('adds, lists and removes rules; bad input gets a precise 4xx', async () => {
    const added = await addRule({ kind: 'deny', rule: 'Write(/etc/**)', reason: 'never touch /etc' })
    assert.equal(added.status, 201)
    assert.deepEqual(
      { kind: added.body.rule.kind, rule: added.body.rule.rule, scope: added.body.rule.scope },
      { kind: 'deny', rule: 'Write(/etc/**)', scope: 'everywhere' },
    )
    const bad = await addRule({ kind: 'allow', rule: 'Bash(npm:* x)' })
    assert.equal(bad.status, 400)
    assert.match(JSON.stringify(bad.body.error.issues), /':\*' may only end/)
    assert.equal((await addRule({ kind: 'allow', rule: 'Bash', reason: 'x' })).status, 400)
    assert.equal((await addRule({ kind: 'allow', rule: 'Bash', agent: 'nobody' })).status, 404)
    assert.equal((await addRule({ kind: 'deny', rule: 'Write(/etc/**)' })).status, 409)
    const list = (await (await t.get('/v1/rules')).json()) as { rules: unknown[] }
    assert.equal(list.rules.length, 1)
    const del = await t.app.request(`http://127.0.0.1/v1/rules/${added.body.rule.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer test-token-0123456789abcdef` },
    })
    assert.equal(del.status, 200)
    const again = await t.app.request(`http://127.0.0.1/v1/rules/${added.body.rule.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer test-token-0123456789abcdef` },
    })
    assert.equal(again.status, 404)
  })

  it('keeps the PreToolUse marker while deny or ask rules exist, and only then', async () => {
    const marker = join(t.config.paths.dataDir, POLICY_MARKER)
    assert.equal(existsSync(marker), false)
    const allow = await addRule({ kind: 'allow', rule: 'Bash(npm test:*)' })
    assert.equal(existsSync(marker), false, 'an allow is answered at the PermissionRequest: PreToolUse need not wait')
    const deny = await addRule({ kind: 'deny', rule: 'Bash(rm:*)' })
    assert.equal(existsSync(marker), true)
    await t.app.request(`http://127.0.0.1/v1/rules/${deny.body.rule.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer test-token-0123456789abcdef` },
    })
    assert.equal(existsSync(marker), false)
    assert.ok(allow.body.rule.id)
  })

  it('denies a PreToolUse with the reason, asks for an ask rule, and says nothing to an observer', async () => {
    await addRule({ kind: 'deny', rule: 'Write(/etc/**)', reason: 'never touch /etc' })
    await addRule({ kind: 'ask', rule: 'Bash(git push:*)' })
    await hook('UserPromptSubmit', { prompt: 'go' })
    const denied = await hook(
      'PreToolUse',
      { tool_name: 'Write', tool_input: { file_path: '/etc/hosts', content: 'x' } },
      policy,
    )
    assert.equal(denied.hookSpecificOutput.permissionDecision, 'deny')
    assert.match(denied.hookSpecificOutput.permissionDecisionReason, /never touch \/etc/)
    const asked = await hook(
      'PreToolUse',
      { tool_name: 'Bash', tool_input: { command: 'npm test && git push' }, tool_use_id: 'toolu_2' },
      policy,
    )
    assert.equal(asked.hookSpecificOutput.permissionDecision, 'ask')
    const observed = await hook('PreToolUse', {
      tool_name: 'Write',
      tool_input: { file_path: '/etc/x' },
      tool_use_id: 'toolu_3',
    })
    assert.deepEqual(observed, {}, 'an async observer prints nothing: recording a deny there would be a lie')
    const fine = await hook(
      'PreToolUse',
      { tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: 'toolu_4' },
      policy,
    )
    assert.deepEqual(fine, {})

    const detail = (await (await t.get(`/v1/agents/${SID}`)).json()) as {
      timeline: Array<{ name: string; payload: any }>
    }
    const decisions = detail.timeline.filter((e) => e.name === 'RuleDecision')
    assert.deepEqual(
      decisions.map((e) => [e.payload.decision, e.payload.rule]),
      [
        ['deny', 'Write(/etc/**)'],
        ['ask', 'Bash(git push:*)'],
      ],
    )
  })

  it('answers a PermissionRequest at once with an allow rule, ends its wait, and counts it', async () => {
    await addRule({ kind: 'allow', rule: 'Bash(npm test:*)', path: `${dir}/api/**` })
    await hook('UserPromptSubmit', { prompt: 'go' })
    const hold = { 'x-tend-hold': '86400' }
    const allowed = await hook(
      'PermissionRequest',
      { tool_name: 'Bash', tool_input: { command: 'npm test -- --watch=false' } },
      hold,
    )
    assert.deepEqual(allowed, {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    })
    const agent = (await (await t.get(`/v1/agents/${SID}`)).json()) as { agent: { state: string }; waits: any[] }
    assert.equal(agent.agent.state, 'working')
    assert.equal(agent.waits[0].endedVia, 'rule')

    // A compound line is not covered: the PermissionRequest is held for the person (the route streams).
    const res = await t.post(
      '/v1/hooks',
      payload('PermissionRequest', {
        session_id: SID,
        cwd: join(dir, 'api'),
        tool_name: 'Bash',
        tool_input: { command: 'npm test && rm -rf /' },
      }),
      { ...hold, 'x-tend-time': String(t.clock.now + 1) },
    )
    assert.equal(res.headers.get('x-tend-outcome'), 'stored')
    t.services.holds.releaseWhere(() => true, 'back')
    await res.text()

    const effects = (await (await t.get('/v1/rules/effects?days=1')).json()) as Record<string, any>
    assert.equal(effects.interruptionsAvoided, 1)
    assert.equal(effects.rules[0].interruptionsAvoided, 1)
    assert.equal(effects.days.length, 1)
  })

  it('resolves symlinks and .. on disk: a link out of an allowed tree is not allowed, a link into a denied one is denied', async () => {
    const outside = join(dir, 'outside')
    const secret = join(dir, 'secret')
    mkdirSync(outside)
    mkdirSync(secret)
    symlinkSync(outside, join(dir, 'api', 'src', 'escape'))
    symlinkSync(secret, join(dir, 'api', 'innocent'))
    await addRule({ kind: 'allow', rule: 'Edit(src/**)' })
    await addRule({ kind: 'deny', rule: `Write(/${secret}/**)`, reason: 'secrets' })
    const test = async (call: string) =>
      (await (await t.post('/v1/rules/test', { target: join(dir, 'api'), call })).json()) as { decision: string | null }
    assert.equal((await test(`Edit(${dir}/api/src/a.ts)`)).decision, 'allow')
    assert.equal((await test(`Edit(${dir}/api/src/new/dir/b.ts)`)).decision, 'allow')
    assert.equal((await test(`Edit(${dir}/api/src/escape/a.ts)`)).decision, null)
    assert.equal((await test(`Edit(${dir}/api/src/../../outside/a.ts)`)).decision, null)
    assert.equal((await test(`Write(${dir}/api/innocent/key)`)).decision, 'deny')
    assert.equal((await test(`Bash(echo x > innocent/key)`)).decision, 'deny')
    assert.equal((await test(`Bash(echo x > src/escape/../../innocent/key)`)).decision, 'deny')
    // The shell opens src/escape/../a.ts as the kernel walks it: through the link, then up from outside/.
    await addRule({ kind: 'allow', rule: 'Bash(echo:*)' })
    assert.equal((await test(`Bash(echo x > src/a.ts)`)).decision, 'allow')
    assert.equal((await test(`Bash(echo x > src/escape/../a.ts)`)).decision, null)
    assert.equal((await test(`Edit(${dir}/api/src/escape/../a.ts)`)).decision, null)
    assert.equal((await test(`Bash(echo x > src/escape/../secret/key)`)).decision, 'deny')
  })

  it('tests a call for an agent; refuses a call that is not written like one', async () => {
    await addRule({ kind: 'allow', rule: 'Bash(npm test:*)' })
    await hook('UserPromptSubmit', { prompt: 'go' })
    const ok = (await (
      await t.post('/v1/rules/test', { target: SID.slice(0, 8), call: 'Bash(npm test)' })
    ).json()) as any
    assert.equal(ok.decision, 'allow')
    const no = (await (
      await t.post('/v1/rules/test', { target: SID, call: 'Bash(npm test && rm -rf /)' })
    ).json()) as any
    assert.equal(no.decision, null)
    assert.equal((await t.post('/v1/rules/test', { target: SID, call: 'npm test' })).status, 400)
    assert.equal((await t.post('/v1/rules/test', { target: 'nobody', call: 'Bash(ls)' })).status, 404)
  })

  it('suggests what the person approved again and again in one project, never the risky unless asked', async () => {
    const cwd = join(dir, 'api')
    let at = t.clock.now - 5 * 86_400_000
    const approve = (command: string, sid: string) => {
      at += 3_600_000
      t.services.receive(payload('UserPromptSubmit', { session_id: sid, cwd, prompt: 'go' }), {
        occurredAt: at,
        receivedAt: at,
      })
      t.services.receive(
        payload('PermissionRequest', { session_id: sid, cwd, tool_name: 'Bash', tool_input: { command } }),
        {
          occurredAt: at + 10,
          receivedAt: at + 10,
        },
      )
      t.services.receive(
        payload('PostToolUse', {
          session_id: sid,
          cwd,
          tool_name: 'Bash',
          tool_input: { command },
          tool_use_id: `t${at}`,
        }),
        { occurredAt: at + 20, receivedAt: at + 20 },
      )
    }
    for (let i = 0; i < 4; i++) approve('npm test', `s-${i}`)
    for (let i = 0; i < 4; i++) approve('rm -rf dist', `r-${i}`)
    for (let i = 0; i < 2; i++) approve('npm run lint', `l-${i}`)
    const safe = (await (await t.get('/v1/rules/suggestions')).json()) as { suggestions: any[] }
    assert.deepEqual(
      safe.suggestions.map((s) => [s.n, s.rule, s.path, s.approvals]),
      [[1, 'Bash(npm test)', `${cwd}/**`, 4]],
    )
    const all = (await (await t.get('/v1/rules/suggestions?risky=1')).json()) as { suggestions: any[] }
    assert.deepEqual(
      all.suggestions.map((s) => [s.rule, s.risk]),
      [
        ['Bash(npm test)', null],
        ['Bash(rm -rf dist)', 'deletes'],
      ],
    )
    // Accepted, it is a rule, and no longer a suggestion.
    await addRule({ kind: 'allow', rule: 'Bash(npm test)', path: `${cwd}/**`, origin: 'suggestion' })
    const left = (await (await t.get('/v1/rules/suggestions')).json()) as { suggestions: any[] }
    assert.deepEqual(left.suggestions, [])
  })
})

describe('tend rules (the command, against a running receiver)', () => {
  const home = tempHome()
  let server: RunningServer
  let env: Record<string, string>
  after(async () => {
    await server?.close()
    home.cleanup()
  })

  it('adds, lists, tests and removes', async () => {
    env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
    server = await startServer(loadConfig(env), { log: silentLogger })
    const add = await runTend(['rules', 'add', 'deny', 'Bash(rm -rf:*)', '--reason', 'no rm -rf'], env)
    assert.equal(add.code, 0, add.stderr)
    assert.match(add.stdout, /rule #1: deny Bash\(rm -rf:\*\) \(everywhere\)/)
    const add2 = await runTend(['rules', 'add', 'allow', 'Bash(npm test:*)', '--path', '~/work/**'], env)
    assert.match(add2.stdout, new RegExp(`rule #2: allow Bash\\(npm test:\\*\\) \\(${home.dir}/work/\\*\\*\\)`))
    const bad = await runTend(['rules', 'add', 'allow', 'Glob(src/**)'], env)
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /bare name/)
    const list = await runTend(['rules', 'list'], env)
    assert.match(list.stdout, /#1\s+deny\s+Bash\(rm -rf:\*\)\s+everywhere\s+no rm -rf/)
    const test = await runTend(['rules', 'test', '/tmp', 'Bash(npm test && rm -rf /)'], env)
    assert.equal(test.code, 0, test.stderr)
    assert.match(test.stdout, /^deny by rule #1 deny Bash\(rm -rf:\*\)/)
    assert.match(test.stdout, /matched: rm -rf \//)
    assert.match(test.stdout, /Claude Code is told: Denied by tend rule #1 .*: no rm -rf/)
    const none = await runTend(['rules', 'test', `${home.dir}/work/api`, 'Bash(npm test && ls)'], env)
    assert.match(none.stdout, /no rule applies/)
    const rm = await runTend(['rules', 'rm', '#1'], env)
    assert.match(rm.stdout, /removed rule #1/)
    const suggest = await runTend(['rules', 'suggest'], env)
    assert.match(suggest.stdout, /No suggestions yet/)
    const effects = await runTend(['rules', 'effects', '--days', '3'], env)
    assert.equal(effects.code, 0, effects.stderr)
    assert.match(effects.stdout, /^0 automatic decisions .* 0 permission dialogs answered for you/)
    assert.match(effects.stdout, /#2\s+allow Bash\(npm test:\*\)\s+0\s+0/)
  })
})
