// tend stop / restart / logs: the receiver, however install.sh started it.
import { closeSync, openSync, readSync, statSync, watchFile, unwatchFile } from 'node:fs'
import { defineCommand } from 'citty'
import { loadConfig } from '../config.ts'
import { guard } from './errors.ts'
import { intOption } from './options.ts'
import { detectManager, logFile, restartReceiver, stopReceiver } from './service.ts'

const verbose = { verbose: { type: 'boolean', description: 'Show stack traces' } } as const

export const stop = defineCommand({
  meta: {
    name: 'stop',
    description: 'Stop the receiver (the user service install.sh made, or the background process)',
  },
  args: verbose,
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      process.stdout.write(`${await stopReceiver(loadConfig(), detectManager())}\n`)
    })
  },
})

export const restart = defineCommand({
  meta: { name: 'restart', description: 'Restart the receiver (or start it), the way install.sh runs it' },
  args: verbose,
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      process.stdout.write(`${await restartReceiver(loadConfig(), detectManager())}\n`)
    })
  },
})

/** The last `n` lines of a file, read from its end (a log may be large). */
export function lastLines(path: string, n: number): { text: string; size: number } {
  const size = statSync(path).size
  if (n === 0) return { text: '', size }
  const fd = openSync(path, 'r')
  try {
    let start = size
    let text = ''
    while (start > 0) {
      const len = Math.min(64 * 1024, start)
      start -= len
      const buf = Buffer.alloc(len)
      readSync(fd, buf, 0, len, start)
      text = buf.toString('utf8') + text
      // One more newline than lines wanted (the file's last one ends the last line).
      if (text.split('\n').length > n + 1) break
    }
    const lines = text.replace(/\n$/, '').split('\n')
    return { text: `${lines.slice(-n).join('\n')}\n`, size }
  } finally {
    closeSync(fd)
  }
}

export const logs = defineCommand({
  meta: { name: 'logs', description: "Show the receiver's log (serve.log in the data directory)" },
  args: {
    follow: { type: 'boolean', alias: 'f', description: 'Keep printing what is appended, until Ctrl-C' },
    lines: { type: 'string', alias: 'n', description: 'How many of the last lines (default 50)' },
    ...verbose,
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const n = intOption(process.argv.includes('--lines') ? '--lines' : '-n', args.lines, { min: 0 }) ?? 50
      const config = loadConfig()
      const path = logFile(config)
      let shown: { text: string; size: number }
      try {
        shown = lastLines(path, n)
      } catch {
        const manager = detectManager()
        const hint =
          manager.kind === 'systemd'
            ? '; an older install logs to the journal: journalctl --user -u tend'
            : '; the receiver writes it when started by install.sh or `tend restart`'
        process.stdout.write(`no log at ${path} yet${hint}\n`)
        if (!args.follow) return
        shown = { text: '', size: 0 }
      }
      process.stdout.write(shown.text)
      if (!args.follow) return
      let offset = shown.size
      const print = () => {
        let size: number
        try {
          size = statSync(path).size
        } catch {
          return
        }
        if (size < offset) offset = 0 // rotated or truncated: from its start
        if (size === offset) return
        const fd = openSync(path, 'r')
        const buf = Buffer.alloc(size - offset)
        readSync(fd, buf, 0, buf.length, offset)
        closeSync(fd)
        offset = size
        process.stdout.write(buf)
      }
      watchFile(path, { interval: 250 }, print)
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const)
          process.once(signal, () => {
            unwatchFile(path)
            resolve()
          })
      })
    })
  },
})
