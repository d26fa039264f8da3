// The CLI's option parser: a bad value names the option and what it expects.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { enumOption, intOption, portOption, UsageError } from '../../src/cli/options.ts'

const refusal = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof UsageError && err.exitCode === 2 && message.test(err.message))

describe('option values', () => {
  it('takes whole numbers in range, and nothing when the option is absent', () => {
    assert.equal(intOption('--days', '7'), 7)
    assert.equal(intOption('--days', ' 30 '), 30)
    assert.equal(intOption('--days', undefined), undefined)
    assert.equal(intOption('-n', '0', { min: 0 }), 0)
  })

  it('refuses anything else, naming the option', () => {
    for (const bad of ['abc', '1.5', '0', '-3', '', '1e3', '7d', '99999999999999999999']) {
      refusal(() => intOption('--days', bad), /^--days: expected a positive integer \(got '.*'\)$/)
    }
    refusal(() => intOption('--days', true), /^--days: expected a positive integer/)
    refusal(() => intOption('--limit', '1001', { max: 1000 }), /^--limit: expected a positive integer up to 1000/)
    refusal(() => intOption('-n', '-1', { min: 0 }), /^-n: expected a whole number ≥ 0/)
  })

  it('ports', () => {
    assert.equal(portOption('--port', '4761'), 4761)
    refusal(() => portOption('--port', '0'), /^--port: expected a port number from 1 to 65535 \(got '0'\)$/)
    refusal(() => portOption('--port', '70000'), /^--port: expected a port number/)
    assert.equal(portOption('--port', '0', { allowAny: true }), 0)
  })

  it('words from a set', () => {
    assert.equal(enumOption('--include', 'all', ['blocked', 'live', 'all']), 'all')
    refusal(
      () => enumOption('--include', 'some', ['blocked', 'live', 'all']),
      /^--include: expected one of blocked, live, all \(got 'some'\)$/,
    )
  })
})
