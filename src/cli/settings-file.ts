// Reads and writes a Claude Code settings.json safely: refuse invalid JSON, back up, write atomically.
import { copyFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export class SettingsError extends Error {}

export function readSettings(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null
  const text = readFileSync(path, 'utf8')
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SettingsError(
      `${path} is not valid JSON (${(err as Error).message}); fix it first, tend left it untouched`,
    )
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new SettingsError(`${path} must hold a JSON object; tend left it untouched`)
  }
  return value as Record<string, unknown>
}

export interface WriteOutcome {
  changed: boolean
  backup: string | null
}

/** Writes only when something changes; the previous file is kept as <path>.tend-backup-<time>. */
export function writeSettings(
  path: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  now = new Date(),
): WriteOutcome {
  if (before && JSON.stringify(before) === JSON.stringify(after)) return { changed: false, backup: null }
  mkdirSync(dirname(path), { recursive: true })
  let backup: string | null = null
  let mode = 0o644
  if (existsSync(path)) {
    mode = statSync(path).mode & 0o777
    backup = `${path}.tend-backup-${now.toISOString().replace(/[:.]/g, '-')}`
    copyFileSync(path, backup)
  }
  const tmp = `${path}.tend-tmp-${process.pid}`
  writeFileSync(tmp, `${JSON.stringify(after, null, 2)}\n`, { mode })
  renameSync(tmp, path)
  return { changed: true, backup }
}
