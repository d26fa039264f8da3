// What the dashboard writes, each through the same application layer as every other front end:
// POST /ui/waits/:id/answer (one wait, one answer), PUT /ui/priorities, DELETE /ui/sessions/:id,
// POST /ui/logout, and the rules: POST /ui/rules, DELETE /ui/rules/:id, POST /ui/rules/test. Behind middleware/browser-session.ts (cookie and CSRF token) and the Origin check.
import { homedir, userInfo } from 'node:os'
import { Hono } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import { AnswerSchema } from '../../core/answer.ts'
import { rulesPageData } from '../../dashboard/rules-data.ts'
import { rulesBody, testResultText } from '../../dashboard/rules-view.ts'
import { sessionsHtml } from '../../dashboard/sessions-list.ts'
import { answerWait } from '../../service/answers.ts'
import { browserSessions, revokeSession, sessionCookieName } from '../../service/browser-auth.ts'
import { changePriority } from '../../service/priorities.ts'
import { rulesOf } from '../../service/rules.ts'
import type { Services } from '../../service/services.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'
import { AddSchema, IdSchema, TestSchema } from '../rule-schemas.ts'

const PriorityBodySchema = z.object({
  target: z.string().min(1).max(1000),
  priority: z.number().int().min(1).max(5).nullable(),
})

/** The page's one "applies to" field: an agent, or a path glob (`~` is this machine's home); empty: everywhere. */
const UiRuleSchema = z.preprocess((body) => {
  if (!body || typeof body !== 'object') return body
  const { scope, ...rest } = body as Record<string, unknown>
  const s = typeof scope === 'string' ? scope.trim() : ''
  if (!s) return rest
  if (s === '~' || s.startsWith('~/')) return { ...rest, path: homedir() + s.slice(1) }
  return s.startsWith('/') ? { ...rest, path: s } : { ...rest, agent: s }
}, AddSchema)
const RiskySchema = z.object({ risky: z.enum(['0', '1']).optional() })

/** The rules, suggestions and effects as the page shows them after a change. */
const rulesHtml = async (services: Services, risky: string | undefined) =>
  String(await rulesBody(rulesPageData(services, risky === '1')))

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
  .post('/rules', requireJson, validate('query', RiskySchema), validate('json', UiRuleSchema), async (c) => {
    const services = c.get('services')
    const rule = rulesOf(services).add(c.req.valid('json'))
    return c.json({ rule, html: await rulesHtml(services, c.req.valid('query').risky) }, 201)
  })
  .delete('/rules/:id', validate('param', IdSchema), validate('query', RiskySchema), async (c) => {
    const services = c.get('services')
    const removed = rulesOf(services).remove(c.req.valid('param').id)
    return c.json({ removed, html: await rulesHtml(services, c.req.valid('query').risky) })
  })
  .post('/rules/test', requireJson, validate('json', TestSchema), (c) => {
    const body = c.req.valid('json')
    const result = rulesOf(c.get('services')).test(body.target, body.call)
    return c.json({ ...result, text: testResultText(result) })
  })
  .post('/logout', (c) => {
    const services = c.get('services')
    revokeSession(services, c.get('browserSession').id)
    deleteCookie(c, sessionCookieName(services.config), { path: '/' })
    return c.json({ loggedOut: true })
  })
