// GET /v1/priorities and PUT /v1/priorities {target, priority}: per agent or per project path glob.
import { Hono } from 'hono'
import { z } from 'zod'
import { listPriorityRules } from '../../store/priorities.ts'
import { changePriority } from '../../service/priorities.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

const PrioritySchema = z.object({
  /** An agent (short id, project name) or a path glob (contains / or *). */
  target: z.string().min(1).max(1000),
  priority: z.number().int().min(1).max(5).nullable(),
})

export const prioritiesRoute = new Hono<AppEnv>()
  .get('/', (c) => c.json({ rules: listPriorityRules(c.get('services').store.db) }))
  .put('/', requireJson, validate('json', PrioritySchema), (c) => {
    const body = c.req.valid('json')
    return c.json(changePriority(c.get('services'), body.target, body.priority))
  })
