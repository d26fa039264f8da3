// Signing a browser in to the dashboard without ever showing it the bearer token: `tend open` asks
// (with the token) for a one-time login link; visiting it starts a session whose cookie holds
// `id.secret`. Writes from the page also carry a CSRF token derived from that secret, and the session's
// write key: minted with the session, handed to the page once (the login response, which puts it in
// localStorage, kept per port as a cookie is not) and kept here only as its sha256. A cookie alone,
// read by a server on another port of this host, can read the pages but never act.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  insertBrowserSession,
  insertLoginLink,
  listBrowserSessions,
  liveBrowserSession,
  revokeBrowserSession,
  takeLoginLink,
  touchBrowserSession,
} from '../store/browser-sessions.ts'
import type { BrowserSessionRow } from '../store/schema.ts'
import { Refusal } from './errors.ts'
import type { Services } from './services.ts'

/** A login link is for the browser `tend open` starts right now. */
export const LOGIN_LINK_TTL_MS = 2 * 60_000
export const SESSION_TTL_MS = 30 * 24 * 3600_000
/** lastSeenAt is written at most this often (a page makes many requests). */
const TOUCH_EVERY_MS = 60_000

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url')
const secret = () => randomBytes(32).toString('base64url')

/** The cookie's name carries the port: cookies ignore ports, and two receivers on one host must not mix. */
export const sessionCookieName = (config: Pick<Services['config'], 'port'>) => `tend_session_${config.port}`

export interface BrowserSession {
  id: string
  /** What every write from the page must carry (X-CSRF-Token). */
  csrf: string
  /** sha256 of the write key every write must also carry (X-Tend-Key); null for a session started without one. */
  writeKeyHash: string | null
}

/** The header a write carries the write key in. */
export const WRITE_KEY_HEADER = 'x-tend-key'

export function loginUrl(services: Pick<Services, 'config' | 'store' | 'now'>): { url: string; expiresAt: number } {
  const s = secret()
  const at = services.now()
  const expiresAt = at + LOGIN_LINK_TTL_MS
  insertLoginLink(services.store.db, { secretHash: sha256(s), createdAt: at, expiresAt })
  return { url: `${services.config.url}/login/${s}`, expiresAt }
}

/** Takes a login link (once) and starts a session: the cookie's value, or null for a used or expired link. */
export function redeemLoginLink(
  services: Pick<Services, 'store' | 'now'>,
  linkSecret: string,
  userAgent: string | null,
): { cookie: string; writeKey: string; session: BrowserSession } | null {
  const at = services.now()
  if (!/^[A-Za-z0-9_-]{43}$/.test(linkSecret) || !takeLoginLink(services.store.db, sha256(linkSecret), at)) return null
  const id = randomBytes(6).toString('hex')
  const s = secret()
  const writeKey = secret()
  insertBrowserSession(services.store.db, {
    id,
    secretHash: sha256(s),
    writeKeyHash: sha256(writeKey),
    userAgent: userAgent?.slice(0, 300) ?? null,
    createdAt: at,
    lastSeenAt: at,
    expiresAt: at + SESSION_TTL_MS,
  })
  return { cookie: `${id}.${s}`, writeKey, session: { id, csrf: csrfToken(id, s), writeKeyHash: sha256(writeKey) } }
}

/** The session a cookie names, if it is live and the secret is its own. */
export function sessionFromCookie(services: Pick<Services, 'store' | 'now'>, cookie: string | undefined) {
  const match = cookie && /^([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(cookie)
  if (!match) return null
  const [, id, s] = match as unknown as [string, string, string]
  const at = services.now()
  const row = liveBrowserSession(services.store.db, id, at)
  if (!row) return null
  const given = Buffer.from(sha256(s))
  const expected = Buffer.from(row.secretHash)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  if (at - row.lastSeenAt > TOUCH_EVERY_MS) touchBrowserSession(services.store.db, id, at)
  return { id, csrf: csrfToken(id, s), writeKeyHash: row.writeKeyHash } satisfies BrowserSession
}

function csrfToken(id: string, s: string): string {
  return createHmac('sha256', s).update(`csrf:${id}`).digest('base64url')
}

export function csrfMatches(session: BrowserSession, given: string | undefined): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(session.csrf)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Whether a write carries this session's write key (compared as sha256, in constant time). */
export function writeKeyMatches(session: BrowserSession, given: string | undefined): boolean {
  if (!given || !session.writeKeyHash || !/^[A-Za-z0-9_-]{43}$/.test(given)) return false
  const a = Buffer.from(sha256(given))
  const b = Buffer.from(session.writeKeyHash)
  return a.length === b.length && timingSafeEqual(a, b)
}

export type BrowserSessionInfo = Omit<BrowserSessionRow, 'secretHash' | 'writeKeyHash' | 'revokedAt'>

export function browserSessions(services: Pick<Services, 'store' | 'now'>): BrowserSessionInfo[] {
  return listBrowserSessions(services.store.db, services.now()).map(
    ({ secretHash: _, writeKeyHash: __, revokedAt: ___, ...info }) => info,
  )
}

/** Logout or revoke: that cookie signs nobody in any more. */
export function revokeSession(services: Pick<Services, 'store' | 'now' | 'bus'>, id: string): void {
  if (!revokeBrowserSession(services.store.db, id, services.now()))
    throw new Refusal('not_found', `no signed-in browser session '${id}'`)
  services.bus.emit('signedOut', { id })
}
