// zod validation for routes: failures become our 400 envelope, never the validator's raw object.
import { zValidator } from '@hono/zod-validator'
import { createMiddleware } from 'hono/factory'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { ApiError, zodIssues } from './errors.ts'
import type { AppEnv } from './env.ts'

export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError(400, 'invalid_payload', `invalid ${target}`, { issues: zodIssues(result.error as never) })
    }
  })
}

/** Body routes answer 415 unless the body is JSON: Hono would otherwise validate an empty {}. */
export const requireJson = createMiddleware<AppEnv>(async function requireJson(c, next) {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type must be application/json (got '${type || 'none'}')`)
  }
  await next()
})
