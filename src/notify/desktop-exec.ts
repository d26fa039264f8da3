// Desktop pings, the process part both the sender and the doctor use: find a program, run it with a
// bound and an explicit environment (never process.env swapped for the call), and ask notify-send once
// whether it can show buttons.
import { execFile, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export function findOnPath(cmd: string, path = ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, cmd), constants.X_OK)
      return join(dir, cmd)
    } catch {
      /* next */
    }
  }
  return null
}

export interface RunResult {
  stdout: string
  stderr: string
  /** set when the program failed: its stderr, else the exec error (describeError makes it one line) */
  error?: string
  /** killed at the bound (or by the caller) before it ended */
  killed: boolean
}

export interface RunOptions {
  env: NodeJS.ProcessEnv
  timeoutMs: number
  /** the running child is kept here until it ends, so that its owner can kill it */
  live?: Set<ChildProcess>
}

/** execFile, no shell; resolves (never rejects) once the program has ended or was killed at the bound. */
export function run(file: string, args: string[], { env, timeoutMs, live }: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      live?.delete(child)
      const killed = Boolean(err?.killed)
      const error = !err ? undefined : killed ? `no answer within ${timeoutMs} ms` : stderr.trim() || err.message
      resolve({ stdout, stderr, error, killed })
    })
    live?.add(child)
  })
}

/** Whether a notify-send has `--action` (libnotify >= 0.7.10), asked once per binary; a failed question is asked again. */
export function createActionProbe(env: NodeJS.ProcessEnv): (notifySend: string) => Promise<boolean> {
  const answers = new Map<string, Promise<boolean>>()
  return (notifySend) => {
    let answer = answers.get(notifySend)
    if (!answer) {
      answer = run(notifySend, ['--help'], { env, timeoutMs: 2000 }).then((r) => {
        if (r.error) answers.delete(notifySend)
        return /--action\b/.test(r.stdout)
      })
      answers.set(notifySend, answer)
    }
    return answer
  }
}
