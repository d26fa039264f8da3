// GET /v1/doctor: what the receiver itself sees of its channels (it is the one that pings).
import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'

export const doctorRoute = new Hono<AppEnv>().get('/', async (c) => {
  const services = c.get('services')
  return c.json({
    checks: await services.doctorChecks(),
    presence: services.presence(),
    held: services.holds.list().length,
    spooled: services.spool.pending(),
  })
})
