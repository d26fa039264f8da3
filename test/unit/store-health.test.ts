// A store that cannot write: which errors count as that, and how often the log says so.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { storeFailure } from '../../src/store/db.ts'
import { createStoreHealth, STORE_FAILURE_LOG_EVERY_MS } from '../../src/service/store-health.ts'

const coded = (code: string) => Object.assign(new Error(code), { code })

describe('storeFailure', () => {
  it('knows a full disk, a read-only store, an I/O error and a lock from their codes', () => {
    assert.deepEqual(
      [
        'SQLITE_FULL',
        'ENOSPC',
        'EDQUOT',
        'SQLITE_READONLY',
        'SQLITE_READONLY_DBMOVED',
        'EROFS',
        'SQLITE_IOERR_WRITE',
        'EIO',
        'SQLITE_BUSY',
      ].map((c) => storeFailure(coded(c))),
      ['disk_full', 'disk_full', 'disk_full', 'read_only', 'read_only', 'read_only', 'io_error', 'io_error', 'busy'],
    )
  })

  it('anything else is not the store failing (a bad input or a bug: never retried in a loop)', () => {
    for (const err of [
      new Error('SQLITE_FULL in the message only'),
      new RangeError('Maximum call stack'),
      coded('SQLITE_CONSTRAINT'),
      null,
      'x',
    ])
      assert.equal(storeFailure(err), null)
  })
})

describe('store health', () => {
  it('logs the first failure, then at most once a minute with how many; clears on the next write', () => {
    const logged: Array<[string, Record<string, unknown> | undefined]> = []
    const log = {
      info: (m: string, f?: Record<string, unknown>) => logged.push([m, f]),
      warn() {},
      error: (m: string, f?: Record<string, unknown>) => logged.push([m, f]),
    }
    const clock = { now: 1_000_000 }
    const health = createStoreHealth(log, () => clock.now)
    assert.deepEqual(health.view(), { ok: true })
    for (let i = 0; i < 30; i++) {
      health.failed('disk_full', coded('SQLITE_FULL'))
      clock.now += 5_000 // 30 failures over 150 s
    }
    const errors = logged.filter(([m]) => m.startsWith('store cannot write'))
    assert.equal(errors.length, 3, 'at 0 s, 60 s and 120 s')
    assert.deepEqual(
      errors.map(([, f]) => f!['failures']),
      [1, STORE_FAILURE_LOG_EVERY_MS / 5_000, STORE_FAILURE_LOG_EVERY_MS / 5_000],
    )
    const view = health.view()
    assert.equal(view.ok, false)
    if (!view.ok) assert.deepEqual([view.kind, view.since, view.failures], ['disk_full', 1_000_000, 30])
    health.ok()
    assert.deepEqual(health.view(), { ok: true })
    assert.equal(logged.at(-1)![0], 'store writes again')
    health.ok()
    assert.equal(logged.filter(([m]) => m === 'store writes again').length, 1, 'only when it was failing')
  })
})
