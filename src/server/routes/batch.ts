// GET /v1/batch: review batching as it stands — whether it is on, the finished agents gathered for the
// next digest (each with how long it has waited), and when that digest goes.
import { Hono } from 'hono'
import { batchView } from '../../service/batch-view.ts'
import type { AppEnv } from '../env.ts'

export const batchRoute = new Hono<AppEnv>().get('/', (c) => c.json(batchView(c.get('services'))))
