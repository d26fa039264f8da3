// The CLI's typed client for the receiver (hc<AppType>), with errors a person can act on.
import { hc, type ClientResponse } from 'hono/client'
import type { SuccessStatusCode } from 'hono/utils/http-status'
import { clientConfig, type ClientConfig } from '../client-config.ts'
import type { AppType } from '../server/app.ts'
import { readToken } from '../token.ts'
import { CliError } from './errors.ts'
import { httpFetch } from './http-fetch.ts'

/**
 * The client, for the configuration given, or else the environment's read without validating it (no
 * zod: `tend status` starts fast); a call that then fails validates it first (`call`).
 */
export function connect<C extends ClientConfig>(config: C = clientConfig() as C) {
  const token = readToken(config)
  if (!token) {
    throw new CliError(
      `no token at ${config.paths.tokenFile} and TEND_TOKEN is unset: start the receiver once with \`tend serve\``,
    )
  }
  const client = hc<AppType>(config.url, { headers: { authorization: `Bearer ${token}` }, fetch: httpFetch })
  return { client, config }
}

/** The JSON a route answers on success, as the route itself types it: one source for the API's shapes. */
export type OkBody<R> =
  R extends ClientResponse<infer T, infer S, 'json'> ? (S extends SuccessStatusCode ? T : never) : never

/**
 * A configuration read without validation is validated when a call fails: a bad TEND_URL, TEND_PORT or
 * TEND_TOKEN (or config.json) is named by loadConfig's ConfigError rather than taken for a receiver down.
 */
async function validated(config: ClientConfig): Promise<void> {
  if (config.validated !== false) return
  const { loadConfig } = await import('../config.ts')
  loadConfig()
}

/** Awaits a client call; turns "nothing listens" and error envelopes into one clear sentence. */
export async function call<R extends ClientResponse<unknown, number, 'json'>>(
  config: ClientConfig,
  request: () => Promise<R>,
): Promise<OkBody<R>> {
  let res: R
  try {
    res = await request()
  } catch (err) {
    await validated(config)
    const cause = (err as { cause?: { code?: string } }).cause
    const why = cause?.code === 'ECONNREFUSED' ? 'connection refused' : (cause?.code ?? (err as Error).message)
    throw new CliError(`no tend receiver at ${config.url} (${why}). Start it with \`tend serve\` (or ./install.sh).`)
  }
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; code?: string } } | null
  if (!res.ok) {
    if (res.status === 401) await validated(config)
    const message = body?.error?.message ?? `HTTP ${res.status}`
    throw new CliError(
      res.status === 401 ? `${message}: the token does not match the receiver's (${config.paths.tokenFile})` : message,
    )
  }
  return body as OkBody<R>
}
