// The config file: defaults filled in, bad values refused with an error naming the field.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig, ConfigError } from '../../src/config.ts'

describe('config file', () => {
  const withFile = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-config-'))
    writeFileSync(join(dir, 'config.json'), content)
    return () => loadConfig({ TEND_HOME: dir, HOME: dir })
  }

  it('fills every default when absent, and reads what is given', () => {
    const c = withFile('{"notify": {"graceSec": 5, "quietHours": {"start": "22:00", "end": "07:30"}}}')()
    assert.equal(c.file.notify.graceSec, 5)
    assert.deepEqual(c.file.notify.escalationMin, [2, 10, 30])
    assert.equal(c.file.holds.stopBlockCap, 8)
  })

  it('refuses a bad value with an error naming the field', () => {
    assert.throws(
      withFile('{"notify": {"graceSec": -1}}'),
      (e: Error) => e instanceof ConfigError && /notify\.graceSec/.test(e.message),
    )
    assert.throws(
      withFile('{"notify": {"quietHours": {"start": "25:00", "end": "07:00"}}}'),
      /notify\.quietHours\.start/,
    )
    assert.throws(withFile('{"notfy": {}}'), /notfy/)
    assert.throws(withFile('{"slack": {"botToken": "xapp-wrong"}}'), /slack\.botToken/)
    assert.throws(withFile('{nope'), /not valid JSON/)
  })
})
