// /v1/mod: tend's Claude Code mod announces itself, long-polls for the replies addressed to its
// session, and confirms each one it submitted as the person's prompt (claude-plugin/tend/hooks/register.js).
import { Hono } from 'hono'
import { z } from 'zod'
import { announceMod, confirmModReply, takeModReply } from '../../store/mods.ts'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

/** A reply handed to a mod and never confirmed is handed again after this long. */
export const MOD_REDELIVER_MS = 30_000
/** A poll is held at most this long: the mod's fetch must never outlive it. */
const MAX_POLL_SEC = 60

const SessionParam = z.object({ sessionId: z.string().min(1).max(200) })

export const HelloSchema = z.object({
  claudeVersion: z.string().min(1).max(64),
  modVersion: z.string().min(1).max(64),
  /** CLAUDE_CODE_SESSION_ATTENDED: "0" for `claude -p`. */
  attended: z.boolean(),
})

const PollQuery = z.object({ waitSec: z.coerce.number().int().min(0).max(MAX_POLL_SEC).default(25) })

export const AckSchema = z.object({
  /** Submitted as the person's prompt; or false with Claude Code's reason. */
  submitted: z.boolean(),
  error: z.string().max(2000).optional(),
})

export const modRoute = new Hono<AppEnv>()
  .post('/:sessionId/hello', validate('param', SessionParam), requireJson, validate('json', HelloSchema), (c) => {
    const services = c.get('services')
    const { sessionId } = c.req.valid('param')
    const hello = c.req.valid('json')
    announceMod(services.store.db, { sessionId, ...hello }, services.now())
    services.log.info('mod announced', { sessionId, claudeVersion: hello.claudeVersion, attended: hello.attended })
    services.bus.emit('change', { sessionId, cause: 'event' })
    // An unattended session (`claude -p`) exits after its last turn; an open poll would hold that exit up.
    return c.json({ poll: hello.attended })
  })
  .get('/:sessionId/next', validate('param', SessionParam), validate('query', PollQuery), async (c) => {
    const { store, inbox, now } = c.get('services')
    const { sessionId } = c.req.valid('param')
    const take = () => takeModReply(store.db, sessionId, now(), MOD_REDELIVER_MS)
    let reply = take()
    if (!reply) {
      await inbox.wait(sessionId, c.req.valid('query').waitSec * 1000, c.req.raw.signal)
      reply = take()
    }
    if (!reply) return c.body(null, 204)
    return c.json({ reply: { id: reply.id, text: reply.text } })
  })
  .post(
    '/:sessionId/replies/:id/ack',
    validate('param', SessionParam.extend({ id: z.coerce.number().int().positive() })),
    requireJson,
    validate('json', AckSchema),
    (c) => {
      const services = c.get('services')
      const { sessionId, id } = c.req.valid('param')
      const ack = c.req.valid('json')
      const error = ack.submitted ? null : (ack.error ?? 'not submitted')
      if (!confirmModReply(services.store.db, sessionId, id, services.now(), error)) {
        throw new ApiError(404, 'not_found', `no unconfirmed reply ${id} for session '${sessionId}'`)
      }
      if (error) services.log.warn('the mod could not submit a reply', { sessionId, replyId: id, error })
      return c.json({ ok: true })
    },
  )
