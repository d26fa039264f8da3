#!/usr/bin/env node
// npm test: type-check, build (the CLI tests run bin/tend on dist/), then node:test over every
// test file. Node 20 treats a glob as a literal path, so the files are listed here.
// The end-to-end files run once per Claude Code version of the matrix: the oldest supported and the
// newest (package.json tend.claudeCode), each installed by scripts/claude-code.mjs.
// Usage: node scripts/test.mjs [unit|integration|e2e ...] [--claude VERSION|oldest|newest|latest ...]
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ensureClaudeCode, resolveVersion } from './claude-code.mjs'

const SUITES = ['unit', 'integration', 'browser', 'e2e']
const args = process.argv.slice(2)
const claudeNames = []
const suites = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--claude') {
    const name = args[++i]
    if (!name) fail('--claude: expected a version, oldest, newest or latest')
    claudeNames.push(name)
  } else if (SUITES.includes(args[i])) suites.push(args[i])
  else fail(`unknown argument '${args[i]}' (expected ${SUITES.join(', ')} or --claude VERSION)`)
}
const chosen = suites.length ? suites : SUITES

function fail(message) {
  process.stderr.write(`test: ${message}\n`)
  process.exit(2)
}

function step(title, cmd, argv, env = process.env) {
  process.stderr.write(`\n== ${title}\n`)
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const filesOf = (suite) =>
  readdirSync(join('test', suite))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', suite, f))

// One file at a time: the e2e tests drive real processes and would fight over 2 cores.
const nodeTest = (files) => ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]

const tsc = join('node_modules', 'typescript', 'bin', 'tsc')
step('type-check', process.execPath, [tsc, '-p', 'tsconfig.json'])
step('layers', process.execPath, [join('scripts', 'check-layers.mjs')])
step('build', process.execPath, [tsc, '-p', 'tsconfig.build.json'])

const plain = chosen.filter((s) => s !== 'e2e').flatMap(filesOf)
if (plain.length)
  step(
    `tests (${chosen.filter((s) => s !== 'e2e').join(', ')}: ${plain.length} files)`,
    process.execPath,
    nodeTest(plain),
  )

if (chosen.includes('e2e')) {
  const versions = [...new Set((claudeNames.length ? claudeNames : ['oldest', 'newest']).map(resolveVersion))]
  const files = filesOf('e2e')
  for (const version of versions) {
    const bin = ensureClaudeCode(version)
    step(`e2e with Claude Code ${version} (${files.length} files)`, process.execPath, nodeTest(files), {
      ...process.env,
      TEND_TEST_CLAUDE_BIN: bin,
      TEND_TEST_CLAUDE_VERSION: version,
    })
  }
}
