// The hooks' trace of events they could neither deliver nor spool, as tend doctor reads it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { readLostEvents } from '../../src/service/lost-events.ts'

describe('readLostEvents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-lost-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'lost')

  it('counts the lines of this data directory, the last time, and nothing of another', () => {
    writeFileSync(file, '100 observe /d/tend\n300 hold /d/tend\n200 observe /other\nnot a line\n')
    assert.deepEqual(readLostEvents(file, '/d/tend'), { count: 2, lastAt: 300, file })
    assert.equal(readLostEvents(file, '/nowhere'), null)
    assert.equal(readLostEvents(join(dir, 'none'), '/d/tend'), null)
  })

  it('the hook writes the directory as the shell joined it (XDG_DATA_HOME=/d/ gives /d//tend): the same directory', () => {
    writeFileSync(file, '100 observe /d//tend\n200 observe /d/tend/\n')
    assert.deepEqual(readLostEvents(file, '/d/tend'), { count: 2, lastAt: 200, file })
  })
})
