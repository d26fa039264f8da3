// A receiver that stores nothing: the same HTTP stack as tend (@hono/node-server + Hono, bearer
// check, JSON body parsed) answering {} at once. bench/ingest.ts runs it as a child process to show
// what HTTP alone allows on this machine. Usage: node --import tsx bench/null-receiver.ts PORT TOKEN
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const [portArg, token] = process.argv.slice(2)
const expected = `Bearer ${token}`
const app = new Hono().post('/v1/hooks', async (c) => {
  if (c.req.header('authorization') !== expected) return c.json({ error: 'unauthorized' }, 401)
  await c.req.json()
  c.header('x-tend-outcome', 'stored')
  return c.json({})
})

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(portArg) }, () => {
  process.stdout.write(`null receiver listening on ${portArg}\n`)
})
process.once('SIGTERM', () => {
  server.close(() => process.exit(0))
  if ('closeAllConnections' in server) server.closeAllConnections()
})
