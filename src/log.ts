// A small structured logger to stderr: one JSON line per record; secrets never passed in.

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export function createLogger(opts: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`))
  const log =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (opts.quiet && level === 'info') return
      write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }))
    }
  return { info: log('info'), warn: log('warn'), error: log('error') }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
