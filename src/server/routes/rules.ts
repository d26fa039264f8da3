// /v1/rules: permission rules (list, add, remove), what they decide for a call (test), learned
// suggestions, and their effects (decisions per day and per rule, T_work before and after).
import { Hono } from 'hono'
import { z } from 'zod'
import { parsePermissionRule, RuleInputSchema } from '../../core/rules/permission-rule.ts'
import { rulesOf } from '../../service/rules.ts'
import type { AppEnv } from '../env.ts'
import { requireJson, validate } from '../validate.ts'

const AddSchema = RuleInputSchema.and(z.object({ origin: z.enum(['person', 'suggestion']).optional() }))

const IdSchema = z.object({ id: z.coerce.number().int().positive() })

const TestSchema = z.object({
  /** An agent (short id, session id, project name) or an absolute directory. */
  target: z.string().min(1).max(4096),
  /** The call, written like a rule: `Bash(npm test && rm -rf /)`, `Write(/etc/hosts)`, `WebFetch(https://x)`. */
  call: z
    .string()
    .min(1)
    .max(10_000)
    .transform((text, ctx) => {
      const t = text.trim()
      const open = t.indexOf('(')
      // Any command or path may be tested: only the tool name must be one.
      const tool = open < 0 ? t : t.slice(0, open)
      const parsed = parsePermissionRule(tool)
      if (!parsed.ok || (open >= 0 && !t.endsWith(')'))) {
        ctx.addIssue({ code: 'custom', message: 'write the call like a rule: Bash(command) or Edit(path)' })
        return z.NEVER
      }
      const specifier = open < 0 ? null : t.slice(open + 1, -1)
      return { tool, specifier: specifier === '' ? null : specifier }
    }),
})

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
