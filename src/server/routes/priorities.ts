// GET /v1/priorities and PUT /v1/priorities {target, priority}: per agent or per project path glob.
import { Hono } from 'hono'
import { z } from 'zod'
import { clearPriority, listPriorityRules, setPriority } from '../../store/priorities.ts'
import type { AppEnv } from '../env.ts'
import { resolveAgent } from '../../service/agents.ts'
import { requireJson, validate } from '../validate.ts'

const PrioritySchema = z.object({
  /** An agent (short id, project name) or a path glob (contains / or *). */
  target: z.string().min(1).max(1000),
  priority: z.number().int().min(1).max(5).nullable(),
})

const isGlob = (target: string) => /[/*?]/.test(target)

export const prioritiesRoute = new Hono<AppEnv>()
  .get('/', (c) => c.json({ rules: listPriorityRules(c.get('services').store.db) }))
  .put('/', requireJson, validate('json', PrioritySchema), (c) => {
    const { store, now } = c.get('services')
    const body = c.req.valid('json')
    const kind = isGlob(body.target) ? ('path' as const) : ('agent' as const)
    const target = kind === 'path' ? body.target : resolveAgent(store.db, body.target, now())
    if (body.priority === null) return c.json({ removed: clearPriority(store.db, target), target })
    setPriority(store.db, { target, kind, priority: body.priority }, now())
    return c.json({ rule: { target, kind, priority: body.priority } })
  })
