// HTTP half of the Slack fake: POST /api/<method>, token checks, call recording and fault injection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { err, WEB_API_METHODS, type Args, type Result, type Workspace } from './slack-workspace.ts'

export type TokenKind = 'bot' | 'app' | 'unknown' | 'none'

export interface ApiCall {
  method: string
  /** Parsed request arguments; `blocks` is decoded from the JSON string the WebClient sends. */
  args: Record<string, unknown>
  token: string | undefined
  tokenKind: TokenKind
  /** HTTP status the fake answered with, and the body (a JSON object, or text for injected 5xx). */
  status: number
  response: unknown
  at: number
}

/** One injected failure: an HTTP status, a 429 with Retry-After, or a 200 with `ok:false`. */
export type ApiFault =
  { kind: 'http'; status: number } | { kind: 'rate_limited'; retryAfterSec: number } | { kind: 'error'; error: string }

/** `refused`: nothing listens on the port; `unavailable`: every request gets HTTP 503; false: up. */
export type ApiDownMode = 'refused' | 'unavailable' | false

/** A POST to a block_actions `response_url`, which the fake points at itself. */
export interface ResponseUrlCall {
  path: string
  body: unknown
  at: number
}

interface Answer {
  status: number
  body: Result | string
  headers?: Record<string, string>
}

export class WebApiServer {
  readonly calls: ApiCall[] = []
  readonly responseUrlCalls: ResponseUrlCall[] = []
  private readonly server: Server
  private faults: Array<{ method: string; fault: ApiFault; remaining: number }> = []
  private down: ApiDownMode = false
  private port = 0

  private constructor(
    private readonly workspace: Workspace,
    private readonly tokens: { bot: string; app: string },
  ) {
    this.server = createServer((req, res) => void this.onRequest(req, res))
  }

  static async start(workspace: Workspace, tokens: { bot: string; app: string }): Promise<WebApiServer> {
    const api = new WebApiServer(workspace, tokens)
    await api.listen(0)
    return api
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`
  }

  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/actions/${this.workspace.identity.teamId}/${Date.now()}/fake`
  }

  failNext(method: string, fault: ApiFault, times: number): void {
    this.faults.push({ method, fault, remaining: times })
  }

  async setDown(mode: ApiDownMode): Promise<void> {
    if (mode === 'refused' && this.down !== 'refused') await this.stop()
    else if (mode !== 'refused' && this.down === 'refused') await this.listen(this.port)
    this.down = mode
  }

  async close(): Promise<void> {
    if (this.down !== 'refused') await this.stop()
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    this.port = (this.server.address() as AddressInfo).port
  }

  private async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections() // else the WebClient's keep-alive sockets would still get through
    await closed
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const raw = await readBody(req)
    const args = parseArgs(url, req.headers['content-type'], raw)
    if (url.pathname.startsWith('/actions/')) {
      this.responseUrlCalls.push({ path: url.pathname, body: args ?? raw, at: Date.now() })
      return reply(res, { status: 200, body: { ok: true } })
    }
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1] ?? url.pathname
    // Slack takes the token from the Authorization header, or else from a `token` argument.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const token = bearer ?? (typeof args?.token === 'string' ? args.token : undefined)
    const tokenKind: TokenKind =
      token === undefined ? 'none' : token === this.tokens.bot ? 'bot' : token === this.tokens.app ? 'app' : 'unknown'
    const answer = this.answer(method, args, tokenKind)
    this.calls.push({
      method,
      args: args ?? {},
      token,
      tokenKind,
      status: answer.status,
      response: answer.body,
      at: Date.now(),
    })
    reply(res, answer)
  }

  private answer(method: string, args: Args | undefined, tokenKind: TokenKind): Answer {
    if (this.down === 'unavailable') return { status: 503, body: 'Service Unavailable' }
    const fault = this.takeFault(method)
    if (fault?.kind === 'http') return { status: fault.status, body: `fake HTTP ${fault.status}` }
    if (fault?.kind === 'rate_limited') {
      return { status: 429, body: err('ratelimited'), headers: { 'Retry-After': String(fault.retryAfterSec) } }
    }
    if (fault?.kind === 'error') return { status: 200, body: err(fault.error) }
    // Slack answers errors with HTTP 200 and ok:false.
    if (args === undefined) return { status: 200, body: err('invalid_json') }
    if (!WEB_API_METHODS.has(method)) return { status: 200, body: err('unknown_method') }
    if (tokenKind === 'none') return { status: 200, body: err('not_authed') }
    if (tokenKind === 'unknown') return { status: 200, body: err('invalid_auth') }
    // The app-level token is good only for apps.connections.open, and that method takes nothing else.
    if ((method === 'apps.connections.open') !== (tokenKind === 'app')) {
      return { status: 200, body: err('not_allowed_token_type') }
    }
    return { status: 200, body: this.workspace.call(method, args) }
  }

  private takeFault(method: string): ApiFault | undefined {
    const entry = this.faults.find((f) => f.method === method || f.method === '*')
    if (!entry) return undefined
    entry.remaining -= 1
    if (entry.remaining <= 0) this.faults = this.faults.filter((f) => f !== entry)
    return entry.fault
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Query string plus a form or JSON body, as Slack accepts; undefined when a JSON body does not parse. */
function parseArgs(url: URL, contentType: string | undefined, raw: string): Args | undefined {
  const args: Args = Object.fromEntries(url.searchParams)
  if (contentType?.includes('application/json')) {
    try {
      return { ...args, ...(raw ? (JSON.parse(raw) as Args) : {}) }
    } catch {
      return undefined
    }
  }
  Object.assign(args, Object.fromEntries(new URLSearchParams(raw)))
  // The WebClient sends non-primitive arguments as JSON strings; decode blocks so they store and record naturally.
  if (typeof args.blocks === 'string' && args.blocks !== '') {
    try {
      args.blocks = JSON.parse(args.blocks) as unknown
    } catch {
      // left as a string: postMessage answers invalid_blocks
    }
  }
  return args
}

function reply(res: ServerResponse, a: Answer): void {
  const json = typeof a.body !== 'string'
  res.writeHead(a.status, {
    'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    ...a.headers,
  })
  res.end(json ? JSON.stringify(a.body) : a.body)
}
