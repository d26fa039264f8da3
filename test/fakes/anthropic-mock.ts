// Scripted mock of the Anthropic Messages API, so the real Claude Code binary runs offline in tests.
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ToolCall {
  name: string
  input: Record<string, unknown>
}

/** One scripted answer to a model call (a request that carries tools). */
export type Turn = TurnOptions &
  (
    | { kind: 'message'; text?: string; tools: ToolCall[] }
    | { kind: 'error'; status: number; errorType: string; message: string }
  )

interface TurnOptions {
  /** Wait this long before answering (the request stays open). */
  delayMs?: number
  /**
   * Answer once this settles: a real model's latency, bounded by the test (e.g. until tend has heard the
   * prompt, whose observer is async and may otherwise land after the Stop the instant answer leads to).
   */
  until?: () => Promise<unknown>
}

export const turn = {
  text: (text: string, opts: TurnOptions = {}): Turn => ({ kind: 'message', text, tools: [], ...opts }),
  tool: (name: string, input: Record<string, unknown>, opts: TurnOptions & { text?: string } = {}): Turn => ({
    kind: 'message',
    tools: [{ name, input }],
    ...opts,
  }),
  /** Parallel tool calls: several tool_use blocks in one assistant message. */
  tools: (calls: ToolCall[], opts: TurnOptions & { text?: string } = {}): Turn => ({
    kind: 'message',
    tools: calls,
    ...opts,
  }),
  /** Use 4xx: Claude Code retries 429/5xx/529 with backoff, which makes tests slow. */
  error: (status: number, errorType: string, message: string, opts: TurnOptions = {}): Turn => ({
    kind: 'error',
    status,
    errorType,
    message,
    ...opts,
  }),
}

export const EXHAUSTED_TEXT = '(mock: script exhausted)'

export interface ContentBlock {
  type: string
  text?: string
  content?: string | ContentBlock[]
  tool_use_id?: string
  is_error?: boolean
  [key: string]: unknown
}
export interface ApiMessage {
  role: string
  content: string | ContentBlock[]
}
export interface MessagesBody {
  model?: string
  stream?: boolean
  tools?: unknown[]
  messages?: ApiMessage[]
  output_config?: { format?: { type?: string; schema?: { properties?: Record<string, unknown> } } }
  [key: string]: unknown
}

export interface MockRequest {
  method: string
  path: string
  headers: Record<string, string>
  /** Parsed JSON body, undefined when there was none or it was not JSON. */
  body: MessagesBody | undefined
  at: number
  /** model: carries tools, answered from the script; side: a tool-less call (e.g. session title); other: anything else. */
  kind: 'model' | 'side' | 'other'
  /** The scripted turn that answered it (undefined once the script is exhausted). */
  turn?: Turn
}

export interface AnthropicMock {
  url: string
  requests: MockRequest[]
  /** Requests that carried tools, i.e. the calls the script answers. */
  modelRequests(): MockRequest[]
  push(...turns: Turn[]): void
  /** Scripted turns not yet consumed. */
  remaining(): number
  /** Resolves once at least n requests match (default: model requests); rejects after timeoutMs. */
  waitForRequests(n: number, timeoutMs: number, match?: (r: MockRequest) => boolean): Promise<MockRequest[]>
  close(): Promise<void>
}

const HEADER_SUBSET = ['user-agent', 'x-api-key', 'anthropic-version', 'anthropic-beta', 'x-app', 'content-type']
const isModel = (r: MockRequest): boolean => r.kind === 'model'

export async function startAnthropicMock(script: Turn[] = []): Promise<AnthropicMock> {
  const queue = [...script]
  const requests: MockRequest[] = []
  const waiters = new Set<() => void>()
  const open = new Set<ServerResponse>()
  let toolSeq = 0
  let msgSeq = 0

  const server = createServer((req, res) => {
    open.add(res)
    res.on('close', () => open.delete(res))
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'api_error', String(err))
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    let body: MessagesBody | undefined
    try {
      body = raw ? (JSON.parse(raw) as MessagesBody) : undefined
    } catch {
      body = undefined
    }
    const isMessages = req.method === 'POST' && url.pathname === '/v1/messages'
    const kind = !isMessages ? 'other' : (body?.tools?.length ?? 0) > 0 ? 'model' : 'side'
    const headers: Record<string, string> = {}
    for (const h of HEADER_SUBSET) {
      const v = req.headers[h]
      if (typeof v === 'string') headers[h] = v
    }
    const logged: MockRequest = { method: req.method ?? '', path: req.url ?? '/', headers, body, at: Date.now(), kind }
    if (kind === 'model') logged.turn = queue.shift()
    requests.push(logged)
    for (const wake of waiters) wake()

    if (kind === 'other') {
      // Claude Code sends HEAD / once as a connectivity probe; a 404 satisfies it.
      res.writeHead(404, { 'content-type': 'application/json' }).end(req.method === 'HEAD' ? undefined : '{}')
      return
    }
    const t: Turn = kind === 'model' ? (logged.turn ?? turn.text(EXHAUSTED_TEXT)) : sideTurn(body)
    if (t.delayMs) await sleep(t.delayMs)
    if (t.until) await t.until().catch(() => undefined) // the test's own assertion says what went wrong
    if (res.destroyed) return // the client gave up (e.g. Esc) while we waited
    if (t.kind === 'error') return sendError(res, t.status, t.errorType, t.message)
    const content = blocks(t)
    const stopReason = t.tools.length > 0 ? 'tool_use' : 'end_turn'
    const message = {
      id: `msg_mock_${++msgSeq}`,
      type: 'message',
      role: 'assistant',
      model: body?.model ?? 'claude-mock',
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }
    if (body?.stream) streamMessage(res, message)
    else
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': message.id }).end(JSON.stringify(message))
  }

  function blocks(t: Extract<Turn, { kind: 'message' }>): ContentBlock[] {
    const out: ContentBlock[] = []
    if (t.text !== undefined) out.push({ type: 'text', text: t.text })
    for (const call of t.tools)
      out.push({ type: 'tool_use', id: `toolu_mock_${++toolSeq}`, name: call.name, input: call.input })
    return out
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    modelRequests: () => requests.filter(isModel),
    push: (...turns) => void queue.push(...turns),
    remaining: () => queue.length,
    waitForRequests(n, timeoutMs, match = isModel) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hits = requests.filter(match)
          if (hits.length < n) return
          cleanup()
          resolve(hits)
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`mock: waited ${timeoutMs} ms for ${n} requests, saw ${requests.filter(match).length}`))
        }, timeoutMs)
        const cleanup = (): void => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Tool-less side calls (session title, …) get an answer without consuming the script. */
function sideTurn(body: MessagesBody | undefined): Turn {
  const format = body?.output_config?.format
  if (format?.type === 'json_schema') {
    const props = Object.keys(format.schema?.properties ?? {})
    const json = Object.fromEntries(props.map((p) => [p, p === 'title' ? 'Mock session' : 'mock']))
    return turn.text(JSON.stringify(json))
  }
  return turn.text('Mock session')
}

function streamMessage(
  res: ServerResponse,
  message: { id: string; content: ContentBlock[]; stop_reason: string },
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': message.id })
  const send = (event: string, data: object): boolean =>
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`)
  send('message_start', { message: { ...message, content: [], stop_reason: null } })
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } })
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text ?? '' } })
    } else {
      send('content_block_start', { index, content_block: { ...block, input: {} } })
      send('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      })
    }
    send('content_block_stop', { index })
  })
  send('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: 5 },
  })
  send('message_stop', {})
  res.end()
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = { type: 'error', error: { type, message }, request_id: 'req_mock' }
  // No x-should-retry trick: Claude Code 2.1.197 retries 429/5xx/529 even with `x-should-retry: false`.
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_mock' }).end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

// ---- Reading what the model received ----

/** Text of one content value: text blocks and tool_result contents, joined by newlines. */
export function contentText(content: string | ContentBlock[] | undefined): string {
  if (content === undefined) return ''
  if (typeof content === 'string') return content
  return content
    .map((b) => (b.type === 'text' ? (b.text ?? '') : b.type === 'tool_result' ? contentText(b.content) : ''))
    .filter((s) => s !== '')
    .join('\n')
}

/** Text of the last user message (tool results and "Stop hook feedback:" included). */
export function lastUserText(req: MockRequest): string {
  const users = (req.body?.messages ?? []).filter((m) => m.role === 'user')
  return contentText(users.at(-1)?.content)
}

/** Every user message's text, in order: useful when Claude Code splits feedback over several messages. */
export function userTexts(req: MockRequest): string[] {
  return (req.body?.messages ?? []).filter((m) => m.role === 'user').map((m) => contentText(m.content))
}

export interface ToolResult {
  toolUseId: string
  text: string
  isError: boolean
}

/** All tool_result blocks in the request's conversation, oldest first. */
export function toolResults(req: MockRequest): ToolResult[] {
  const out: ToolResult[] = []
  for (const m of req.body?.messages ?? []) {
    if (typeof m.content === 'string') continue
    for (const b of m.content) {
      if (b.type !== 'tool_result') continue
      out.push({ toolUseId: b.tool_use_id ?? '', text: contentText(b.content), isError: b.is_error === true })
    }
  }
  return out
}
