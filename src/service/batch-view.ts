// Review batching as the person sees it (dashboard, GET /v1/batch): the finished agents gathered for
// the next digest and when it goes.
import { agentLabel, projectName } from '../core/agent-name.ts'
import { listAgentViews } from '../store/agents.ts'
import { createDigester } from './digest.ts'
import { policyConfig } from './notifier.ts'
import type { Services } from './services.ts'

/**
 * Review batching as it stands, for the dashboard and GET /v1/batch: whether it is on, the finished
 * agents gathered for the next digest (with how long each has waited), and when that digest goes.
 */
export function batchView(services: Services, opts: { minuteOfDay?: (now: number) => number } = {}) {
  const now = services.now()
  const digester = createDigester({
    services,
    channels: [],
    policy: policyConfig(services.config.file.notify),
    minuteOfDay:
      opts.minuteOfDay ??
      ((t) => {
        const d = new Date(t)
        return d.getHours() * 60 + d.getMinutes()
      }),
  })
  const views = listAgentViews(services.store.db, { blockedOnly: true, now }).filter((a) => a.wait)
  const waits = views.map((a) => ({ ...a.wait!, waitId: a.wait!.id, sessionId: a.sessionId, cwd: a.cwd }))
  const pending = digester.pending(now, waits)
  return {
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
  }
}
