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
