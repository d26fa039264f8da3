// The CLI's fetch over node:http against a real server: what the global fetch would answer (status,
// headers, body, method and request headers), and a refused connection failing the same way.
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { httpFetch } from '../../src/cli/http-fetch.ts'
import { freePort } from '../helpers/hook.ts'

describe('httpFetch', () => {
  let url: string
  const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body })
      if (req.url === '/empty') return void res.writeHead(204).end()
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: req.url !== '/missing', héllo: 'wörld' }))
    })
  })
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => server.close())

  it('answers a Response like the global fetch: status, headers, JSON body', async () => {
    const res = await httpFetch(`${url}/x?q=1`, { headers: new Headers({ authorization: 'Bearer t' }) })
    assert.equal(res.status, 200)
    assert.equal(res.ok, true)
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.equal(res.headers.get('set-cookie'), 'a=1, b=2')
    assert.deepEqual(await res.json(), { ok: true, héllo: 'wörld' })
    assert.equal(seen.at(-1)!.url, '/x?q=1')
    assert.equal(seen.at(-1)!.headers.authorization, 'Bearer t')
  })

  it('sends the method and a string body; an error status is a Response too; 204 has no body', async () => {
    const res = await httpFetch(`${url}/missing`, { method: 'POST', body: '{"a":1}' })
    assert.equal(res.status, 404)
    assert.equal(res.ok, false)
    assert.equal(seen.at(-1)!.method, 'POST')
    assert.equal(seen.at(-1)!.body, '{"a":1}')
    const empty = await httpFetch(`${url}/empty`, { method: 'DELETE' })
    assert.equal(empty.status, 204)
    assert.equal(await empty.text(), '')
  })

  it('nothing listening: a TypeError whose cause says ECONNREFUSED, as fetch fails', async () => {
    const port = await freePort()
    await assert.rejects(httpFetch(`http://127.0.0.1:${port}/`), (err: Error & { cause?: { code?: string } }) => {
      assert.ok(err instanceof TypeError)
      assert.equal(err.cause?.code, 'ECONNREFUSED')
      return true
    })
  })
})

describe('httpFetch on a kept-alive connection the receiver closed (it stopped or restarted)', () => {
  // `resetSecond`: the second request on a connection is reset unanswered, as by a receiver that closed
  // the idle connection; `resetAll`: every request is. `seen` counts the requests that reached the server.
  let mode: 'resetSecond' | 'resetAll' = 'resetSecond'
  const connections = new Set<number>()
  const seen: string[] = []
  const server = createServer((req, res) => {
    const socket = req.socket as typeof req.socket & { served?: number }
    socket.served = (socket.served ?? 0) + 1
    connections.add(socket.remotePort ?? 0)
    seen.push(`${req.method} ${req.url}`)
    if (mode === 'resetAll' || socket.served === 2) return void socket.destroy()
    res.end('ok')
  })
  let url: string
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => server.close())
  const failsReset = (err: TypeError) => {
    assert.equal(err.message, 'fetch failed')
    assert.equal((err.cause as NodeJS.ErrnoException).code, 'ECONNRESET')
    return true
  }

  it('a read goes once more on a new connection and gets its answer', async () => {
    assert.equal(await (await httpFetch(`${url}/a`)).text(), 'ok')
    assert.equal(await (await httpFetch(`${url}/b`)).text(), 'ok')
    assert.equal(connections.size, 2, 'the reset connection, then a new one')
    assert.deepEqual(seen, ['GET /a', 'GET /b', 'GET /b'])
  })

  it('a POST is never sent twice: the reset fails it as the global fetch does', async () => {
    seen.length = 0
    await (await httpFetch(`${url}/c`)).text() // leaves a kept-alive connection whose next request is reset
    await assert.rejects(httpFetch(`${url}/d`, { method: 'POST', body: '{}' }), failsReset)
    assert.deepEqual(
      seen.filter((r) => r.startsWith('POST')),
      ['POST /d'],
    )
  })

  it('once only: a read reset again on the new connection fails', async () => {
    await (await httpFetch(`${url}/e`)).text()
    mode = 'resetAll'
    seen.length = 0
    await assert.rejects(httpFetch(`${url}/f`), failsReset)
    assert.deepEqual(seen, ['GET /f', 'GET /f'])
  })
})
