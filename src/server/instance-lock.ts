// One receiver per data directory: a pid file created exclusively (O_EXCL) before the receiver
// opens the database or replays the spool. A file left by a receiver that died (its pid gone, or
// now another program's) is taken over; a live one makes the second receiver stop with its name.
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const LOCK_NAME = 'tend.pid'
/** A lock file still empty this long after its creation belongs to a receiver that died starting. */
const STARTING_MS = 10_000

interface Holder {
  pid: number
  url?: string
  startedAt?: number
}

export class AlreadyRunning extends Error {
  constructor(
    readonly holder: Holder | null,
    dataDir: string,
  ) {
    super(
      `another tend receiver ${holder ? `(pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}) ` : ''}` +
        `is running on ${dataDir}: stop it first, or give this one another TEND_HOME`,
    )
    this.name = 'AlreadyRunning'
  }
}

export interface InstanceLock {
  /** Records where this receiver listens, for the message a second one prints. */
  listening(url: string): void
  release(): void
}

function readHolder(path: string): Holder | null | 'unreadable' {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable'
  }
  try {
    const holder = JSON.parse(text) as Holder
    return Number.isInteger(holder.pid) && holder.pid > 0 ? holder : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

/** Is that pid a live receiver? A pid reused by another program after a reboot is not (Linux: /proc tells). */
function isLiveReceiver(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    return /node|tend/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))
  } catch {
    return true // no /proc (macOS): a live pid is trusted
  }
}

/**
 * Removes the lock file left by a receiver that died, `seen` (its identity) when it was judged dead. Another
 * receiver starting at the same instant may have removed it and taken a lock of its own meanwhile: the
 * file is set aside first, and one that is not the judged one goes back.
 */
/** Which file this is: its inode (which a new file may reuse), when it was written (ns; a rename keeps it) and its size. */
export function identity(path: string): string {
  const st = statSync(path, { bigint: true })
  return `${st.ino}:${st.mtimeNs}:${st.size}`
}

export function setAsideStale(path: string, seen: string): void {
  const grave = `${path}.${process.pid}.stale`
  try {
    renameSync(path, grave)
  } catch {
    return
  }
  let moved = ''
  try {
    moved = identity(grave)
  } catch {
    return
  }
  if (moved !== seen) {
    try {
      linkSync(grave, path) // a receiver that took it over meanwhile: its lock goes back
    } catch {
      // taken again already
    }
  }
  unlinkSync(grave)
}

export function takeInstanceLock(dataDir: string): InstanceLock {
  const path = join(dataDir, LOCK_NAME)
  const write = (holder: Holder) => {
    const fd = openSync(path, 'w', 0o600)
    try {
      writeSync(fd, JSON.stringify(holder))
    } finally {
      closeSync(fd)
    }
  }
  const mine: Holder = { pid: process.pid, startedAt: Date.now() }
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number
    try {
      fd = openSync(path, 'wx', 0o600)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      let seen: string
      try {
        seen = identity(path)
      } catch {
        continue // released meanwhile
      }
      const holder = readHolder(path)
      if (holder === null) continue // released meanwhile
      if (holder === 'unreadable') {
        let age = Infinity
        try {
          age = Date.now() - statSync(path).mtimeMs
        } catch {
          continue
        }
        if (age < STARTING_MS) throw new AlreadyRunning(null, dataDir) // another one is starting right now
      } else if (isLiveReceiver(holder.pid)) throw new AlreadyRunning(holder, dataDir)
      setAsideStale(path, seen)
      continue
    }
    try {
      writeSync(fd, JSON.stringify(mine))
    } finally {
      closeSync(fd)
    }
    let released = false
    return {
      listening(url) {
        if (!released) write({ ...mine, url })
      },
      release() {
        if (released) return
        released = true
        const holder = readHolder(path)
        if (holder && holder !== 'unreadable' && holder.pid === process.pid) unlinkSync(path)
      },
    }
  }
  throw new AlreadyRunning(null, dataDir)
}
