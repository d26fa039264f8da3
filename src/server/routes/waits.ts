// GET /v1/waits/:id (a wait and every answer tried) and POST /v1/waits/:id/answer.
import { Hono } from 'hono'
import { AnswerRequestSchema, type Answer } from '../../core/answer.ts'
import { getWait, repliesForWait } from '../../store/replies.ts'
import { answerWait } from '../../service/answers.ts'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

export const waitsRoute = new Hono<AppEnv>()
  .get('/:id', (c) => {
    const { store, holds } = c.get('services')
    const wait = getWait(store.db, c.req.param('id'))
    if (!wait) throw new ApiError(404, 'not_found', `no wait '${c.req.param('id')}'`)
    return c.json({ wait, held: Boolean(holds.get(wait.id)), replies: repliesForWait(store.db, wait.id) })
  })
  .post('/:id/answer', requireJson, validate('json', AnswerRequestSchema), (c) => {
    const body = c.req.valid('json')
    const { via, by, ...answer } = body
    const delivered = answerWait(c.get('services'), {
      waitId: c.req.param('id'),
      answer: answer as Answer,
      via,
      by: by ?? null,
    })
    return c.json(delivered)
  })
