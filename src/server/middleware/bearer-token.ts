// Requires `Authorization: Bearer <token>` (constant-time compare); 401 with a JSON reason otherwise.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'

const digest = (s: string) => createHash('sha256').update(s).digest()

export function bearerToken(opts: { token: string }) {
  const expected = digest(opts.token)
  return createMiddleware<AppEnv>(async function bearerToken(c, next) {
    const header = c.req.header('authorization')
    if (!header) throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer <token> header')
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <token>"')
    if (!timingSafeEqual(digest(match[1]!), expected)) throw new ApiError(401, 'unauthorized', 'invalid token')
    await next()
  })
}
