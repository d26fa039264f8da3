// The dashboard's guard: a live session cookie from a `tend open` login link, and on every write the
// page's CSRF token. Without a session a page gets a 401 page saying to run `tend open`, anything
// else a 401 error; the bearer token is never accepted here (nor ever put in a page).
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { signedOutPage } from '../../dashboard/layout.ts'
import { csrfMatches, sessionCookieName, sessionFromCookie } from '../../service/browser-auth.ts'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function browserSession() {
  return createMiddleware<AppEnv>(async function browserSession(c, next) {
    const services = c.get('services')
    const session = sessionFromCookie(services, getCookie(c, sessionCookieName(services.config)))
    if (!session) {
      if (c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')) {
        c.header('cache-control', 'no-store')
        return c.html(signedOutPage('This browser is not signed in to tend.'), 401)
      }
      throw new ApiError(401, 'unauthorized', 'no dashboard session: run `tend open` to sign this browser in')
    }
    if (!SAFE_METHODS.has(c.req.method) && !csrfMatches(session, c.req.header('x-csrf-token'))) {
      throw new ApiError(403, 'forbidden_csrf', 'missing or wrong X-CSRF-Token: reload the page')
    }
    c.set('browserSession', session)
    await next()
  })
}
