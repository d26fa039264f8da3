// Every numeric or enum option of every subcommand: a bad value is refused before anything runs,
// with the option's name and what it expects, exit code 2.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { tempHome } from '../helpers/app.ts'
import { runTend } from '../helpers/cli.ts'

/** [the command line, the message it must print] */
export const BAD_VALUES: Array<[string[], RegExp]> = [
  [['stats', '--days', 'abc'], /^tend: --days: expected a positive integer up to 365 \(got 'abc'\)$/],
  [['stats', '--days', '0'], /^tend: --days: expected a positive integer up to 365 \(got '0'\)$/],
  [['stats', '--days', '1.5'], /^tend: --days: expected a positive integer up to 365 \(got '1\.5'\)$/],
  [['pings', '--limit', '-2'], /^tend: --limit: expected a positive integer up to 1000 \(got '-2'\)$/],
  [['serve', '--port', 'http'], /^tend: --port: expected a port number from 1 to 65535 \(got 'http'\)$/],
  [['serve', '--port', '65536'], /^tend: --port: expected a port number from 1 to 65535 \(got '65536'\)$/],
  [['demo', '--port', 'x'], /^tend: --port: expected a port number from 1 to 65535 \(got 'x'\)$/],
  [['status', '--interval', '0'], /^tend: --interval: expected a positive integer up to 3600 \(got '0'\)$/],
  [['status', '--width', '5'], /^tend: --width: expected a whole number from 20 to 1000 \(got '5'\)$/],
  [['priority', 'api', '9'], /^tend: PRIORITY: expected a whole number from 1 to 5, or clear \(got '9'\)$/],
  [['priority', 'api', 'high'], /^tend: PRIORITY: expected a whole number from 1 to 5, or clear \(got 'high'\)$/],
  [['priority', 'api'], /^tend: PRIORITY: expected a whole number from 1 to 5, or clear$/],
  [['logs', '-n', 'many'], /^tend: -n: expected a whole number ≥ 0 \(got 'many'\)$/],
  [['stats', '--by', 'week'], /^tend: --by: expected project or agent \(got 'week'\)$/],
  [['report', '--days', '91'], /^tend: --days: expected a positive integer up to 90 \(got '91'\)$/],
  [['rules', 'add', 'maybe', 'Bash(ls)'], /^tend: KIND: expected one of deny, ask, allow \(got 'maybe'\)$/],
  [['rules', 'accept', 'first'], /^tend: N: expected the number tend rules suggest shows \(got 'first'\)$/],
  [['rules', 'effects', '--days', '0'], /^tend: --days: expected a positive integer up to 366 \(got '0'\)$/],
  [['rules', 'rm', 'x1'], /^tend: ID: expected a rule id, as tend rules list shows it \(got 'x1'\)$/],
  [['rules', 'rm', '#99999999999999999999'], /^tend: ID: expected a rule id, as tend rules list shows it/],
]

describe('bad option values', () => {
  const home = tempHome()
  // No receiver and no token: a bad value must be refused before either is needed.
  const env = { TEND_HOME: home.dir, HOME: home.dir }

  for (const [argv, message] of BAD_VALUES) {
    it(`tend ${argv.join(' ')}`, async () => {
      const run = await runTend(argv, env)
      assert.equal(run.code, 2, `exit code 2 (stderr: ${run.stderr})`)
      assert.match(run.stderr.trim(), message)
      assert.equal(run.stdout, '')
    })
  }
})
