// GET /login/:secret: a one-time login link from `tend open`. Taken once, it starts a browser session
// (an HttpOnly, SameSite=Strict cookie), hands the page the session's write key (this answer only: the
// served signed-in.js puts it in localStorage) and goes on to the dashboard; used or expired, it says so.
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { signedInPage, signedOutPage } from '../../dashboard/layout.ts'
import { redeemLoginLink, SESSION_TTL_MS, sessionCookieName } from '../../service/browser-auth.ts'
import type { AppEnv } from '../env.ts'
import { dashboardHeaders } from '../middleware/browser-session.ts'

const SIGNED_IN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

export const loginRoute = new Hono<AppEnv>().get('/:secret', (c) => {
  const services = c.get('services')
  // The link is a secret: kept out of caches, Referer headers and frames.
  dashboardHeaders(c)
  const signedIn = redeemLoginLink(services, c.req.param('secret'), c.req.header('user-agent') ?? null)
  if (!signedIn) {
    return c.html(
      signedOutPage('This login link was already used or has expired: each link signs in one browser, once.'),
      401,
    )
  }
  setCookie(c, sessionCookieName(services.config), signedIn.cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  })
  // The one answer that holds the write key: its own script (signed-in.js) may run, nothing else.
  c.header('content-security-policy', SIGNED_IN_CSP)
  return c.html(signedInPage(signedIn.writeKey))
})
