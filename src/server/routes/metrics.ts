// GET /v1/metrics?days=7: T_work, T_instruct, waits, idle agent-time and its cost, and N, for the fleet,
// each project and each agent, each with its samples and spread, as of `asOf` (kept, recomputed off the
// request path: service/economics.ts); and the capacity now.
// GET /v1/metrics/capacity: live agents against the practical limit (status line, dashboard banner).
import { Hono } from 'hono'
import { z } from 'zod'
import type { Measures } from '../../core/metrics.ts'
import { economicsOf } from '../../service/economics.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'

const QuerySchema = z.object({ days: z.coerce.number().min(0.01).max(365).default(7) })

/** The single numbers earlier clients read (tend stats, the MCP stats tool): medians of the fleet. */
function summary(m: Measures) {
  return {
    tWorkMs: m.tWork.median,
    tWaitMs: m.wait.median,
    waitTotalMs: m.idleMs,
    tInstructMs: m.tInstruct.median,
    n: m.n ? Math.round(m.n.value * 10) / 10 : null,
    samples: { instructions: m.tWork.samples, waits: m.wait.samples, promptGaps: m.tInstruct.samples },
  }
}

export const metricsRoute = new Hono<AppEnv>()
  .get('/', validate('query', QuerySchema), (c) => {
    const services = c.get('services')
    const { days } = c.req.valid('query')
    const economics = economicsOf(services)
    // From the kept copy: computed as of `asOf` (`stale`: the history changed since, recomputing).
    const measures = economics.recentMeasures(days)
    return c.json({ days, metrics: summary(measures.fleet), ...measures, capacity: economics.capacityNow() })
  })
  .get('/capacity', (c) => c.json(economicsOf(c.get('services')).capacityNow()))
