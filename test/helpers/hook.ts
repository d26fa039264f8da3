// Runs the real hooks/tend-hook as a subprocess, the way Claude Code does: JSON on stdin.
import { spawn } from 'node:child_process'
import { createServer, type Socket } from 'node:net'
import { packageFile } from '../../src/package-files.ts'

export const HOOK = packageFile('hooks', 'tend-hook')

export interface HookRun {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

/**
 * The hook's own bounds (1 s for an observer, 2 s for a policy answer) are tested where they are the
 * subject (a silent receiver), with `env` setting them: elsewhere a test's receiver, in a process the
 * runner nices below the Claude Code and browser jobs, may take longer than that on a loaded machine.
 */
const ROOMY_BOUNDS = { TEND_OBSERVE_MAX_TIME: '10', TEND_POLICY_MAX_TIME: '10' }

export function runHook(
  body: string | object,
  env: Record<string, string>,
  args: string[] = ['observe'],
): Promise<HookRun> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(HOOK, args, {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...ROOMY_BOUNDS, ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - start }))
    child.stdin.end(typeof body === 'string' ? body : JSON.stringify(body))
  })
}

/** A receiver that accepts connections and never answers (stalled, or hung): its port, and how to close it. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = []
  const server = createServer((sock) => sockets.push(sock))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      sockets.forEach((sock) => sock.destroy())
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
