// The Hono environment: what every handler can take from the context.
import type { RequestIdVariables } from 'hono/request-id'
import type { DoctorCheck } from '../core/channel.ts'
import type { Logger } from '../log.ts'
import type { BrowserSession } from '../service/browser-auth.ts'
import type { Services } from '../service/services.ts'

export type AppEnv = {
  Variables: RequestIdVariables & {
    services: Services
    log: Logger
    /** What each ping channel says about itself (tend doctor). */
    doctorChecks: () => Promise<DoctorCheck[]>
    /** The dashboard's signed-in browser (set by middleware/browser-session.ts on page routes). */
    browserSession: BrowserSession
  }
}
