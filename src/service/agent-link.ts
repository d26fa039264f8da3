// The link a ping opens: /open/:sessionId?exp=…&sig=… The signature (an HMAC of the session id and
// the expiry under the install's token) lets a browser open that one agent's page, for a day,
// without the bearer token.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Services } from './services.ts'

/** How long the link a ping carries stays good: a ping read the next morning still opens. */
export const PAGE_LINK_TTL_MS = 24 * 3600_000

export function pageSignature(token: string, sessionId: string, expiresAt: number): string {
  return createHmac('sha256', token).update(`open:${sessionId}:${expiresAt}`).digest('base64url').slice(0, 32)
}

export function agentPageUrl(services: Pick<Services, 'config' | 'token' | 'now'>, sessionId: string): string {
  const exp = services.now() + PAGE_LINK_TTL_MS
  const sig = pageSignature(services.token, sessionId, exp)
  return `${services.config.url}/open/${encodeURIComponent(sessionId)}?exp=${exp}&sig=${sig}`
}

/** Exactly one expiry and one signature, the link not yet expired, and the signature its own. */
export function validPageLink(
  token: string,
  sessionId: string,
  query: { exp: string[]; sig: string[] },
  now: number,
): boolean {
  if (query.exp.length !== 1 || query.sig.length !== 1) return false
  const exp = Number(query.exp[0])
  if (!Number.isSafeInteger(exp) || exp <= now) return false
  const expected = Buffer.from(pageSignature(token, sessionId, exp))
  const given = Buffer.from(query.sig[0]!)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
