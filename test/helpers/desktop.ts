// Test helper: a private headless desktop (desktop-session.sh) held open while a test talks to it.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from './wait-for.ts'
import { packageFile } from '../../src/package-files.ts'

const SCRIPT = packageFile('test', 'helpers', 'desktop-session.sh')

/** One org.freedesktop.Notifications.Notify call seen on the bus. */
export interface Captured {
  time_ms: number // wall clock (epoch ms) when the call was on the bus
  app_name: string
  summary: string
  body: string
  actions: { key: string; label: string }[]
  urgency: 0 | 1 | 2 | null // low | normal | critical
  expire_timeout: number | null
  hints: Record<string, string | number>
}
export type DaemonMode = 'dunst' | 'none' | 'hung'
export interface Desktop {
  /** process.env plus this desktop's DISPLAY and DBUS_SESSION_BUS_ADDRESS */
  env: NodeJS.ProcessEnv
  out: string
  notifications(): Promise<Captured[]>
  /** poll the capture until `pred` holds for some call; rejects after `ms` */
  waitForNotify(pred: (n: Captured) => boolean, ms?: number): Promise<Captured>
  /** press a button (of popup `id`, else the first offering `key`) through dunst's own context menu */
  invokeAction(key: string, id?: number): Promise<void>
  stop(): Promise<void>
}

function exec(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    )
  })
}

export async function startDesktop(opts: { daemon?: DaemonMode } = {}): Promise<Desktop> {
  const out = mkdtempSync(join(tmpdir(), 'tend-desktop-'))
  // the held command reports the session, then waits for stdin to close: stop() closes it, and so does our death
  const child = spawn(
    'bash',
    [
      SCRIPT,
      '--daemon',
      opts.daemon ?? 'dunst',
      '--out',
      out,
      '--',
      'sh',
      '-c',
      'printf "READY %s %s\\n" "$DISPLAY" "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

  const ready = await new Promise<string[]>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error(`desktop did not start within 20 s: ${stderr.trim()}`)), 20_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d
      const m = /^READY (\S+) (\S+)$/m.exec(buf)
      if (m) {
        clearTimeout(timer)
        resolve([m[1] ?? '', m[2] ?? ''])
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`desktop-session.sh exited ${code}: ${stderr.trim()}`))
    })
  }).catch((err: unknown) => {
    child.kill('SIGTERM')
    rmSync(out, { recursive: true, force: true })
    throw err
  })

  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: ready[0], DBUS_SESSION_BUS_ADDRESS: ready[1] }
  delete env.WAYLAND_DISPLAY
  const monitorLog = join(out, 'dbus-monitor.log')
  // parsed again only when dbus-monitor has written more: waiting on a Notify costs a stat per poll
  let parsed: { size: number; calls: Captured[] } = { size: -1, calls: [] }
  const parse = async (): Promise<Captured[]> => {
    const size = statSync(monitorLog, { throwIfNoEntry: false })?.size ?? 0
    if (size !== parsed.size) {
      const calls = (await exec('bash', [SCRIPT, '--parse', monitorLog]))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Captured)
      parsed = { size, calls }
    }
    return parsed.calls
  }

  let stopped = false
  return {
    env,
    out,
    notifications: parse,
    waitForNotify: async (pred, ms = 5000) => waitFor(async () => (await parse()).find(pred), ms, 'a matching Notify'),
    async invokeAction(key, id) {
      writeFileSync(join(out, 'pick'), id === undefined ? `,${key}]` : `[${id},${key}]`)
      await exec('dunstctl', ['context'], env)
    },
    async stop() {
      if (stopped) return
      stopped = true
      child.stdin.end()
      const bounded = (ms: number) => {
        // unref: a pending timer must not keep the test process alive
        return Promise.race([exited, new Promise((r) => setTimeout(r, ms, 'late').unref())])
      }
      if (child.exitCode === null && (await bounded(10_000)) === 'late') {
        child.kill('SIGTERM') // its trap stops Xvfb, dbus and dunst by PID
        if ((await bounded(5_000)) === 'late') child.kill('SIGKILL')
      }
      if (!process.env.TEND_KEEP_DESKTOP) rmSync(out, { recursive: true, force: true })
    },
  }
}

/** Run `fn` in a fresh desktop and always tear it down. */
export async function withDesktop<T>(opts: { daemon?: DaemonMode }, fn: (d: Desktop) => Promise<T>): Promise<T> {
  const d = await startDesktop(opts)
  try {
    return await fn(d)
  } finally {
    await d.stop()
  }
}

/** This process's own children running one of `names` (Linux: read from /proc), e.g. notify-send left behind. */
export function childProcesses(names: string[]): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      continue // ended meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(ppid) === process.pid && state !== 'Z' && names.includes(comm)) found.push(`${comm} (${pid})`)
  }
  return found
}
