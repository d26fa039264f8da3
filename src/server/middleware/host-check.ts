// Refuses requests whose Host is not this receiver's own name: a DNS-rebinding page can't reach it.
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1']

/** The host part of a Host header or an origin's host, lower-cased, without the port. */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1)
  return h.replace(/:\d+$/, '')
}

export function allowedHostNames(configuredHost: string): Set<string> {
  const names = new Set(LOOPBACK_NAMES)
  const h = configuredHost.toLowerCase()
  if (h !== '0.0.0.0' && h !== '::') names.add(h.includes(':') && !h.startsWith('[') ? `[${h}]` : h)
  return names
}

export function hostCheck(opts: { allowed: Set<string> }) {
  return createMiddleware<AppEnv>(async function hostCheck(c, next) {
    // The node server builds the URL from the Host header; app.request (tests) from the URL.
    const host = c.req.header('host') ?? new URL(c.req.url).host
    if (!opts.allowed.has(hostName(host))) {
      throw new ApiError(
        403,
        'forbidden_host',
        `Host '${host}' is not this receiver (allowed: ${[...opts.allowed].join(', ')})`,
      )
    }
    await next()
  })
}
