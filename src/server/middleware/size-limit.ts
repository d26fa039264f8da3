// Refuses bodies over the limit (413). Hono's bodyLimit touches the request's body stream, which
// makes @hono/node-server build a web Request and lose its fast path for json(); with a
// Content-Length (what curl and the hooks send) the header alone decides, and only chunked
// bodies go through bodyLimit's counting reader.
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'

export function sizeLimit(opts: { maxBytes: number }) {
  const tooLarge = () => {
    throw new ApiError(413, 'payload_too_large', `body larger than ${opts.maxBytes} bytes`)
  }
  const counting = bodyLimit({ maxSize: opts.maxBytes, onError: tooLarge })
  return createMiddleware<AppEnv>(async function sizeLimit(c, next) {
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next)
    if (Number(length) > opts.maxBytes) tooLarge()
    await next()
  })
}
