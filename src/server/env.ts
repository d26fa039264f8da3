// The Hono environment: what every handler can take from the context.
import type { RequestIdVariables } from 'hono/request-id'
import type { Logger } from '../log.ts'
import type { Services } from './services.ts'

export type AppEnv = {
  Variables: RequestIdVariables & {
    services: Services
    log: Logger
  }
}
