// GET /v1/metrics?days=7: T_work, wait time, T_instruct and N = T_work / T_instruct.
import { Hono } from 'hono'
import { z } from 'zod'
import { attentionMetrics } from '../../core/metrics.ts'
import { metricSamples } from '../../store/metrics.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const QuerySchema = z.object({ days: z.coerce.number().min(0.01).max(365).default(7) })
/** A gap between two prompts longer than this is a break, not time spent on an instruction. */
const BREAK_AFTER_MS = 10 * 60_000

export const metricsRoute = new Hono<AppEnv>().get('/', validate('query', QuerySchema), (c) => {
  const { store, now } = c.get('services')
  const { days } = c.req.valid('query')
  const samples = metricSamples(store.db, now() - days * 24 * 3600_000)
  return c.json({ days, metrics: attentionMetrics({ ...samples, breakAfterMs: BREAK_AFTER_MS }) })
})
