// Hostile requests against a real receiver (test/fuzz/): a few thousand per run, a fresh seed each
// time (TEND_FUZZ_SEED pins one). A failure prints the seed: `npm run fuzz -- --seed S --count N`.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { fuzz } from '../fuzz/run.ts'

const seed = Number(process.env['TEND_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31))
const count = Number(process.env['TEND_FUZZ_COUNT'] ?? 2500)

it(`survives ${count} hostile requests (seed ${seed}): no 5xx, no crash, integrity ok, exactly the acknowledged events stored`, async (t) => {
  const report = await fuzz({ seed, count })
  t.diagnostic(
    `seed ${seed}: ${JSON.stringify(report.statuses)}; ${report.acknowledged} acknowledged in ${Math.round(report.ms)} ms`,
  )
  assert.deepEqual(report.failures, [], `seed ${seed} (reproduce: npm run fuzz -- --seed ${seed} --count ${count})`)
  assert.equal(report.integrity, 'ok')
  assert.equal(report.stored, report.acknowledged)
  assert.ok(report.acknowledged > count / 10, `seed ${seed}: enough valid events got through to mean something`)
})
