// `tend install --mcp` (through a stand-in for `claude mcp`) and `tend doctor`'s MCP check, with the real bin/tend.
// The e2e suite registers it with the real Claude Code of each version (test/e2e/mcp.test.ts).
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer } from '../../src/server/serve.ts'
import { tempHome } from '../helpers/app.ts'
import { runTend, TEND_BIN } from '../helpers/cli.ts'
import { freePort } from '../helpers/hook.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/**
 * A `claude` that knows `--version` and `mcp add-json|remove --scope user`, keeping servers in
 * $HOME/.claude.json as Claude Code does (add-json refuses an existing name), and logging each call.
 */
const FAKE_CLAUDE = `#!/usr/bin/env node
const fs = require('node:fs')
const path = require('node:path')
const args = process.argv.slice(2)
const file = path.join(process.env.CLAUDE_CONFIG_DIR || process.env.HOME, '.claude.json')
fs.appendFileSync(path.join(process.env.HOME, 'claude-calls.log'), args.join(' ') + '\\n')
if (args[0] === '--version') { console.log('2.1.332 (Claude Code)'); process.exit(0) }
const config = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}
config.mcpServers = config.mcpServers || {}
if (args[0] === 'mcp' && args[1] === 'add-json') {
  const name = args[4]
  if (config.mcpServers[name]) { console.error('MCP server ' + name + ' already exists in user config'); process.exit(1) }
  config.mcpServers[name] = JSON.parse(args[5])
} else if (args[0] === 'mcp' && args[1] === 'remove') {
  if (!config.mcpServers[args[4]]) { console.error('No MCP server named ' + args[4]); process.exit(1) }
  delete config.mcpServers[args[4]]
} else { console.error('fake claude: ' + args.join(' ')); process.exit(2) }
fs.writeFileSync(file, JSON.stringify(config, null, 2))
`

async function setup() {
  const home = tempHome('tend-mcp-install-')
  cleanups.push(home.cleanup)
  const claude = join(home.dir, 'bin', 'claude')
  mkdirSync(join(home.dir, 'bin'))
  writeFileSync(claude, FAKE_CLAUDE)
  chmodSync(claude, 0o755)
  const env = { TEND_HOME: join(home.dir, 'tend'), HOME: home.dir, TEND_PORT: String(await freePort()) }
  const settings = join(home.dir, 'settings.json')
  const install = (...args: string[]) => runTend(['install', '--settings', settings, ...args], env)
  const claudeJson = () =>
    JSON.parse(readFileSync(join(home.dir, '.claude.json'), 'utf8')) as { mcpServers: Record<string, unknown> }
  const calls = () =>
    existsSync(join(home.dir, 'claude-calls.log'))
      ? readFileSync(join(home.dir, 'claude-calls.log'), 'utf8').trim().split('\n')
      : []
  return { home: home.dir, claude, env, install, claudeJson, calls }
}

describe('tend install --mcp', () => {
  it('registers `tend mcp` at user scope through `claude mcp add-json`, pinned to this receiver; idempotent', async () => {
    const f = await setup()
    const run = await f.install('--claude', f.claude, '--mcp')
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /tend MCP server registered for Claude Code \(user scope, .*\.claude\.json\) \(read-only/)
    const config = loadConfig(f.env)
    assert.deepEqual(f.claudeJson().mcpServers['tend'], {
      type: 'stdio',
      command: process.execPath,
      args: [TEND_BIN, 'mcp'],
      env: { TEND_HOME: join(f.home, 'tend'), TEND_URL: config.url },
    })
    assert.deepEqual(
      f
        .calls()
        .filter((c) => c.startsWith('mcp'))
        .map((c) => c.split(' ').slice(0, 5).join(' ')),
      ['mcp add-json --scope user tend'],
    )
    // Again: nothing to do. With --allow-answers: replaced (remove, then add), the flag in its arguments.
    const again = await f.install('--claude', f.claude, '--mcp')
    assert.match(again.stdout, /already registered for Claude Code in .*; nothing changed/)
    const answers = await f.install('--claude', f.claude, '--mcp', '--allow-answers')
    assert.equal(answers.code, 0, answers.stderr)
    assert.match(answers.stdout, /tend MCP server updated .* with answers ON/)
    assert.deepEqual((f.claudeJson().mcpServers['tend'] as { args: string[] }).args, [
      TEND_BIN,
      'mcp',
      '--allow-answers',
    ])
    assert.deepEqual(
      f
        .calls()
        .filter((c) => c.startsWith('mcp'))
        .map((c) => c.split(' ').slice(0, 5).join(' ')),
      ['mcp add-json --scope user tend', 'mcp remove --scope user tend', 'mcp add-json --scope user tend'],
    )
  })

  it('leaves another server named tend alone; without Claude Code it prints the line to run and fails', async () => {
    const f = await setup()
    writeFileSync(join(f.home, '.claude.json'), JSON.stringify({ mcpServers: { tend: { command: '/usr/bin/other' } } }))
    const foreign = await f.install('--claude', f.claude, '--mcp')
    assert.equal(foreign.code, 1)
    assert.match(foreign.stdout, /does not run tend mcp; tend left it alone/)
    assert.deepEqual(f.claudeJson().mcpServers['tend'], { command: '/usr/bin/other' })

    const missing = await f.install('--claude', join(f.home, 'no-claude'), '--mcp')
    assert.equal(missing.code, 1)
    assert.match(
      missing.stdout,
      /not registered: .*no-claude --version failed\. Register it yourself with:\n {2}claude mcp add-json --scope user tend '\{"type":"stdio","command":/,
    )
    const lone = await f.install('--claude', f.claude, '--allow-answers')
    assert.equal(lone.code, 1)
    assert.match(lone.stderr, /--allow-answers goes with --mcp/)
  })
})

describe('tend doctor: the MCP check', () => {
  it('not registered: ok, and says how; registered: starts it as Claude Code would and asks needs_me', async () => {
    const f = await setup()
    const none = await runTend(['doctor', '--settings', join(f.home, 'settings.json')], f.env)
    assert.match(
      none.stdout,
      /✓ mcp \(Claude Code\)\n {4}not registered in .*\.claude\.json \(optional\): `tend install --mcp`/,
    )

    assert.equal((await f.install('--claude', f.claude, '--mcp')).code, 0)
    // No receiver yet: the server starts, and says why it can't list anything.
    const down = await runTend(['doctor', '--settings', join(f.home, 'settings.json')], f.env)
    assert.match(
      down.stdout,
      /! mcp \(Claude Code\)\n {4}tend: `\S+ \S+ mcp`, answers off\n {4}it starts \(3 tools\), but: no token at/,
    )

    const server = await startServer(loadConfig(f.env), { log: silentLogger, channels: () => [] })
    cleanups.push(() => server.close())
    const up = await runTend(['doctor', '--settings', join(f.home, 'settings.json')], f.env)
    assert.match(
      up.stdout,
      /✓ mcp \(Claude Code\)\n {4}tend: .*answers off\n {4}it answers: 3 tools; needs_me lists 0 agent\(s\) waiting for you/,
    )

    // A registration whose command is gone fails, with what to do.
    const json = f.claudeJson()
    ;(json.mcpServers['tend'] as { command: string }).command = join(f.home, 'gone', 'node')
    writeFileSync(join(f.home, '.claude.json'), JSON.stringify(json))
    const broken = await runTend(['doctor', '--settings', join(f.home, 'settings.json')], f.env)
    assert.equal(broken.code, 1)
    assert.match(
      broken.stdout,
      /✗ mcp \(Claude Code\)\n.*\n {4}\S+gone\/node is missing or not executable: run `tend install --mcp` again/,
    )
  })
})
