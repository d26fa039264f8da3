// POST /v1/hooks: every Claude Code hook event, as the hook script or an http hook sends it.
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { HookEventSchema } from '../../core/hook-event.ts'
import { economicsOf } from '../../service/economics.ts'
import { eventMeta } from '../../service/event-meta.ts'
import { rulesOf } from '../../service/rules.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

/**
 * A held call gets a few spaces this often: tend-hook aborts a hold that goes silent
 * (curl --speed-limit 1 --speed-time 30), so a hung receiver can never keep an agent waiting.
 */
export const HEARTBEAT_MS = 5_000
const HEARTBEAT = ' '.repeat(16)

export const hooks = new Hono<AppEnv>().post('/', requireJson, validate('json', HookEventSchema), async (c) => {
  const services = c.get('services')
  const event = c.req.valid('json')
  const meta = eventMeta(
    {
      time: c.req.header('x-tend-time'),
      pid: c.req.header('x-tend-pid'),
      ppid: c.req.header('x-tend-ppid'),
      machine: c.req.header('x-tend-machine'),
    },
    services.now(),
  )
  const result = await services.receiveBatched(event, meta)
  // The receiver is up again: whatever was spooled meanwhile can follow.
  services.spool.schedule()
  c.header('x-tend-outcome', result.duplicate ? 'duplicate' : result.late ? 'late' : 'stored')
  // Permission rules answer at once: deny or ask a PreToolUse, allow or deny a PermissionRequest (never when
  // the hook would not print the answer: an async observer, an old install).
  const waits = c.req.header('x-tend-policy') === '1' || Number(c.req.header('x-tend-hold') ?? 0) > 0
  const ruled = rulesOf(services).answerHook(event, result, waits)
  if (ruled) return c.json(ruled)
  // SessionStart: a new agent beyond what the person can keep busy is told so (systemMessage), never blocked.
  if (event.hook_event_name === 'SessionStart' && !result.duplicate) {
    return c.json(economicsOf(services).sessionStartAnswer(event))
  }
  // Stop and PermissionRequest may be held open for an answer from elsewhere; the hook says how long it can wait.
  const budgetSec = Number(c.req.header('x-tend-hold') ?? 0) || 0
  if (budgetSec <= 0 || result.duplicate || result.late) return c.json({})
  const answer = services.answerHook(event, result, budgetSec, c.req.raw.signal)
  if (!answer.held) return c.json(answer.output)
  // Held: stream heartbeats until the answer (JSON allows the leading white space).
  c.header('content-type', 'application/json')
  return stream(c, async (s) => {
    const beat = setInterval(() => void s.write(HEARTBEAT), HEARTBEAT_MS)
    try {
      await s.write(JSON.stringify(await answer.output))
    } finally {
      clearInterval(beat)
    }
  })
})
