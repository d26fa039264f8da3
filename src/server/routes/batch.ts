// GET /v1/batch: review batching as it stands — whether it is on, the finished agents gathered for the
// next digest (each with how long it has waited), and when that digest goes.
import { Hono } from 'hono'
import { agentLabel, projectName } from '../../core/agent-name.ts'
import { policyConfig } from '../../service/notifier.ts'
import { createDigester } from '../../service/digest.ts'
import { listAgentViews } from '../../store/agents.ts'
import type { AppEnv } from '../env.ts'

export const batchRoute = new Hono<AppEnv>().get('/', (c) => {
  const services = c.get('services')
  const now = services.now()
  const digester = createDigester({
    services,
    channels: [],
    policy: policyConfig(services.config.file.notify),
    minuteOfDay: (t) => {
      const d = new Date(t)
      return d.getHours() * 60 + d.getMinutes()
    },
  })
  const views = listAgentViews(services.store.db, { blockedOnly: true, now }).filter((a) => a.wait)
  const waits = views.map((a) => ({ ...a.wait!, waitId: a.wait!.id, sessionId: a.sessionId, cwd: a.cwd }))
  const pending = digester.pending(now, waits)
  return c.json({
    enabled: pending.enabled,
    nextAt: pending.nextAt,
    waits: pending.waits.map((w) => ({
      waitId: w.waitId,
      sessionId: w.sessionId,
      label: agentLabel(w),
      project: projectName(w.cwd),
      startedAt: w.startedAt,
      waitedMs: now - w.startedAt,
    })),
  })
})
