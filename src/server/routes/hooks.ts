// POST /v1/hooks: every Claude Code hook event, as the hook script or an http hook sends it.
import { Hono } from 'hono'
import { HookEventSchema, type EventMeta, type HookEvent } from '../../core/hook-event.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

/** A hook's own time stamp is trusted unless it is absurd (clock jumps, garbage). */
const MAX_PAST_MS = 7 * 24 * 3600_000
const MAX_FUTURE_MS = 5_000

export function eventMeta(headers: { time?: string; pid?: string; machine?: string }, now: number): EventMeta {
  const stamped = Number(headers.time)
  const occurredAt =
    Number.isFinite(stamped) && stamped > now - MAX_PAST_MS && stamped < now + MAX_FUTURE_MS ? Math.trunc(stamped) : now
  const pid = Number(headers.pid)
  return {
    occurredAt,
    receivedAt: now,
    pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
    machine: headers.machine || undefined,
  }
}

export const hooks = new Hono<AppEnv>().post('/', requireJson, validate('json', HookEventSchema), async (c) => {
  const services = c.get('services')
  const event = c.req.valid('json') as HookEvent
  const meta = eventMeta(
    { time: c.req.header('x-tend-time'), pid: c.req.header('x-tend-pid'), machine: c.req.header('x-tend-machine') },
    services.now(),
  )
  const result = services.receive(event, meta)
  // The receiver is up again: whatever was spooled meanwhile can follow.
  services.spool.schedule()
  c.header('x-tend-outcome', result.duplicate ? 'duplicate' : result.late ? 'late' : 'stored')
  // Stop and PermissionRequest may be held open for an answer from elsewhere; the hook says how long it can wait.
  const budgetSec = Number(c.req.header('x-tend-hold') ?? 0) || 0
  if (budgetSec > 0 && !result.duplicate && !result.late) {
    return c.json(await services.answerHook(event, result, budgetSec, c.req.raw.signal))
  }
  return c.json({})
})
