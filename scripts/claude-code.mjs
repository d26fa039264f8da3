#!/usr/bin/env node
// The Claude Code versions the end-to-end tests run against, installed by the test tooling into
// .cache/claude-code/<version>/ (never by install.sh: a user's install gets only what tend needs).
// Usage: node scripts/claude-code.mjs [VERSION|oldest|newest|latest ...]   prints "VERSION BIN" per line
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CACHE = join(ROOT, '.cache', 'claude-code')
const PACKAGE = '@anthropic-ai/claude-code'

/** The supported range: package.json's tend.claudeCode { oldest, newest }. */
export function supportedRange() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  return pkg.tend.claudeCode
}

/** A version name as the tests take it: an exact version, oldest, newest, or latest (asks the registry). */
export function resolveVersion(name) {
  const range = supportedRange()
  if (name === 'oldest' || name === 'newest') return range[name]
  if (name !== 'latest') return name
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  return execFileSync(npm, ['view', `${PACKAGE}@latest`, 'version'], { encoding: 'utf8' }).trim()
}

export function binPath(version) {
  return join(CACHE, version, 'node_modules', '.bin', 'claude')
}

/** Installs one exact version once (about 10 s); later calls find it in the cache. */
export function ensureClaudeCode(version) {
  const bin = binPath(version)
  if (existsSync(bin)) return bin
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a Claude Code version: ${version}`)
  const staging = join(CACHE, `.${version}-${process.pid}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  writeFileSync(join(staging, 'package.json'), '{"private":true}\n')
  process.stderr.write(`claude-code: installing ${PACKAGE}@${version} for the tests\n`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const r = spawnSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `${PACKAGE}@${version}`],
    { cwd: staging, stdio: ['ignore', process.stderr, 'inherit'] },
  )
  if (r.status !== 0 || !existsSync(join(staging, 'node_modules', '.bin', 'claude'))) {
    rmSync(staging, { recursive: true, force: true })
    throw new Error(`could not install ${PACKAGE}@${version} (npm exited ${r.status})`)
  }
  rmSync(join(CACHE, version), { recursive: true, force: true })
  renameSync(staging, join(CACHE, version)) // whole or not at all: a killed install leaves no half version
  return bin
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2)
  for (const name of names.length ? names : ['oldest', 'newest']) {
    const version = resolveVersion(name)
    process.stdout.write(`${version} ${ensureClaudeCode(version)}\n`)
  }
}
