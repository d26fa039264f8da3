// GET /v1/doctor: what the receiver itself sees of its channels (it is the one that pings).
import { Hono } from 'hono'
import { listAgentViews } from '../../store/agents.ts'
import { modsOf } from '../../store/mods.ts'
import { oldestPayloadAt, storeSize } from '../../store/retention.ts'
import { replyPath } from '../../core/reply-path.ts'
import type { AppEnv } from '../env.ts'
import { readLostEvents } from '../../service/lost-events.ts'

export const doctorRoute = new Hono<AppEnv>().get('/', async (c) => {
  const services = c.get('services')
  return c.json({
    checks: await c.get('doctorChecks')(),
    presence: services.presence(),
    held: services.holds.list().length,
    spooled: services.spool.pending(),
    // The database's size, and how far back raw event payloads go (retention).
    database: {
      ...storeSize(services.store.sqlite),
      oldestPayloadAt: oldestPayloadAt(services.store.db),
      payloadDays: services.config.file.retention.payloadDays,
    },
    // Whether the store can write now (disk full, read-only), and events the hooks could not even spool.
    store: services.storeHealth.view(),
    lost: readLostEvents(services.config.paths.lostFile, services.config.paths.dataDir),
    // How a reply reaches each live agent, and the Claude Code its mod reported (null: no mod heard).
    replies: (() => {
      const live = listAgentViews(services.store.db).filter((a) => a.state !== 'ended')
      const mods = modsOf(
        services.store.db,
        live.map((a) => a.sessionId),
      )
      return live.map((a) => ({
        sessionId: a.sessionId,
        project: a.project,
        replyPath: replyPath(mods.get(a.sessionId), services.inbox.connected(a.sessionId)),
        claudeVersion: mods.get(a.sessionId)?.claudeVersion ?? null,
        attended: mods.get(a.sessionId)?.attended ?? null,
      }))
    })(),
  })
})
