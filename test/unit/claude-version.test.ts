// `claude --version` as tend install reads it.
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { detectClaudeVersion, parseClaudeVersion } from '../../src/cli/claude-version.ts'

describe('claude version', () => {
  it('parses what both supported versions print', () => {
    assert.equal(parseClaudeVersion('2.1.197 (Claude Code)\n'), '2.1.197')
    assert.equal(parseClaudeVersion('2.1.332 (Claude Code)\n'), '2.1.332')
    assert.equal(parseClaudeVersion('error: unknown option\n'), null)
    assert.equal(parseClaudeVersion(''), null)
  })

  it('is null when the binary is missing or fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-claude-version-'))
    try {
      assert.deepEqual(detectClaudeVersion(join(dir, 'missing')), { bin: join(dir, 'missing'), version: null })
      const failing = join(dir, 'claude')
      writeFileSync(failing, '#!/bin/sh\necho 2.1.332; exit 3\n')
      chmodSync(failing, 0o755)
      assert.equal(detectClaudeVersion(failing).version, null)
      writeFileSync(failing, '#!/bin/sh\necho "2.1.332 (Claude Code)"\n')
      assert.equal(detectClaudeVersion(failing).version, '2.1.332')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
