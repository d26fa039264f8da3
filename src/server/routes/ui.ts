// The dashboard's pages (GET /, /ui/agents/:ref, /ui/rules, /ui/report), its live stream (GET /ui/events,
// SSE fed by the change bus; the capacity banner on every page) and its chart data (GET /ui/attention).
// Behind middleware/browser-session.ts.
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import { attentionSeries } from '../../dashboard/attention.ts'
import { agentPageData } from '../../dashboard/agent-data.ts'
import { agentLive, agentMain, timelineHtml } from '../../dashboard/agent-view.ts'
import { fleetNow } from '../../dashboard/fleet.ts'
import { fleetFragments, homeMain } from '../../dashboard/home.ts'
import { batchHtml } from '../../dashboard/batch-list.ts'
import { capacityBanner, page } from '../../dashboard/layout.ts'
import { reportMain } from '../../dashboard/report-view.ts'
import { rulesPageData } from '../../dashboard/rules-data.ts'
import { rulesMain } from '../../dashboard/rules-view.ts'
import { batchView } from '../../service/batch-view.ts'
import { resolveAgent } from '../../service/agents.ts'
import { browserSessions, sessionCookieName, sessionFromCookie } from '../../service/browser-auth.ts'
import type { Services } from '../../service/services.ts'
import { economicsOf } from '../../service/economics.ts'
import { ApiError } from '../errors.ts'
import { browserSession } from '../middleware/browser-session.ts'
import type { AppEnv } from '../env.ts'
import { validate } from '../validate.ts'
import { getCookie } from 'hono/cookie'
import { reportWithRules } from '../../service/report-with-rules.ts'

const KEEPALIVE_MS = 20_000

export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const CursorSchema = z
  .string()
  .regex(/^\d+\.\d+$/, 'expected the `older` cursor of a previous page, "<time>.<seq>"')
  .transform((v) => {
    const [at, seq] = v.split('.').map(Number)
    return { at: at!, seq: seq! }
  })

const AgentQuerySchema = z.object({ before: CursorSchema.optional() })
const EventsQuerySchema = z.object({ agent: z.string().min(1).max(200).optional() })
const AttentionQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(30).default(7) })
const RulesQuerySchema = z.object({ risky: z.enum(['0', '1']).optional() })
const ReportQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) })

async function render(fragments: Record<string, unknown>): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [id, h] of Object.entries(fragments)) out[id] = String(await h)
  return out
}

/** The review batch, only when batching is on (nothing to read otherwise). */
const batching = (services: Services) => (services.config.file.notify.batch.enabled ? batchView(services) : undefined)

/** What the stream sends for the page it serves: the fleet's fragments, or one agent's. */
async function fragmentsFor(services: Services, sessionId: string | undefined) {
  const banner = capacityBanner(economicsOf(services).capacityNow().warning)
  if (!sessionId) {
    const fleet = fleetNow(services)
    const batch = batching(services)
    return render({
      ...fleetFragments(fleet),
      'capacity-banner': banner,
      ...(batch ? { 'batch-list': batchHtml(batch, fleet.now) } : {}),
    })
  }
  const data = agentPageData(services, sessionId)
  if (!data) return render({ 'capacity-banner': banner })
  return render({
    'agent-live': agentLive(data.agent, data.now),
    timeline: timelineHtml(data.timeline),
    'capacity-banner': banner,
  })
}

export const uiRoute = new Hono<AppEnv>()
  // The front page's own guard: app.ts guards /ui/* (a `use('/')` would catch every method of /).
  .get('/', browserSession(), async (c) => {
    const services = c.get('services')
    const session = c.get('browserSession')
    const fleet = fleetNow(services)
    const economics = economicsOf(services)
    const week = economics.recentMeasures(7).fleet
    const capacity = economics.capacityNow()
    c.header('content-security-policy', PAGE_CSP)
    c.header('cache-control', 'no-store')
    const waiting = fleet.agents.filter((a) => a.rank !== null).length
    return c.html(
      page({
        title: waiting ? `(${waiting}) tend` : 'tend',
        csrf: session.csrf,
        now: fleet.now,
        away: fleet.away,
        charts: true,
        banner: capacity.warning,
        main: homeMain(fleet, week, capacity.line, browserSessions(services), session.id, batching(services)),
      }),
    )
  })
  .get('/ui/agents/:ref', validate('query', AgentQuerySchema), (c) => {
    const services = c.get('services')
    const sessionId = resolveAgent(services.store.db, c.req.param('ref'), services.now())
    const { before } = c.req.valid('query')
    const data = agentPageData(services, sessionId, before)
    if (!data) throw new ApiError(404, 'not_found', 'no such agent')
    c.header('content-security-policy', PAGE_CSP)
    c.header('cache-control', 'no-store')
    return c.html(
      page({
        title: `${data.agent.label} · tend`,
        csrf: c.get('browserSession').csrf,
        now: data.now,
        away: services.presence().awayNow,
        banner: economicsOf(services).capacityNow().warning,
        main: agentMain(data.agent, data.now, data.timeline, {
          older: data.older,
          isLatest: !before,
          lastMessage: data.lastMessage,
        }),
      }),
    )
  })
  .get('/ui/rules', validate('query', RulesQuerySchema), (c) => {
    const services = c.get('services')
    c.header('content-security-policy', PAGE_CSP)
    c.header('cache-control', 'no-store')
    return c.html(
      page({
        title: 'Rules · tend',
        csrf: c.get('browserSession').csrf,
        now: services.now(),
        away: services.presence().awayNow,
        banner: economicsOf(services).capacityNow().warning,
        script: 'rules.js',
        main: rulesMain(rulesPageData(services, c.req.valid('query').risky === '1')),
      }),
    )
  })
  .get('/ui/report', validate('query', ReportQuerySchema), (c) => {
    const services = c.get('services')
    const { days, report, capacity, rules } = reportWithRules(services, c.req.valid('query').days)
    c.header('content-security-policy', PAGE_CSP)
    c.header('cache-control', 'no-store')
    return c.html(
      page({
        title: 'Report · tend',
        csrf: c.get('browserSession').csrf,
        now: services.now(),
        away: services.presence().awayNow,
        banner: capacity.warning,
        main: reportMain(report, days, capacity.line, rules),
      }),
    )
  })
  .get('/ui/attention', validate('query', AttentionQuerySchema), (c) => {
    return c.json(attentionSeries(c.get('services'), c.req.valid('query').days))
  })
  .get('/ui/events', validate('query', EventsQuerySchema), (c) => {
    const services = c.get('services')
    const ref = c.req.valid('query').agent
    const sessionId = ref ? resolveAgent(services.store.db, ref, services.now()) : undefined
    const cookie = getCookie(c, sessionCookieName(services.config))
    c.header('cache-control', 'no-store')
    return streamSSE(c, async (stream) => {
      let scheduled = false
      let closed = false
      let done: () => void = () => {}
      const finished = new Promise<void>((resolve) => (done = resolve))
      // Many changes come at once (a group commit, a sweep): one render per turn of the event loop.
      const push = () => {
        if (scheduled || closed) return
        scheduled = true
        setImmediate(async () => {
          scheduled = false
          if (closed) return
          // A revoked session stops receiving at once.
          if (!sessionFromCookie(services, cookie)) {
            await stream.writeSSE({ event: 'signed-out', data: 'this browser session ended' })
            return done()
          }
          const data = JSON.stringify(await fragmentsFor(services, sessionId))
          await stream.writeSSE({ event: 'fragments', data, id: String(services.now()) })
        })
      }
      // An agent's page follows that agent, and the banner when the number of live agents changes.
      let live = economicsOf(services).capacityNow().live
      const onChange = (change: { sessionId: string }) => {
        if (!sessionId || change.sessionId === sessionId) return push()
        const now = economicsOf(services).capacityNow().live
        if (now !== live) {
          live = now
          push()
        }
      }
      const bus = services.bus
      bus.on('change', onChange)
      bus.on('pinged', onChange)
      bus.on('presence', push)
      bus.on('priority', push)
      bus.on('signedOut', push)
      const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS)
      stream.onAbort(() => done())
      push()
      await finished
      closed = true
      clearInterval(keepalive)
      bus.off('change', onChange)
      bus.off('pinged', onChange)
      bus.off('presence', push)
      bus.off('priority', push)
      bus.off('signedOut', push)
    })
  })
