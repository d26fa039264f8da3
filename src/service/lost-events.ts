// Events the hook could neither deliver nor spool: it appends one line per event ("<ms> <mode>
// <data dir>") to a per-user file outside the data directory (config paths.lostFile), read here so
// tend doctor can say how many were lost and when.
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'

export interface LostEvents {
  count: number
  /** When the last one was lost (ms). */
  lastAt: number | null
  file: string
}

/** What the hooks of this data directory lost (null: none, or no trace left). */
export function readLostEvents(file: string, dataDir: string): LostEvents | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  // The hook joins the directory as the shell does (`${XDG_DATA_HOME}/tend` with XDG_DATA_HOME=/d/ is /d//tend).
  const same = (d: string) => posix.normalize(d).replace(/(.)\/+$/, '$1')
  const mine = same(dataDir)
  let count = 0
  let lastAt: number | null = null
  for (const line of text.split('\n')) {
    const m = /^(\d+) \S+ (.*)$/.exec(line)
    if (!m || same(m[2]!) !== mine) continue
    count++
    lastAt = Math.max(lastAt ?? 0, Number(m[1]))
  }
  return count ? { count, lastAt, file } : null
}
