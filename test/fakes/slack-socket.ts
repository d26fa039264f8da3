// Socket Mode half of the Slack fake: WebSocket server, envelopes, acks and connection control.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands'

/** What Slack pushes over the socket; `retry_*` only ever appear on events_api. */
export interface Envelope {
  envelope_id: string
  type: EnvelopeType
  payload: Record<string, unknown>
  accepts_response_payload: boolean
  retry_attempt?: number
  retry_reason?: string
}

export interface AckRecord {
  envelope_id: string
  payload: unknown
  at: number
  connectionId: number
  /** undefined when the client acked an envelope the fake never sent */
  envelope: Envelope | undefined
}

export interface ConnectionRecord {
  id: number
  ticket: string
  openedAt: number
  closedAt?: number
  closeCode?: number
}

export interface SendOptions {
  retryAttempt?: number
  retryReason?: string
  acceptsResponsePayload?: boolean
  /** How long to wait for the ack; Slack's own deadline is 3 s. */
  ackTimeoutMs?: number
}

/** Resolves with the ack (rejects on timeout); `envelope` is available at once, e.g. for redeliver(). */
export type Delivery = Promise<AckRecord> & { readonly envelope: Envelope }

interface Live {
  record: ConnectionRecord
  ws: WebSocket
}

interface Waiter<T> {
  resolve: (value: T) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

export class SocketModeServer {
  readonly envelopes: Envelope[] = []
  readonly acks: AckRecord[] = []
  readonly connections: ConnectionRecord[] = []
  /** Client frames that were not acks (the SDK should send none). */
  readonly otherFrames: unknown[] = []
  private readonly live = new Map<number, Live>()
  private readonly tickets = new Set<string>()
  private readonly pendingAcks = new Map<string, Waiter<AckRecord>>()
  private readonly closed = new Map<number, Promise<ConnectionRecord>>()
  private connectionWaiters: Array<Waiter<ConnectionRecord>> = []
  private readonly sockets = new Set<Socket>()
  private nextConnectionId = 1

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    private readonly appId: string,
    private readonly defaultAckTimeoutMs: number,
  ) {}

  static async start(appId: string, ackTimeoutMs: number): Promise<SocketModeServer> {
    const http = createServer((_req, res) => res.writeHead(426).end())
    const wss = new WebSocketServer({ noServer: true })
    const server = new SocketModeServer(http, wss, appId, ackTimeoutMs)
    http.on('connection', (socket) => {
      server.sockets.add(socket)
      socket.once('close', () => server.sockets.delete(socket))
    })
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const ticket = url.searchParams.get('ticket') ?? ''
      // Tickets are single-use, like Slack's: a client must call apps.connections.open before every connect.
      if (url.pathname !== '/link/' || !server.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => server.accept(ws, ticket))
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    return server
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port
  }

  get openConnections(): number {
    return [...this.live.values()].filter(({ ws }) => ws.readyState === ws.OPEN).length
  }

  /** A fresh wss URL, as apps.connections.open hands out. */
  issueUrl(): string {
    const ticket = randomUUID()
    this.tickets.add(ticket)
    return `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${this.appId}`
  }

  send(type: EnvelopeType, payload: Record<string, unknown>, opts: SendOptions = {}): Delivery {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? false,
      ...(opts.retryAttempt !== undefined && { retry_attempt: opts.retryAttempt }),
      ...(opts.retryReason !== undefined && { retry_reason: opts.retryReason }),
    }
    const timeoutMs = opts.ackTimeoutMs ?? this.defaultAckTimeoutMs
    const promise = new Promise<AckRecord>((resolve, reject) => {
      // Slack spreads payloads over connections; the newest one is the deterministic choice here.
      const target = this.newestOpen()
      if (!target) {
        reject(new Error(`slack fake: no Socket Mode connection to deliver ${type} envelope`))
        return
      }
      this.envelopes.push(envelope)
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelope.envelope_id)
        reject(new Error(`slack fake: envelope ${envelope.envelope_id} not acked within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pendingAcks.set(envelope.envelope_id, { resolve, reject, timer })
      target.ws.send(JSON.stringify(envelope))
    })
    // A caller that only wants the envelope must not crash the run with an unhandled rejection.
    promise.catch(() => {})
    return Object.assign(promise, { envelope })
  }

  /** Abrupt TCP close with no close frame, like a network drop; all connections unless ids are given. */
  dropConnections(ids?: readonly number[]): void {
    for (const [id, { ws }] of this.live) {
      if (ids && !ids.includes(id)) continue
      ws.terminate()
      this.live.delete(id)
    }
  }

  /** Slack's `{"type":"disconnect"}` control message, then close whatever the client leaves open after graceMs. */
  async sendDisconnect(reason = 'refresh_requested', graceMs = 1000): Promise<void> {
    const targets = [...this.live.values()]
    for (const { ws } of targets) {
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }))
    }
    await Promise.all(
      targets.map(
        ({ ws }) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve()
            const timer = setTimeout(() => ws.close(1001, reason), graceMs)
            ws.once('close', () => {
              clearTimeout(timer)
              resolve()
            })
          }),
      ),
    )
  }

  /** Resolves at once if a connection is open (hello sent), else with the next one. */
  waitForConnection(timeoutMs = 10_000): Promise<ConnectionRecord> {
    const current = this.newestOpen()
    if (current) return Promise.resolve(current.record)
    return new Promise((resolve, reject) => {
      const waiter: Waiter<ConnectionRecord> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.connectionWaiters = this.connectionWaiters.filter((w) => w !== waiter)
          reject(new Error(`slack fake: no Socket Mode connection within ${timeoutMs} ms`))
        }, timeoutMs),
      }
      this.connectionWaiters.push(waiter)
    })
  }

  /** Resolves once the server side has seen connection `id` close (a client's disconnect() resolves earlier). */
  waitForClose(id: number, timeoutMs = 5000): Promise<ConnectionRecord> {
    const closed = this.closed.get(id)
    if (!closed) return Promise.reject(new Error(`slack fake: no connection ${id}`))
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`slack fake: connection ${id} still open after ${timeoutMs} ms`)),
        timeoutMs,
      )
    })
    return Promise.race([closed, timeout]).finally(() => clearTimeout(timer))
  }

  async close(): Promise<void> {
    const closed = new Error('slack fake closed')
    for (const w of [...this.pendingAcks.values(), ...this.connectionWaiters]) {
      clearTimeout(w.timer)
      w.reject(closed)
    }
    this.pendingAcks.clear()
    this.connectionWaiters = []
    this.dropConnections()
    for (const socket of this.sockets) socket.destroy()
    this.wss.close()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  /** A socket the client is already closing is skipped: what is sent there is lost. */
  private newestOpen(): Live | undefined {
    return [...this.live.values()].filter(({ ws }) => ws.readyState === ws.OPEN).at(-1)
  }

  private accept(ws: WebSocket, ticket: string): void {
    const record: ConnectionRecord = { id: this.nextConnectionId++, ticket, openedAt: Date.now() }
    this.connections.push(record)
    this.live.set(record.id, { record, ws })
    ws.on('message', (data, isBinary) => this.onFrame(record.id, data, isBinary))
    ws.on('close', (code) => {
      record.closedAt = Date.now()
      record.closeCode = code
      this.live.delete(record.id)
    })
    this.closed.set(record.id, new Promise((resolve) => ws.once('close', () => resolve(record))))
    ws.on('error', () => {}) // a dropped peer is expected here, not a test failure
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.live.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    )
    for (const w of this.connectionWaiters) {
      clearTimeout(w.timer)
      w.resolve(record)
    }
    this.connectionWaiters = []
  }

  private onFrame(connectionId: number, data: RawData, isBinary: boolean): void {
    let frame: unknown
    try {
      frame = JSON.parse(isBinary ? '' : data.toString())
    } catch {
      this.otherFrames.push(data.toString())
      return
    }
    if (typeof frame !== 'object' || frame === null || !('envelope_id' in frame)) {
      this.otherFrames.push(frame)
      return
    }
    const envelope_id = String(frame.envelope_id)
    const ack: AckRecord = {
      envelope_id,
      payload: 'payload' in frame ? frame.payload : undefined,
      at: Date.now(),
      connectionId,
      envelope: this.envelopes.find((e) => e.envelope_id === envelope_id),
    }
    this.acks.push(ack)
    const waiter = this.pendingAcks.get(envelope_id)
    if (waiter) {
      clearTimeout(waiter.timer)
      this.pendingAcks.delete(envelope_id)
      waiter.resolve(ack)
    }
  }
}
