// GET /v1/presence and PUT /v1/presence {away}: away lets Stops be held for replies; back releases them.
import { Hono } from 'hono'
import { PresenceBodySchema } from '../../core/answer.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

export const presenceRoute = new Hono<AppEnv>()
  .get('/', (c) => c.json({ presence: c.get('services').presence(), held: c.get('services').holds.list() }))
  .put('/', requireJson, validate('json', PresenceBodySchema), (c) => {
    const services = c.get('services')
    const before = services.holds.list().length
    const presence = services.setAway(c.req.valid('json').away)
    return c.json({ presence, released: before - services.holds.list().length })
  })
