// Finding Claude Code's process from a hook's parent, for liveness checks (SessionEnd is unreliable).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'busybox'])

interface ProcessInfo {
  comm: string
  ppid: number
}

function processInfo(pid: number): ProcessInfo | undefined {
  try {
    if (process.platform === 'linux') {
      // "pid (comm) state ppid …"; comm may itself hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const ppid = Number(stat.slice(close + 2).split(' ')[1])
      return { comm, ppid }
    }
    const out = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], { encoding: 'utf8', timeout: 1000 }).trim()
    const m = /^(\d+)\s+(.*)$/.exec(out)
    return m ? { ppid: Number(m[1]), comm: (m[2] ?? '').split('/').pop() ?? '' } : undefined
  } catch {
    return undefined // gone already, or not ours to read
  }
}

/**
 * Claude Code runs a command hook as `sh -c "…"`: the hook's parent is that shell, whose parent is
 * Claude Code. (When there is no shell in between, the parent is Claude Code itself.)
 */
export function claudePidFromHookParent(ppid: number): number | undefined {
  const parent = processInfo(ppid)
  if (!parent) return undefined
  if (!SHELLS.has(parent.comm)) return ppid
  return parent.ppid > 1 ? parent.ppid : undefined
}
