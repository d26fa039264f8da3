// tend install / uninstall on settings.json fixtures, through the real CLI.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { HELD_EVENTS, HOLD_BUDGET_SEC, OBSERVED_EVENTS } from '../../src/cli/hook-settings.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const EXISTING = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test)'] },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/guard.sh', timeout: 30 }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
}

function fixture(content: string | object | null) {
  const home = tempHome()
  cleanups.push(home.cleanup)
  const path = join(home.dir, 'project', '.claude', 'settings.json')
  if (content !== null) {
    mkdirSync(join(home.dir, 'project', '.claude'), { recursive: true })
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o640 })
  }
  const env = { HOME: home.dir, TEND_HOME: join(home.dir, 'tend') }
  const backups = () => readdirSync(join(home.dir, 'project', '.claude')).filter((f) => f.includes('tend-backup'))
  return { path, env, home: home.dir, backups, read: () => JSON.parse(readFileSync(path, 'utf8')) }
}

describe('tend install', () => {
  it("merges tend's hooks, keeping every existing key and hook, with a backup", async () => {
    const f = fixture(EXISTING)
    const run = await runTend(['install', '--settings', f.path], f.env)
    assert.equal(run.code, 0, run.stderr)
    const s = f.read()
    assert.equal(s.model, 'opus')
    assert.deepEqual(s.permissions, EXISTING.permissions)
    assert.deepEqual(s.hooks.PreToolUse[0], EXISTING.hooks.PreToolUse[0])
    assert.deepEqual(s.hooks.Stop[0], EXISTING.hooks.Stop[0])
    for (const event of [...OBSERVED_EVENTS, ...HELD_EVENTS, 'SessionEnd', 'SessionStart']) {
      const tend = s.hooks[event].at(-1).hooks[0]
      assert.match(tend.command, /tend-hook' (observe|hold)/, event)
      assert.match(tend.command, /TEND_HOME=/, 'a TEND_HOME set at install is pinned for the hooks')
    }
    for (const event of OBSERVED_EVENTS) assert.equal(s.hooks[event].at(-1).hooks[0].async, true, event)
    for (const event of HELD_EVENTS) {
      const h = s.hooks[event].at(-1).hooks[0]
      assert.equal(h.async, undefined)
      assert.ok(h.timeout > HOLD_BUDGET_SEC, 'the hook timeout exceeds any hold')
      assert.match(h.command, new RegExp(`hold ${HOLD_BUDGET_SEC}$`))
    }
    // SessionStart answers (a systemMessage beyond the practical limit): synchronous, bounded, holding nothing.
    const start = s.hooks.SessionStart.at(-1).hooks[0]
    assert.equal(start.async, undefined)
    assert.match(start.command, /tend-hook' hold 0$/)
    assert.equal(start.timeout, 5)
    assert.equal(f.backups().length, 1)
    assert.equal(statSync(f.path).mode & 0o777, 0o640, 'the file mode is kept')
  })

  it("enables tend's Claude Code plugin from its folder, telling the mod where the token and socket are", async () => {
    const f = fixture(EXISTING)
    const run = await runTend(['install', '--settings', f.path], f.env)
    assert.equal(run.code, 0, run.stderr)
    const s = f.read()
    assert.deepEqual(s.enabledPlugins, { 'tend@tend': true })
    const market = s.extraKnownMarketplaces.tend.source
    assert.equal(market.source, 'directory')
    const manifest = JSON.parse(readFileSync(join(market.path, '.claude-plugin', 'marketplace.json'), 'utf8'))
    assert.deepEqual(
      manifest.plugins.map((p: { name: string }) => p.name),
      ['tend'],
    )
    assert.ok(existsSync(join(market.path, 'tend', 'hooks', 'register.js')))
    const tendHome = f.env.TEND_HOME
    assert.deepEqual(s.pluginConfigs['tend@tend'].options, {
      tokenFile: join(tendHome, 'token'),
      socket: join(tendHome, 'tend.sock'),
      url: 'http://127.0.0.1:4761',
    })
    assert.doesNotMatch(JSON.stringify(s), /Bearer|[0-9a-f]{32}/, 'never the token itself')
  })

  it('is idempotent: a second run changes nothing and makes no backup', async () => {
    const f = fixture(EXISTING)
    await runTend(['install', '--settings', f.path], f.env)
    const once = readFileSync(f.path, 'utf8')
    const run = await runTend(['install', '--settings', f.path], f.env)
    assert.equal(run.code, 0)
    assert.match(run.stdout, /nothing changed/)
    assert.equal(readFileSync(f.path, 'utf8'), once)
    assert.equal(f.backups().length, 1)
  })

  it('refuses invalid JSON with a clear error and leaves the file untouched', async () => {
    const broken = '{ "model": "opus", }'
    const f = fixture(broken)
    const run = await runTend(['install', '--settings', f.path], f.env)
    assert.equal(run.code, 1)
    assert.match(run.stderr, /not valid JSON/)
    assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace')
    assert.equal(readFileSync(f.path, 'utf8'), broken)
    assert.equal(f.backups().length, 0)
  })

  it('creates the file when there is none', async () => {
    const f = fixture(null)
    const run = await runTend(['install', '--settings', f.path], f.env)
    assert.equal(run.code, 0, run.stderr)
    assert.ok(f.read().hooks.Stop)
  })

  it('defaults to ~/.claude/settings.json', async () => {
    const f = fixture(null)
    const run = await runTend(['install'], f.env)
    assert.equal(run.code, 0, run.stderr)
    assert.ok(existsSync(join(f.home, '.claude', 'settings.json')))
  })
})

describe('tend uninstall', () => {
  it("removes only tend's entries, leaving the rest as it was", async () => {
    const f = fixture(EXISTING)
    await runTend(['install', '--settings', f.path], f.env)
    const run = await runTend(['uninstall', '--settings', f.path], f.env)
    assert.equal(run.code, 0, run.stderr)
    assert.deepEqual(f.read(), EXISTING)
  })

  it('on a file without tend hooks changes nothing', async () => {
    const f = fixture(EXISTING)
    const run = await runTend(['uninstall', '--settings', f.path], f.env)
    assert.equal(run.code, 0)
    assert.match(run.stdout, /no tend hooks/)
    assert.equal(f.backups().length, 0)
  })
})
