// Runs the real `tend` command (bin/tend) as a subprocess.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { packageFile } from '../../src/package-files.ts'

export const TEND_BIN = packageFile('bin', 'tend')
const ROOT = packageFile()

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** bin/tend runs dist/: rebuild it when src/ is newer, so a test never exercises stale code. */
export function ensureBuilt(): void {
  let built = 0
  try {
    built = statSync(join(ROOT, 'dist', 'cli', 'index.js')).mtimeMs
  } catch {
    // not built yet
  }
  if (built >= newestMtime(join(ROOT, 'src'))) return
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
}
ensureBuilt()

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

export function runTend(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TEND_BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      timeout: timeoutMs,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
