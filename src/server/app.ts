// The Hono app factory: middleware in order, routes mounted, one error shape. Never listens.
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { openRoute } from './routes/open.ts'
import type { DoctorCheck } from '../core/channel.ts'
import type { AppEnv } from './env.ts'
import { errorBody, handleError } from './errors.ts'
import { bearerToken } from './middleware/bearer-token.ts'
import { allowedHostNames, hostCheck } from './middleware/host-check.ts'
import { originCheck } from './middleware/origin-check.ts'
import { sizeLimit } from './middleware/size-limit.ts'
import { agentsRoute } from './routes/agents.ts'
import { hooks } from './routes/hooks.ts'
import { doctorRoute } from './routes/doctor.ts'
import { metricsRoute } from './routes/metrics.ts'
import { modRoute } from './routes/mod.ts'
import { pingsRoute } from './routes/pings.ts'
import { presenceRoute } from './routes/presence.ts'
import { prioritiesRoute } from './routes/priorities.ts'
import { rulesRoute } from './routes/rules.ts'
import { reportRoute } from './routes/report.ts'
import { batchRoute } from './routes/batch.ts'
import { waitsRoute } from './routes/waits.ts'
import { browserSession } from './middleware/browser-session.ts'
import { browserRoute } from './routes/browser.ts'
import { loginRoute } from './routes/login.ts'
import { uiRoute } from './routes/ui.ts'
import { uiActionsRoute } from './routes/ui-actions.ts'
import { uiAssetsRoute } from './routes/ui-assets.ts'
import type { Services } from '../service/services.ts'

export interface AppOptions {
  /** What the ping channels say about themselves (the composition root knows the channels). */
  doctorChecks?: () => Promise<DoctorCheck[]>
}

export function createApp(services: Services, opts: AppOptions = {}) {
  const doctorChecks = opts.doctorChecks ?? (async () => [])
  const allowed = allowedHostNames(services.config.host)
  const app = new Hono<AppEnv>()
    .use(requestId())
    .use(async function provideServices(c, next) {
      c.set('services', services)
      c.set('log', services.log)
      c.set('doctorChecks', doctorChecks)
      await next()
    })
    .use(hostCheck({ allowed }))
    .use(originCheck({ allowed }))
    .use(sizeLimit({ maxBytes: services.config.bodyLimitBytes }))
    .route('/open', openRoute)
    // The dashboard: a login link starts a cookie session; its pages and writes need that cookie.
    .route('/login', loginRoute)
    .route('/ui/assets', uiAssetsRoute)
    .use('/ui/*', browserSession())
    .route('/', uiRoute)
    .route('/ui', uiActionsRoute)
    .get('/healthz', (c) =>
      c.json({
        ok: true,
        name: 'tend',
        pendingSpool: services.spool.pending(),
        // Up, but unable to store (disk full, read-only): hooks get 503 and spool.
        store: services.storeHealth.view().ok ? ('ok' as const) : ('failing' as const),
      }),
    )
    .use('/v1/*', bearerToken({ token: services.token }))
    .route('/v1/hooks', hooks)
    .route('/v1/agents', agentsRoute)
    .route('/v1/waits', waitsRoute)
    .route('/v1/presence', presenceRoute)
    .route('/v1/pings', pingsRoute)
    .route('/v1/priorities', prioritiesRoute)
    .route('/v1/rules', rulesRoute)
    .route('/v1/doctor', doctorRoute)
    .route('/v1/metrics', metricsRoute)
    .route('/v1/report', reportRoute)
    .route('/v1/batch', batchRoute)
    .route('/v1/mod', modRoute)
    .route('/v1/browser', browserRoute)

  app.onError(handleError)
  app.notFound((c) => c.json(errorBody(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`), 404))
  return app
}

export type AppType = ReturnType<typeof createApp>
