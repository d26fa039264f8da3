// Refuses cross-origin browser writes: a web page may not post hook events or replies.
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'
import { hostName } from './host-check.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function originCheck(opts: { allowed: Set<string> }) {
  return createMiddleware<AppEnv>(async function originCheck(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      // Browsers always send Origin on cross-origin writes; curl and the hooks send none.
      const origin = c.req.header('origin')
      const host = c.req.header('host') ?? new URL(c.req.url).host
      if (origin !== undefined && !isSameOrigin(origin, host, opts.allowed)) {
        throw new ApiError(403, 'forbidden_origin', `cross-origin write from '${origin}' refused`)
      }
      // same-site is another port of this host: another program's page, not the receiver's.
      const site = c.req.header('sec-fetch-site')
      if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        throw new ApiError(403, 'forbidden_origin', `${site} write refused`)
      }
    }
    await next()
  })
}

/** The page that sent it is the receiver's own: same name and the same port as the request's Host. */
function isSameOrigin(origin: string, host: string, allowed: Set<string>): boolean {
  try {
    const url = new URL(origin)
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      allowed.has(hostName(url.host)) &&
      url.host === new URL(`${url.protocol}//${host.trim()}`).host
    )
  } catch {
    return false
  }
}
