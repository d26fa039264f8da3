// One receiver per data directory: a dead receiver's lock is taken over, never a live one's taken at the same instant.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { AlreadyRunning, LOCK_NAME, identity, setAsideStale, takeInstanceLock } from '../../src/server/instance-lock.ts'

describe('the instance lock', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tend-lock-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('a lock left empty long ago (a receiver that died starting) is taken over; a live one is not', () => {
    const path = join(dir, LOCK_NAME)
    writeFileSync(path, '')
    utimesSync(path, new Date(0), new Date(0))
    const lock = takeInstanceLock(dir)
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, process.pid)
    assert.throws(() => takeInstanceLock(dir), AlreadyRunning)
    lock.release()
    assert.deepEqual(readdirSync(dir), [])
  })

  it('a stale lock another receiver replaced meanwhile with its own is put back, not removed', () => {
    const path = join(dir, LOCK_NAME)
    writeFileSync(path, '')
    const seen = identity(path)
    // Between this receiver judging the empty file dead and setting it aside, another one did the same
    // and took the lock: the file now there is the other receiver's.
    const other = join(dir, 'other')
    writeFileSync(other, JSON.stringify({ pid: 1, startedAt: 0 }))
    unlinkSync(path)
    writeFileSync(path, readFileSync(other))
    unlinkSync(other)
    setAsideStale(path, seen)
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, 1)
    assert.deepEqual(readdirSync(dir), [LOCK_NAME])
  })
})
