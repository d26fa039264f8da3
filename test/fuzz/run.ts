// Runs the hostile requests of one seed against a real receiver (startServer: real SQLite file, real
// HTTP), each over its own raw socket so that invalid headers, chunking and pauses go out as written.
// The oracle: no 5xx, the receiver alive, PRAGMA integrity_check ok, and the events table holding
// exactly the events the receiver acknowledged (2xx with x-tend-outcome stored or late).
import { connect } from 'node:net'
import { readFileSync } from 'node:fs'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer } from '../../src/server/serve.ts'
import { tempHome } from '../helpers/app.ts'
import { freePort } from '../helpers/hook.ts'
import { hostileRequest, rng, type FuzzRequest } from './generator.ts'

export interface FuzzReport {
  seed: number
  count: number
  statuses: Record<string, number>
  acknowledged: number
  stored: number
  integrity: string
  /** Everything that broke an invariant, each with the request's kind and index (same seed, same index). */
  failures: string[]
  ms: number
}

interface RawResponse {
  status: number
  headers: Record<string, string>
}

function send(port: number, req: FuzzRequest, r: ReturnType<typeof rng>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let settled = false
    const done = (err: Error | null, res?: RawResponse) => {
      if (settled) return
      settled = true
      socket.destroy()
      if (err) reject(err)
      else resolve(res!)
    }
    socket.setTimeout(30_000, () => done(new Error('no answer within 30 s')))
    socket.on('error', (err) => {
      // The receiver may answer (413, 401) and close before the whole body went out: that is an answer.
      const head = Buffer.concat(chunks).toString('latin1')
      if (head.startsWith('HTTP/1.1 ')) return finish()
      // Its answer can be lost with the connection when our next write hits the closed socket first
      // (EPIPE): a refusal before the body was read. /healthz and the stored events are checked after.
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EPIPE' || code === 'ECONNRESET') return done(null, { status: 0, headers: {} })
      done(err)
    })
    socket.on('data', (d) => {
      chunks.push(d)
      // One answer is enough: the status line and headers.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) finish()
    })
    socket.on('end', () => finish())
    function finish() {
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return done(new Error(`connection closed without an answer (${JSON.stringify(text.slice(0, 80))})`))
      const [line, ...rest] = text.slice(0, end).split('\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line ?? '')?.[1])
      const headers = Object.fromEntries(
        rest.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]),
      )
      done(null, { status, headers })
    }
    const head = [
      `${req.method} ${req.path} HTTP/1.1`,
      ...req.headers.map(([k, v]) => `${k}: ${v}`),
      'Connection: close',
    ]
    if (req.framing === 'length') head.push(`Content-Length: ${req.body.length}`)
    if (req.framing === 'chunked' || req.framing === 'slow') head.push('Transfer-Encoding: chunked')
    socket.write(Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'))
    if (req.framing === 'length') socket.write(req.body)
    if (req.framing !== 'chunked' && req.framing !== 'slow') return
    // Chunks of random sizes (a multi-byte character may be cut between two), a pause between each when slow.
    const pieces: Buffer[] = []
    for (let at = 0; at < req.body.length;) {
      const n = Math.min(req.body.length - at, 1 + r.int(req.framing === 'slow' ? 400 : 70_000))
      pieces.push(req.body.subarray(at, at + n))
      at += n
    }
    const slow = req.framing === 'slow' ? pieces.slice(0, 12) : pieces
    const rest = req.framing === 'slow' ? Buffer.concat(pieces.slice(12)) : null
    void (async () => {
      for (const piece of slow) {
        if (settled) return
        socket.write(`${piece.length.toString(16)}\r\n`)
        socket.write(piece)
        socket.write('\r\n')
        if (req.framing === 'slow') await new Promise((res) => setTimeout(res, 5 + r.int(40)))
      }
      if (rest?.length)
        socket.write(Buffer.concat([Buffer.from(`${rest.length.toString(16)}\r\n`), rest, Buffer.from('\r\n')]))
      if (!settled) socket.write('0\r\n\r\n')
    })()
  })
}

export async function fuzz(opts: { seed: number; count: number; concurrency?: number }): Promise<FuzzReport> {
  const started = performance.now()
  const home = tempHome('tend-fuzz-')
  const port = await freePort()
  const config = loadConfig({ TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(port) })
  const server = await startServer(config, { log: silentLogger, channels: () => [] })
  const token = readFileSync(config.paths.tokenFile, 'utf8').trim()
  const r = rng(opts.seed)
  const requests = Array.from({ length: opts.count }, () => hostileRequest(r, { port, token }))
  const statuses: Record<string, number> = {}
  const failures: string[] = []
  let acknowledged = 0
  let next = 0
  const lane = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const req = requests[i]!
      // Each request draws its own chunking from its own stream, so the order the lanes run in changes nothing.
      const res = await send(port, req, rng(opts.seed ^ (i * 2654435761))).catch((err: Error) => {
        failures.push(`#${i} ${req.kind}: ${err.message}`)
        return null
      })
      if (!res) continue
      if (res.status === 0) {
        statuses['closed early'] = (statuses['closed early'] ?? 0) + 1
        continue
      }
      statuses[res.status] = (statuses[res.status] ?? 0) + 1
      if (!(res.status >= 200 && res.status < 500)) failures.push(`#${i} ${req.kind}: HTTP ${res.status}`)
      const outcome = res.headers['x-tend-outcome']
      if (res.status === 200 && (outcome === 'stored' || outcome === 'late')) {
        if (!req.hook) failures.push(`#${i} ${req.kind}: stored without a valid token`)
        acknowledged++
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, lane))
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null)
    if (health?.status !== 200) failures.push(`the receiver stopped answering (/healthz: ${health?.status ?? 'down'})`)
    if (({} as Record<string, unknown>)['polluted'] !== undefined) failures.push('Object.prototype was polluted')
    const sqlite = server.services.store.sqlite
    const integrity = (sqlite.pragma('integrity_check', { simple: true }) as string) ?? 'none'
    if (integrity !== 'ok') failures.push(`integrity_check: ${integrity}`)
    const stored = (sqlite.prepare('select count(*) n from events').get() as { n: number }).n
    if (stored !== acknowledged) failures.push(`events table holds ${stored} events, ${acknowledged} acknowledged`)
    return {
      seed: opts.seed,
      count: opts.count,
      statuses,
      acknowledged,
      stored,
      integrity,
      failures,
      ms: performance.now() - started,
    }
  } finally {
    await server.close()
    home.cleanup()
  }
}
