// /v1/rules: permission rules (list, add, remove), what they decide for a call (test), learned
// suggestions, and their effects (decisions per day and per rule, T_work before and after).
import { Hono } from 'hono'
import { z } from 'zod'
import { rulesOf } from '../../service/rules.ts'
import type { AppEnv } from '../env.ts'
import { AddSchema, IdSchema, TestSchema } from '../rule-schemas.ts'
import { requireJson, validate } from '../validate.ts'

const SuggestQuerySchema = z.object({
  risky: z.enum(['0', '1', 'true', 'false']).optional(),
  min: z.coerce.number().int().min(1).max(1000).optional(),
})

const DAY = 86_400_000
const EffectsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(7),
  /** The person's UTC offset in minutes (days end at their midnight). */
  tz: z.coerce.number().int().min(-840).max(840).default(0),
})

export const rulesRoute = new Hono<AppEnv>()
  .get('/', (c) => c.json({ rules: rulesOf(c.get('services')).list() }))
  .post('/', requireJson, validate('json', AddSchema), (c) => {
    const rule = rulesOf(c.get('services')).add(c.req.valid('json'))
    return c.json({ rule }, 201)
  })
  .delete('/:id', validate('param', IdSchema), (c) => {
    const removed = rulesOf(c.get('services')).remove(c.req.valid('param').id)
    return c.json({ removed })
  })
  .post('/test', requireJson, validate('json', TestSchema), (c) => {
    const body = c.req.valid('json')
    return c.json(rulesOf(c.get('services')).test(body.target, body.call))
  })
  .get('/suggestions', validate('query', SuggestQuerySchema), (c) => {
    const q = c.req.valid('query')
    const includeRisky = q.risky === '1' || q.risky === 'true'
    const suggestions = rulesOf(c.get('services')).suggest({ includeRisky, minApprovals: q.min })
    return c.json({ suggestions: suggestions.map((s, i) => ({ n: i + 1, ...s })) })
  })
  .get('/effects', validate('query', EffectsQuerySchema), (c) => {
    const { days, tz } = c.req.valid('query')
    const services = c.get('services')
    const offset = -tz * 60_000
    const now = services.now()
    const today = Math.floor((now - offset) / DAY) * DAY + offset
    return c.json(rulesOf(services).effects({ from: today - (days - 1) * DAY, to: now + 1, dayOffsetMs: offset }))
  })
