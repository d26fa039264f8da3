// The CLI's fetch for its typed client: one small request over node:http to the receiver. The global
// fetch (undici) costs a short command more CPU to start (its HTTP parser, timing) than all the rest of
// `tend status`; a Response is still returned, so the client and its callers see no difference.
// Anything but plain http with a string body or none (https, a form) goes to the global fetch.
import { request, type RequestOptions } from 'node:http'

export function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body
  const url = typeof input === 'string' || input instanceof URL ? new URL(input) : null
  if (!url || url.protocol !== 'http:' || (body != null && typeof body !== 'string')) return fetch(input, init)
  const headers: Record<string, string> = {}
  new Headers(init.headers).forEach((value, key) => (headers[key] = value))
  const method = init.method ?? 'GET'
  const read = method === 'GET' || method === 'HEAD'
  return send(url, { method, headers, signal: init.signal ?? undefined }, body ?? undefined, read)
}

function send(url: URL, options: RequestOptions, body: string | undefined, mayRetry: boolean): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })))
      res.on('end', () => {
        const out = new Headers()
        for (const [key, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(key, v)
        }
        const status = res.statusCode ?? 502
        const noBody = status === 204 || status === 304 || options.method === 'HEAD'
        resolve(
          new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: out }),
        )
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the receiver closed (it stopped or restarted since the last call; a long-lived
      // `tend mcp` sees this): a read goes once more on a new connection. Never a POST: the receiver may
      // have applied it before the reset (an answer must not be sent twice).
      if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET')
        return void send(url, options, body, false).then(resolve, reject)
      // As the global fetch fails: a TypeError whose cause carries the code (ECONNREFUSED …).
      reject(new TypeError('fetch failed', { cause: err }))
    })
    req.end(body)
  })
}
