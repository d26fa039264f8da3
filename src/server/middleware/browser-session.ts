// The dashboard's guard: a live session cookie from a `tend open` login link, and on every write the
// page's CSRF token and the session's write key (X-Tend-Key, which only that browser's localStorage for
// this origin holds: a cookie read by a server on another port of this host reads, never acts). Without a session a page gets a 401 page saying to run `tend open`, anything
// else a 401 error; the bearer token is never accepted here (nor ever put in a page).
// Every answer through it is kept out of caches, frames and Referer headers, and only the receiver's
// own pages (fetch metadata: same-origin, or typed/opened by the person) may read or write through
// it: SameSite=Strict still sends the cookie from another port of this host (same-site).
import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import type { Context } from 'hono'
import { signedOutPage } from '../../dashboard/layout.ts'
import {
  csrfMatches,
  sessionCookieName,
  sessionFromCookie,
  WRITE_KEY_HEADER,
  writeKeyMatches,
} from '../../service/browser-auth.ts'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The headers every dashboard answer carries (a page sets its own, stricter-for-scripts CSP after). */
export function dashboardHeaders(c: Context<AppEnv>): void {
  c.header('cache-control', 'no-store')
  c.header('referrer-policy', 'no-referrer')
  c.header('x-frame-options', 'DENY')
  c.header('x-content-type-options', 'nosniff')
  c.header('cross-origin-resource-policy', 'same-origin')
  c.header('content-security-policy', "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'")
}

/**
 * A request from another site or another port of this host (Sec-Fetch-Site cross-site or same-site) is
 * refused unless it is the person following a link to a page (a top-level GET navigation): a foreign
 * page may not read the stream or the chart data with the cookie, nor embed a page.
 */
function foreignRequest(c: Context<AppEnv>): string | null {
  const site = c.req.header('sec-fetch-site')
  if (site === undefined || site === 'same-origin' || site === 'none') return null
  const navigation =
    c.req.method === 'GET' &&
    c.req.header('sec-fetch-mode') === 'navigate' &&
    (c.req.header('sec-fetch-dest') ?? 'document') === 'document'
  return navigation ? null : site
}

export function browserSession() {
  return createMiddleware<AppEnv>(async function browserSession(c, next) {
    dashboardHeaders(c)
    const site = foreignRequest(c)
    if (site) throw new ApiError(403, 'forbidden_origin', `${site} request to the dashboard refused`)
    const services = c.get('services')
    const session = sessionFromCookie(services, getCookie(c, sessionCookieName(services.config)))
    if (!session) {
      if (c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')) {
        return c.html(signedOutPage('This browser is not signed in to tend.'), 401)
      }
      throw new ApiError(401, 'unauthorized', 'no dashboard session: run `tend open` to sign this browser in')
    }
    if (!SAFE_METHODS.has(c.req.method) && !csrfMatches(session, c.req.header('x-csrf-token'))) {
      throw new ApiError(403, 'forbidden_csrf', 'missing or wrong X-CSRF-Token: reload the page')
    }
    if (!SAFE_METHODS.has(c.req.method) && !writeKeyMatches(session, c.req.header(WRITE_KEY_HEADER))) {
      throw new ApiError(
        403,
        'forbidden_write_key',
        'this browser can read but not act: run `tend open` again (its write key, X-Tend-Key, is missing or wrong)',
      )
    }
    c.set('browserSession', session)
    await next()
  })
}
