// Runs the real `tend` command (bin/tend) as a subprocess.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const TEND_BIN = fileURLToPath(new URL('../../bin/tend', import.meta.url))

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
