// GET /v1/pings: every ping sent, failed, held back or cancelled, newest first, with its reason.
import { Hono } from 'hono'
import { z } from 'zod'
import { recentPings } from '../../store/pings.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const QuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) })

export const pingsRoute = new Hono<AppEnv>().get('/', validate('query', QuerySchema), (c) => {
  const { store } = c.get('services')
  return c.json({ pings: recentPings(store.db, c.req.valid('query').limit) })
})
