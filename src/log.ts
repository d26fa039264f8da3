// A small structured logger to stderr: one JSON line per record; secrets never passed in.

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export function createLogger(opts: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? writeStderr
  const log =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (opts.quiet && level === 'info') return
      write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }))
    }
  return { info: log('info'), warn: log('warn'), error: log('error') }
}

/**
 * stderr may be a file on a full disk (serve.log): a failed write is dropped, never thrown (a
 * stream's 'error' with no listener would end the process).
 */
function writeStderr(line: string) {
  for (const stream of [process.stderr, process.stdout])
    if (stream.listenerCount('error') === 0) stream.on('error', ignore)
  try {
    process.stderr.write(`${line}\n`)
  } catch {
    // Nowhere left to say it.
  }
}

function ignore() {}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
