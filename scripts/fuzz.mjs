#!/usr/bin/env node
// npm run fuzz -- [--count N] [--seed S] [--concurrency C]: hostile requests against a real receiver
// (test/fuzz/). Prints the seed first, and every broken invariant with its request's index; exits 1 on any.
import { register } from 'tsx/esm/api'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return fallback
  const value = Number(args[i + 1])
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`fuzz: --${name} expects a whole number\n`)
    process.exit(2)
  }
  return value
}
const count = opt('count', 100_000)
const seed = opt('seed', Math.floor(Math.random() * 2 ** 31))
const concurrency = opt('concurrency', 8)

register()
const { fuzz } = await import('../test/fuzz/run.ts')
process.stdout.write(
  `fuzz: seed ${seed}, ${count} requests (reproduce: npm run fuzz -- --seed ${seed} --count ${count})\n`,
)
// Long runs go in batches of 5,000 (a fresh receiver each), so a failure names a short reproduction.
let done = 0
let failed = false
for (let batch = 0; done < count; batch++) {
  const n = Math.min(5_000, count - done)
  const batchSeed = (seed + batch) >>> 0
  const report = await fuzz({ seed: batchSeed, count: n, concurrency })
  done += n
  const statuses = Object.entries(report.statuses)
    .map(([s, k]) => `${s}×${k}`)
    .join(' ')
  process.stdout.write(
    `  ${done}/${count} seed ${batchSeed}: ${statuses}; ${report.acknowledged} acknowledged, ${report.stored} stored, integrity ${report.integrity}, ${(report.ms / 1000).toFixed(1)} s\n`,
  )
  if (report.failures.length) {
    failed = true
    process.stdout.write(`  FAILED (npm run fuzz -- --seed ${batchSeed} --count ${n}):\n`)
    for (const f of report.failures.slice(0, 50)) process.stdout.write(`    ${f}\n`)
  }
}
process.exit(failed ? 1 : 0)
