// The dashboard's sign-in, for the CLI (bearer token): POST /v1/browser/login-links makes a one-time
// login link; GET /v1/browser/sessions lists the signed-in browsers; DELETE …/sessions/:id revokes one.
import { Hono } from 'hono'
import { browserSessions, loginUrl, revokeSession } from '../../service/browser-auth.ts'
import type { AppEnv } from '../env.ts'

export const browserRoute = new Hono<AppEnv>()
  .post('/login-links', (c) => c.json(loginUrl(c.get('services'))))
  .get('/sessions', (c) => c.json({ sessions: browserSessions(c.get('services')) }))
  .delete('/sessions/:id', (c) => {
    revokeSession(c.get('services'), c.req.param('id'))
    return c.json({ revoked: c.req.param('id') })
  })
