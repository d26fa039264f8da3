// The install's bearer token: generated once into a 0600 file, or taken from TEND_TOKEN.
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Config } from './config.ts'

export function readToken(config: Pick<Config, 'tokenOverride' | 'paths'>): string | null {
  if (config.tokenOverride) return config.tokenOverride
  try {
    return readFileSync(config.paths.tokenFile, 'utf8').trim() || null
  } catch {
    return null
  }
}

/** Returns the token, creating the file (mode 0600, in a 0700 directory) on first start. */
export function ensureToken(config: Config): string {
  const existing = readToken(config)
  if (existing) {
    if (!config.tokenOverride) tightenMode(config.paths.tokenFile)
    return existing
  }
  const token = randomBytes(32).toString('base64url')
  mkdirSync(dirname(config.paths.tokenFile), { recursive: true, mode: 0o700 })
  // 'wx' fails if another process created it meanwhile; then theirs wins.
  try {
    writeFileSync(config.paths.tokenFile, `${token}\n`, { mode: 0o600, flag: 'wx' })
    return token
  } catch {
    return readToken(config) ?? token
  }
}

function tightenMode(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  } catch {
    // Unreadable mode is not worth failing the start for; the read itself succeeded.
  }
}
