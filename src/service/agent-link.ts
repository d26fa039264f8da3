// The link a ping opens: /open/:sessionId?sig=… The signature (an HMAC of the session id under the
// install's token) lets a browser open that one agent's page without the bearer token.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Services } from './services.ts'

export function pageSignature(token: string, sessionId: string): string {
  return createHmac('sha256', token).update(`open:${sessionId}`).digest('base64url').slice(0, 32)
}

export function agentPageUrl(services: Pick<Services, 'config' | 'token'>, sessionId: string): string {
  return `${services.config.url}/open/${encodeURIComponent(sessionId)}?sig=${pageSignature(services.token, sessionId)}`
}

export function validPageSignature(token: string, sessionId: string, sig: string): boolean {
  const expected = Buffer.from(pageSignature(token, sessionId))
  const given = Buffer.from(sig)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
