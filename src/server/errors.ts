// One error shape for every route: {error: {code, message, issues?, requestId}}.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import type { AppEnv } from './env.ts'
import { Refusal, type RefusalCode } from '../service/errors.ts'
import { STORE_FAILURE_TEXT } from '../service/store-health.ts'
import { storeFailure } from '../store/db.ts'

export type ErrorCode =
  | 'bad_request'
  | 'malformed_json'
  | 'invalid_payload'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden_host'
  | 'forbidden_origin'
  | 'forbidden_csrf'
  | 'forbidden_write_key'
  | 'not_found'
  | 'ambiguous'
  | 'conflict'
  | 'wait_ended'
  | 'no_hold'
  | 'too_many_agents'
  | 'store_unavailable'
  | 'internal'

export interface Issue {
  path: string
  message: string
}

export class ApiError extends HTTPException {
  readonly code: ErrorCode
  readonly issues: Issue[] | undefined
  readonly extra: Record<string, unknown> | undefined

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    opts: { issues?: Issue[]; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(status, { message, cause: opts.cause })
    this.code = code
    this.issues = opts.issues
    this.extra = opts.extra
  }
}

export function zodIssues(error: ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
}

export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra, requestId: c.get('requestId') } }
}

/** How each refusal of the application layer reads over HTTP. */
const REFUSAL_STATUS: Record<RefusalCode, ContentfulStatusCode> = {
  not_found: 404,
  ambiguous: 409,
  conflict: 409,
  wait_ended: 409,
  no_hold: 409,
  too_many_agents: 429,
}

/** The root onError: known errors keep their status; anything else is logged and becomes a bare 500. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof Refusal) {
    return c.json(errorBody(c, err.code, err.message, err.extra), REFUSAL_STATUS[err.code])
  }
  if (err instanceof ApiError) {
    return c.json(
      errorBody(c, err.code, err.message, { ...(err.issues ? { issues: err.issues } : {}), ...err.extra }),
      err.status,
    )
  }
  if (err instanceof ZodError) {
    return c.json(
      errorBody(c, 'invalid_payload', 'the request does not match the schema', { issues: zodIssues(err) }),
      400,
    )
  }
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413
        ? 'payload_too_large'
        : err.status === 401
          ? 'unauthorized'
          : err.status === 404
            ? 'not_found'
            : 'bad_request'
    const status = err.status >= 500 ? 400 : err.status
    return c.json(errorBody(c, code, err.message || 'bad request'), status as ContentfulStatusCode)
  }
  const failing = storeFailure(err)
  if (failing) {
    // The disk is full or read-only: not this request's fault, and it may work later. The hook spools
    // on a 503; the store health logs it (once a minute) and tend doctor shows it.
    c.get('services')?.storeHealth.failed(failing, err)
    c.header('retry-after', '60')
    return c.json(
      errorBody(c, 'store_unavailable', `the receiver cannot store anything now: ${STORE_FAILURE_TEXT[failing]}`, {
        kind: failing,
      }),
      503,
    )
  }
  c.get('log')?.error('request failed', { requestId: c.get('requestId'), error: err.message, stack: err.stack })
  return c.json(errorBody(c, 'internal', 'internal error'), 500)
}
