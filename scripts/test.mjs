#!/usr/bin/env node
// npm test: the type-check, the layer check, the build (the CLI tests run bin/tend on dist/), and every
// test file, as one pool of jobs sized for the machine.
//  - The tests run as JavaScript from the test build (scripts/test-build.mjs: src/ and test/ transpiled
//    once), not through a TypeScript loader in each of their processes.
//  - The unit files (pure, no I/O) share one process; the integration, browser and end-to-end files are
//    packed into processes of about PACK_SEC (below), the end-to-end ones run once per Claude Code version
//    of the matrix (the oldest supported and the newest: package.json tend.claudeCode, installed by
//    scripts/claude-code.mjs); the type-check is a job. A job past JOB_LIMIT_SEC is killed and fails.
//  - Longest first (each job's last wall time is kept in .cache/test-times.json; a fresh clone starts
//    from test/times.json), `jobs` at once (two per core: most of a test's time is spent waiting
//    on a process, a socket or a hold), of which at most `heavy` (one per core) drive a Claude Code or a
//    Chromium; the others run niced, so the hooks those runs depend on are not starved.
//  - Each job's output is printed whole when it ends, then a summary.
// Usage: node scripts/test.mjs [unit|integration|browser|e2e ...] [FILE.test.ts ...]
//        [--claude VERSION|oldest|newest|latest ...] [--jobs N] [--heavy N]   (or TEND_TEST_JOBS)
//        [--save-times]   (writes this run's time of each file into test/times.json, which the packing reads)
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, setPriority } from 'node:os'
import { basename, join, relative, resolve } from 'node:path'
import { ensureClaudeCode, resolveVersion } from './claude-code.mjs'
import { buildTests, compiledPath, TEST_BUILD } from './test-build.mjs'

const SUITES = ['unit', 'integration', 'browser', 'e2e']
const args = process.argv.slice(2)
const claudeNames = []
const suites = []
const files = []
let saveTimes = false
let jobs = Number(process.env.TEND_TEST_JOBS ?? availableParallelism() * 2)
let heavy = Math.max(1, availableParallelism())
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--claude') {
    const name = args[++i]
    if (!name) fail('--claude: expected a version, oldest, newest or latest')
    claudeNames.push(name)
  } else if (arg === '--jobs' || arg === '--heavy') {
    const n = Number(args[++i])
    if (!Number.isInteger(n) || n < 1) fail(`${arg}: expected a positive integer`)
    if (arg === '--jobs') jobs = n
    else heavy = n
  } else if (arg === '--save-times') saveTimes = true
  else if (SUITES.includes(arg)) suites.push(arg)
  else if (arg.endsWith('.test.ts') && existsSync(arg)) files.push(relative('.', resolve(arg)))
  else
    fail(
      `unknown argument '${arg}' (expected ${SUITES.join(', ')}, a test file, --claude VERSION, --jobs N or --save-times)`,
    )
}
heavy = Math.min(heavy, jobs)

function fail(message) {
  process.stderr.write(`test: ${message}\n`)
  process.exit(2)
}

const filesOf = (suite) =>
  existsSync(join('test', suite))
    ? readdirSync(join('test', suite))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => join('test', suite, f))
    : []
const suiteOf = (file) => file.split('/')[1]
/** What runs: the files named, or every file of the suites named (all four by default). */
const chosen = files.length ? files : (suites.length ? suites : SUITES).flatMap(filesOf)

const started = Date.now()
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`
const tsc = join('node_modules', 'typescript', 'bin', 'tsc')

// The test build and dist/ side by side (each mostly one core), then the layer check (instant).
process.stderr.write('== test build, build (tsc --noCheck: the type-check below checks the same sources)\n')
const building = new Promise((done) => {
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { stdio: 'inherit' })
  child.on('close', (code) => done(code))
})
buildTests()
if ((await building) !== 0) fail('build failed')
const layers = spawnSync(process.execPath, [join('scripts', 'check-layers.mjs')], { stdio: 'inherit' })
if (layers.status !== 0) process.exit(layers.status ?? 1)

// Each job's wall time last run: the order of this one (longest first).
// A fresh clone starts from test/times.json (one run on a 2-core machine, committed; only the order
// and the packing below depend on it), then from its own last run.
const TIMES = join('.cache', 'test-times.json')
const readTimes = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {})
const committedTimes = readTimes(join('test', 'times.json'))
const lastTimes = { ...committedTimes, ...readTimes(TIMES) }
const TYPICAL_SEC = { 'type-check': 35, unit: 5, integration: 4, browser: 15, e2e: 12 }

/** A file's committed time (the longest over the Claude Code versions, for an e2e file). */
function fileSeconds(file) {
  const own = Object.entries(committedTimes).filter(([k]) => k === file || k.startsWith(`${file} (`))
  return own.length ? Math.max(...own.map(([, v]) => v)) : TYPICAL_SEC[suiteOf(file)]
}

// Each test process pays ~0.6 CPU-s to load the app before its first test, so the files of a suite are
// packed into processes of about PACK_SEC (first fit, longest first; committed times only, so every
// checkout forms the same groups). A file past that runs alone, as does one that installs a
// process-wide handler (it would see the other files' events). Name a file to run it alone.
const PACK_SEC = 30
/**
 * One process's entry: each file imported inside a suite of its own, so its top-level hooks (a `before`,
 * an `afterEach`) stay its own instead of running around every other file's tests.
 */
const groupEntry = (members) =>
  "import { describe } from 'node:test'\n" +
  members
    .map(
      (f) =>
        `describe(${JSON.stringify(f)}, async () => void (await import(${JSON.stringify(compiledPath(resolve(f)))})))\n`,
    )
    .join('')
const ownsProcess = (file) => /\bprocess\.on\(/.test(readFileSync(file, 'utf8'))
function pack(suiteFiles) {
  const groups = []
  const longestFirst = [...suiteFiles].sort((a, b) => fileSeconds(b) - fileSeconds(a) || a.localeCompare(b))
  const named = files.length > 0
  for (const file of longestFirst) {
    const sec = fileSeconds(file)
    // A file of PACK_SEC or more fits no group and starts its own, which no other file fits.
    const alone = named || ownsProcess(file)
    const group = alone ? undefined : groups.find((g) => !g.alone && g.sec + sec <= PACK_SEC)
    if (group) {
      group.files.push(file)
      group.sec += sec
    } else groups.push({ files: [file], sec, alone })
  }
  return groups.map(({ files: members, sec }, i) => {
    if (members.length === 1) return { title: members[0], entry: compiledPath(resolve(members[0])), sec, members }
    const suite = suiteOf(members[0])
    const entry = join(TEST_BUILD, 'test', `${suite}-group-${i + 1}.js`)
    writeFileSync(entry, groupEntry(members))
    const names = members.map((f) => basename(f, '.test.ts'))
    return { title: `test/${suite}: ${names.join(', ')}`, entry, sec, members }
  })
}

const runNode = (argv) => [process.execPath, ['--enable-source-maps', '--test-reporter=spec', ...argv]]
/** @type {{ title: string, cmd: string, argv: string[], env: NodeJS.ProcessEnv, heavy: boolean, estimate: number, members: string[], version?: string }[]} */
const queue = []
const add = (title, [cmd, argv], opts = {}) =>
  queue.push({
    title,
    cmd,
    argv,
    env: opts.env ?? process.env,
    heavy: Boolean(opts.heavy),
    estimate: lastTimes[title] ?? opts.typical,
    members: opts.members ?? [],
    version: opts.version,
  })

// Incremental: what tsc learnt last run is kept in .cache/, so an unchanged tree checks in a quarter of the time.
const typeCheck = [
  tsc,
  '-p',
  'tsconfig.json',
  '--incremental',
  '--tsBuildInfoFile',
  join('.cache', 'tsc', 'check.tsbuildinfo'),
]
if (!files.length) add('type-check', [process.execPath, typeCheck], { typical: TYPICAL_SEC['type-check'] })
mkdirSync(join(TEST_BUILD, 'test'), { recursive: true })
const inSuite = (suite) => chosen.filter((f) => suiteOf(f) === suite)
const unit = inSuite('unit')
if (unit.length) {
  // The unit files (pure, no I/O) share one process whatever their number.
  const entry = join(TEST_BUILD, 'test', 'unit-files.js')
  writeFileSync(entry, groupEntry(unit))
  add(`unit (${unit.length} files)`, runNode([entry]), { typical: TYPICAL_SEC.unit })
}
for (const { title, entry, sec, members } of pack(inSuite('integration')))
  add(title, runNode([entry]), { typical: sec, members })
for (const { title, entry, sec, members } of pack(inSuite('browser')))
  add(title, runNode([entry]), { heavy: true, typical: sec, members })
const e2eJobs = pack(inSuite('e2e'))
if (e2eJobs.length) {
  const versions = [...new Set((claudeNames.length ? claudeNames : ['oldest', 'newest']).map(resolveVersion))]
  for (const version of versions) {
    const bin = ensureClaudeCode(version)
    const env = { ...process.env, TEND_TEST_CLAUDE_BIN: bin, TEND_TEST_CLAUDE_VERSION: version }
    for (const { title, entry, sec, members } of e2eJobs)
      add(`${title} (Claude Code ${version})`, runNode([entry]), { env, heavy: true, typical: sec, members, version })
  }
}
queue.sort((a, b) => b.estimate - a.estimate)

const NICE = 10
const JOB_LIMIT_SEC = 300 // the longest job takes under a minute on 2 busy cores
const count = (out, name) => Number(out.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm'))?.[1] ?? 0)

function run(job) {
  return new Promise((done) => {
    const t0 = Date.now()
    const child = spawn(job.cmd, job.argv, { env: job.env, stdio: ['ignore', 'pipe', 'pipe'] })
    // The rest yields the CPU to the jobs driving a Claude Code or a browser: their hooks have to run within
    // Claude Code's own bounds (it gives a hook 1.5 s after SIGTERM at exit), a test's waits have 20 s.
    if (!job.heavy && child.pid) setPriority(child.pid, NICE)
    const chunks = []
    child.stdout.on('data', (d) => chunks.push(d))
    child.stderr.on('data', (d) => chunks.push(d))
    // A process that never exits (a handle left open after its last test) fails its job, not the whole run.
    let timedOut = false
    const limit = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, JOB_LIMIT_SEC * 1000)
    child.on('close', (code, signal) => {
      clearTimeout(limit)
      if (timedOut) chunks.push(Buffer.from(`\ntest: killed after ${JOB_LIMIT_SEC} s\n`))
      const out = Buffer.concat(chunks).toString()
      const ms = Date.now() - t0
      const ok = code === 0
      process.stdout.write(`\n== ${job.title}\n${out}`)
      const tally = job.title === 'type-check' ? '' : `${count(out, 'pass')} passed, ${count(out, 'fail')} failed, `
      process.stderr.write(
        `== ${ok ? 'ok  ' : 'FAIL'} ${job.title}: ${tally}${seconds(ms)}${timedOut ? ' (killed: too long)' : signal ? ` (${signal})` : ''}\n`,
      )
      done({ job, ok, ms, out, pass: count(out, 'pass'), fail: count(out, 'fail') })
    })
  })
}

// The pool: the longest job that fits (at most `heavy` Claude Code or Chromium jobs at once).
process.stderr.write(`== ${queue.length} jobs, ${jobs} at once (${heavy} with a Claude Code or a browser)\n`)
const results = []
await new Promise((allDone) => {
  let running = 0
  let heavyRunning = 0
  const next = () => {
    if (!queue.length && !running) return allDone()
    while (running < jobs) {
      const i = queue.findIndex((j) => !j.heavy || heavyRunning < heavy)
      if (i < 0) break
      const [job] = queue.splice(i, 1)
      running++
      if (job.heavy) heavyRunning++
      void run(job).then((r) => {
        results.push(r)
        running--
        if (job.heavy) heavyRunning--
        next()
      })
    }
  }
  next()
})

mkdirSync('.cache', { recursive: true })
writeFileSync(
  TIMES,
  JSON.stringify({ ...lastTimes, ...Object.fromEntries(results.map((r) => [r.job.title, r.ms / 1000])) }, null, 1),
)
if (saveTimes) {
  const measured = Object.fromEntries(results.filter((r) => r.ok).flatMap(fileTimes))
  const sorted = Object.entries({ ...committedTimes, ...measured }).sort(([a], [b]) => a.localeCompare(b))
  writeFileSync(join('test', 'times.json'), `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`)
  process.stderr.write(`== test/times.json: ${Object.keys(measured).length} times saved\n`)
}
const failed = results.filter((r) => !r.ok)
const total = (k) => results.reduce((n, r) => n + r[k], 0)
process.stderr.write(
  `\n== summary: ${total('pass')} passed, ${total('fail')} failed, ${results.length} jobs, ${seconds(Date.now() - started)} in all\n` +
    (failed.length ? `failed:\n${failed.map((r) => `  ${r.job.title}`).join('\n')}\n` : ''),
)
// Each failure again, last: a CI log cut to its head and tail still shows why.
for (const r of failed) process.stderr.write(`\n== why ${r.job.title} failed\n${failureOf(r.out)}\n`)
process.exit(failed.length ? 1 : 0)

/**
 * Each file's own time in a job, keyed as test/times.json keys it (an e2e file per Claude Code version):
 * a group's from the line the spec reporter ends each file's suite with, a lone file's the job's.
 */
function fileTimes({ job, ms, out }) {
  const key = (file) => (job.version ? `${file} (Claude Code ${job.version})` : file)
  // The type-check's committed time stays: a fresh clone checks cold, this run may have been incremental.
  if (job.title === 'type-check') return []
  if (job.members.length === 1) return [[key(job.members[0]), Math.round(ms / 1000)]]
  return job.members.flatMap((file) => {
    const line = out.match(new RegExp(`^✔ ${file.replace(/[.]/g, '\\.')} \\(([\\d.]+)ms\\)$`, 'm'))
    return line ? [[key(file), Math.max(1, Math.round(Number(line[1]) / 1000))]] : []
  })
}

/** node:test's own account of its failures (its spec reporter ends with them), else the output's tail. */
function failureOf(out) {
  const at = out.lastIndexOf('✖ failing tests:')
  const lines = (at >= 0 ? out.slice(at) : out).trimEnd().split('\n')
  return (at >= 0 ? lines.slice(0, 120) : lines.slice(-40)).join('\n')
}
