#!/usr/bin/env node
// npm test: type-check, build (the CLI tests run bin/tend on dist/), then node:test over every
// test file. Node 20 treats a glob as a literal path, so the files are listed here.
// Usage: node scripts/test.mjs [unit|integration|e2e ...]
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const SUITES = ['unit', 'integration', 'e2e']
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : SUITES

function step(title, cmd, args) {
  process.stderr.write(`\n== ${title}\n`)
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const tsc = join('node_modules', 'typescript', 'bin', 'tsc')
step('type-check', process.execPath, [tsc, '-p', 'tsconfig.json'])
step('build', process.execPath, [tsc, '-p', 'tsconfig.build.json'])

const files = chosen.flatMap((suite) =>
  readdirSync(join('test', suite))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', suite, f)),
)
// One file at a time: the e2e tests drive real processes and would fight over 2 cores.
step(`tests (${chosen.join(', ')}: ${files.length} files)`, process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  ...files,
])
