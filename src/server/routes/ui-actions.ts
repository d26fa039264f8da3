// What the dashboard writes, each through the same application layer as every other front end:
// POST /ui/waits/:id/answer (one wait, one answer), PUT /ui/priorities, DELETE /ui/sessions/:id,
// POST /ui/logout. Behind middleware/browser-session.ts (cookie and CSRF token) and the Origin check.
import { userInfo } from 'node:os'
import { Hono } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import { AnswerSchema } from '../../core/answer.ts'
import { sessionsHtml } from '../../dashboard/sessions-list.ts'
import { answerWait } from '../../service/answers.ts'
import { browserSessions, revokeSession, sessionCookieName } from '../../service/browser-auth.ts'
import { changePriority } from '../../service/priorities.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

const PriorityBodySchema = z.object({
  target: z.string().min(1).max(1000),
  priority: z.number().int().min(1).max(5).nullable(),
})

/** The person at this machine's browser: answers read "approved by ann via dashboard". */
const person = (() => {
  try {
    return userInfo().username
  } catch {
    return null
  }
})()

export const uiActionsRoute = new Hono<AppEnv>()
  .post('/waits/:id/answer', requireJson, validate('json', AnswerSchema), (c) =>
    c.json(
      answerWait(c.get('services'), {
        waitId: c.req.param('id'),
        answer: c.req.valid('json'),
        via: 'dashboard',
        by: person,
      }),
    ),
  )
  .put('/priorities', requireJson, validate('json', PriorityBodySchema), (c) => {
    const body = c.req.valid('json')
    return c.json(changePriority(c.get('services'), body.target, body.priority))
  })
  .delete('/sessions/:id', async (c) => {
    const services = c.get('services')
    revokeSession(services, c.req.param('id'))
    const current = c.get('browserSession').id
    return c.json({ revoked: c.req.param('id'), html: String(await sessionsHtml(browserSessions(services), current)) })
  })
  .post('/logout', (c) => {
    const services = c.get('services')
    revokeSession(services, c.get('browserSession').id)
    deleteCookie(c, sessionCookieName(services.config), { path: '/' })
    return c.json({ loggedOut: true })
  })
