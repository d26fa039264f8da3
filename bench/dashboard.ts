// The dashboard's speed and weight: time to first byte of GET / (signed in, 20 agents, 10 waiting)
// against GET /healthz in the same run; how long after a hook event the live stream (/ui/events)
// delivers the re-rendered queue, against the hook POST's own round trip; and the page's weight.
// Figures only.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { loadConfig } from '../src/config.ts'
import { silentLogger } from '../src/log.ts'
import { startServer } from '../src/server/serve.ts'
import { payload } from '../test/helpers/payloads.ts'
import { f1, header, int, isMain, loadLine, summarize, tempDir, textTable, type Summary } from './lib.ts'

const N = Number(process.env['BENCH_DASHBOARD_N'] ?? 40)
const AGENTS = 20

export interface DashboardBench {
  firstByte: { page: Summary; healthz: Summary }
  full: { page: Summary }
  sse: { update: Summary; hookPost: Summary }
  weight: Array<{ what: string; bytes: number; gzip: number }>
  load: string
}

export async function runDashboardBench(): Promise<DashboardBench> {
  header(`dashboard: GET / and the live stream, ${AGENTS} agents (${AGENTS / 2} waiting), ${N} samples each`)
  const load = loadLine()
  const home = tempDir('tend-bench-dashboard-')
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ holds: { autoAwayAfterSec: 0 } }))
  const server = await startServer(loadConfig({ TEND_HOME: home.dir, HOME: home.dir }), {
    log: silentLogger,
    port: 0,
    channels: () => [],
  })
  const url = server.url
  const auth = { authorization: `Bearer ${server.services.token}` }
  const hook = (body: object) =>
    fetch(`${url}/v1/hooks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  try {
    for (let i = 0; i < AGENTS; i++) {
      const base = { session_id: `bench-dash-${i}`, cwd: `/bench/project-${i}` }
      await (await hook(payload('UserPromptSubmit', base))).text()
      if (i % 2 === 0) await (await hook(payload('PermissionRequest', base))).text()
    }
    const link = (await (await fetch(`${url}/v1/browser/login-links`, { method: 'POST', headers: auth })).json()) as {
      url: string
    }
    // Port 0: the link names the configured port; the path is what counts.
    const login = await fetch(`${url}${new URL(link.url).pathname}`)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    await login.text()

    const timeToHeaders = async (path: string, headers: Record<string, string>) => {
      const t0 = performance.now()
      const res = await fetch(`${url}${path}`, { headers })
      const ttfb = performance.now() - t0
      await res.arrayBuffer()
      return { ttfb, full: performance.now() - t0 }
    }
    const page: number[] = []
    const pageFull: number[] = []
    const healthz: number[] = []
    for (let i = 0; i < N; i++) {
      healthz.push((await timeToHeaders('/healthz', {})).ttfb)
      const p = await timeToHeaders('/', { cookie })
      page.push(p.ttfb)
      pageFull.push(p.full)
    }

    // The live stream: from the hook POST to the fragments event that follows it.
    const controller = new AbortController()
    const stream = await fetch(`${url}/ui/events`, { headers: { cookie }, signal: controller.signal })
    const reader = stream.body!.getReader()
    const decoder = new TextDecoder()
    let buffered = ''
    const nextFragments = async () => {
      for (;;) {
        const end = buffered.indexOf('\n\n')
        if (end >= 0) {
          const event = buffered.slice(0, end)
          buffered = buffered.slice(end + 2)
          if (event.includes('event: fragments')) return
          continue
        }
        const { value, done } = await reader.read()
        if (done) throw new Error('the stream ended')
        buffered += decoder.decode(value, { stream: true })
      }
    }
    await nextFragments() // the snapshot on connect
    const update: number[] = []
    const hookPost: number[] = []
    for (let i = 0; i < N; i++) {
      const sid = `bench-dash-${(i % (AGENTS / 2)) * 2 + 1}`
      const t0 = performance.now()
      const arrived = nextFragments().then(() => performance.now() - t0)
      const res = await hook(payload('PreToolUse', { session_id: sid, cwd: '/bench/x', tool_use_id: `t${i}` }))
      await res.text()
      hookPost.push(performance.now() - t0)
      update.push(await arrived)
    }
    controller.abort()

    const weight = await Promise.all(
      [
        ['GET / (HTML)', '/'],
        ['dashboard.js', '/ui/assets/dashboard.js'],
        ['dashboard.css', '/ui/assets/dashboard.css'],
        ['uplot.js', '/ui/assets/uplot.js'],
        ['uplot.css', '/ui/assets/uplot.css'],
      ].map(async ([what, path]) => {
        const body = Buffer.from(await (await fetch(`${url}${path}`, { headers: { cookie } })).arrayBuffer())
        return { what: what!, bytes: body.length, gzip: gzipSync(body).length }
      }),
    )
    weight.push({
      what: 'total',
      bytes: weight.reduce((a, w) => a + w.bytes, 0),
      gzip: weight.reduce((a, w) => a + w.gzip, 0),
    })

    const result: DashboardBench = {
      firstByte: { page: summarize(page), healthz: summarize(healthz) },
      full: { page: summarize(pageFull) },
      sse: { update: summarize(update), hookPost: summarize(hookPost) },
      weight,
      load,
    }
    const row = (label: string, s: Summary) => [label, f1(s.median), f1(s.p90), f1(s.p99)]
    process.stdout.write(
      `${textTable(
        ['ms', 'median', 'p90', 'p99'],
        [
          row('GET /healthz, first byte (baseline)', result.firstByte.healthz),
          row('GET / signed in, first byte', result.firstByte.page),
          row('GET / signed in, whole page', result.full.page),
          row('POST /v1/hooks round trip (baseline)', result.sse.hookPost),
          row('hook POST → SSE fragments event', result.sse.update),
        ],
      )}\n\n${textTable(
        ['page weight', 'bytes', 'gzip'],
        weight.map((w) => [w.what, int(w.bytes), int(w.gzip)]),
      )}\n(load: ${load})\n`,
    )
    return result
  } finally {
    await server.close()
    home.cleanup()
  }
}

if (isMain(import.meta.url)) await runDashboardBench()
