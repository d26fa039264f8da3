#!/usr/bin/env node
// npm test: type-check, layer check, build (the CLI tests run bin/tend on dist/), then node:test over
// every test file. Node 20 treats a glob as a literal path, so the files are listed here.
// The end-to-end files run once per Claude Code version of the matrix: the oldest supported and the
// newest (package.json tend.claudeCode), each installed by scripts/claude-code.mjs.
// The suites run as parallel jobs (most of a test's time is spent waiting on a process, a socket or a
// hold, not on the CPU): each job's output is kept whole and printed when it ends, then a summary.
// Usage: node scripts/test.mjs [unit|integration|browser|e2e ...] [--claude VERSION|oldest|newest|latest ...]
//        [--jobs 1]   (one job at a time; by default two lanes run side by side, or TEND_TEST_JOBS=1)
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ensureClaudeCode, resolveVersion } from './claude-code.mjs'

const SUITES = ['unit', 'integration', 'browser', 'e2e']
const args = process.argv.slice(2)
const claudeNames = []
const suites = []
let jobs = Number(process.env.TEND_TEST_JOBS ?? 2)
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--claude') {
    const name = args[++i]
    if (!name) fail('--claude: expected a version, oldest, newest or latest')
    claudeNames.push(name)
  } else if (args[i] === '--jobs') {
    jobs = Number(args[++i])
    if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs: expected a positive integer')
  } else if (SUITES.includes(args[i])) suites.push(args[i])
  else fail(`unknown argument '${args[i]}' (expected ${SUITES.join(', ')}, --claude VERSION or --jobs N)`)
}
const chosen = suites.length ? suites : SUITES

function fail(message) {
  process.stderr.write(`test: ${message}\n`)
  process.exit(2)
}

function step(title, cmd, argv) {
  process.stderr.write(`\n== ${title}\n`)
  const r = spawnSync(cmd, argv, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const filesOf = (suite) =>
  existsSync(join('test', suite))
    ? readdirSync(join('test', suite))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => join('test', suite, f))
    : []

// Files of one job run `concurrency` at a time. The unit and integration files take two: each is
// its own receiver on its own port and home. The end-to-end and browser files take one each (a Claude
// Code or a Chromium per file is what two cores can carry beside the other jobs).
const nodeTest = (files, concurrency) => [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec',
  ...files,
]

const tsc = join('node_modules', 'typescript', 'bin', 'tsc')
const started = Date.now()
step('type-check', process.execPath, [tsc, '-p', 'tsconfig.json'])
step('layers', process.execPath, [join('scripts', 'check-layers.mjs')])
step('build', process.execPath, [tsc, '-p', 'tsconfig.build.json'])

/** @type {{ title: string, argv: string[], env: NodeJS.ProcessEnv }[]} */
const queue = []
if (chosen.includes('e2e')) {
  const versions = [...new Set((claudeNames.length ? claudeNames : ['oldest', 'newest']).map(resolveVersion))]
  const files = filesOf('e2e')
  for (const version of versions) {
    const bin = ensureClaudeCode(version)
    queue.push({
      title: `e2e with Claude Code ${version} (${files.length} files)`,
      argv: nodeTest(files, 1),
      env: { ...process.env, TEND_TEST_CLAUDE_BIN: bin, TEND_TEST_CLAUDE_VERSION: version },
    })
  }
}
const plainSuites = chosen.filter((s) => s === 'unit' || s === 'integration')
const plain = plainSuites.flatMap(filesOf)
if (plain.length)
  queue.push({
    title: `${plainSuites.join(' + ')} (${plain.length} files)`,
    argv: nodeTest(plain, 2),
    env: process.env,
  })
const browser = chosen.includes('browser') ? filesOf('browser') : []
if (browser.length)
  queue.push({ title: `browser (${browser.length} files)`, argv: nodeTest(browser, 1), env: process.env })
// Two lanes: the Claude Code versions' passes one after the other, the other suites beside them.
// Never two e2e passes at once: side by side they starve each other's hooks on two cores (a hook
// killed before it posts makes a flaky test). --jobs 1 runs everything in one lane.
const e2eJobs = queue.filter((j) => j.title.startsWith('e2e'))
const others = queue.filter((j) => !j.title.startsWith('e2e'))
const lanes = jobs === 1 ? [queue] : [e2eJobs, others]

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`
const summary = (out) => {
  const count = (name) => out.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm'))?.[1] ?? '?'
  return `${count('pass')} passed, ${count('fail')} failed`
}

function run(job) {
  return new Promise((resolve) => {
    const t0 = Date.now()
    process.stderr.write(`\n== started: ${job.title}\n`)
    const child = spawn(process.execPath, job.argv, { env: job.env, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks = []
    child.stdout.on('data', (d) => chunks.push(d))
    child.stderr.on('data', (d) => chunks.push(d))
    child.on('close', (code, signal) => {
      const out = Buffer.concat(chunks).toString()
      const ok = code === 0
      process.stdout.write(`\n== ${job.title}\n${out}`)
      const line = `${ok ? 'ok  ' : 'FAIL'} ${job.title}: ${summary(out)}, ${seconds(Date.now() - t0)}${signal ? ` (${signal})` : ''}`
      process.stderr.write(`== ${line}\n`)
      resolve({ ok, line })
    })
  })
}

const results = []
await Promise.all(
  lanes.map(async (lane) => {
    for (const job of lane) results.push(await run(job))
  }),
)
process.stderr.write(
  `\n== summary (${seconds(Date.now() - started)} in all)\n${results.map((r) => r.line).join('\n')}\n`,
)
process.exit(results.every((r) => r.ok) ? 0 : 1)
