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
      if (origin !== undefined && !isAllowedOrigin(origin, opts.allowed)) {
        throw new ApiError(403, 'forbidden_origin', `cross-origin write from '${origin}' refused`)
      }
      if (c.req.header('sec-fetch-site') === 'cross-site') {
        throw new ApiError(403, 'forbidden_origin', 'cross-site write refused')
      }
    }
    await next()
  })
}

function isAllowedOrigin(origin: string, allowed: Set<string>): boolean {
  try {
    const url = new URL(origin)
    return (url.protocol === 'http:' || url.protocol === 'https:') && allowed.has(hostName(url.host))
  } catch {
    return false
  }
}
