// Bench: what the attention measures cost the receiver, on a week of history of growing size, against
// the live-agent count (one indexed COUNT) in the same run. The SessionStart hook waits on the capacity
// (measured once, then cached for a minute or until a wait opens or ends): its uncached time is what a
// new session may wait, within the hook's 1 s bound. Also GET /v1/metrics's breakdown and the report.
//
//   node --import tsx bench/economics.ts      env: BENCH_ECONOMICS_N=20 runs per case
import { loadConfig } from '../src/config.ts'
import { createEconomics } from '../src/service/economics.ts'
import { openStore } from '../src/store/db.ts'
import { liveAgentCount } from '../src/store/metrics.ts'
import { agents, events, waits } from '../src/store/schema.ts'
import { f1, f2, header, isMain, summarize, tempDir, textTable } from './lib.ts'

const N = Number(process.env['BENCH_ECONOMICS_N'] ?? 20)
const DAY = 24 * 3600_000
const MIN = 60_000
/** The hook's own bound: curl gives up after 1 s. */
const HOOK_BOUND_MS = 1000

/** A week with `perWeek` waits over 20 agents: each a done wait, a prompt answering it, a permission every third. */
export function seed(dbPath: string, perWeek: number, now: number) {
  const store = openStore(dbPath)
  const { db } = store
  const sessions = Array.from({ length: 20 }, (_, i) => `bench-${i}-0000-0000-0000-000000000000`)
  db.insert(agents)
    .values(
      sessions.map((s, i) => ({
        sessionId: s,
        cwd: `/nonexistent/work/p${i % 6}`,
        project: `p${i % 6}`,
        state: 'working' as const,
        stateSince: now,
        lastEventAt: now,
        startedAt: now - 7 * DAY,
        snapshot: {},
      })),
    )
    .run()
  const step = (7 * DAY) / perWeek
  const waitRows = []
  const eventRows = []
  for (let i = 0; i < perWeek; i++) {
    const sessionId = sessions[i % sessions.length]!
    const startedAt = Math.round(now - 7 * DAY + i * step)
    const permission = i % 3 === 0
    const endedAt = startedAt + Math.round((1 + (i % 7)) * MIN * 0.5)
    waitRows.push({
      id: `w${i}`,
      sessionId,
      kind: permission ? ('permission' as const) : ('done' as const),
      startedAt,
      endedAt,
      endedBy: 'terminal' as const,
      actor: 'main',
      detail: permission ? { toolName: 'Bash', toolInput: { command: `npm run task${i % 9}` } } : { message: 'Done.' },
      workMs: permission ? null : (5 + (i % 11)) * MIN,
    })
    if (!permission) {
      eventRows.push({
        sessionId,
        name: 'UserPromptSubmit',
        occurredAt: endedAt,
        receivedAt: endedAt,
        contentHash: `h${i}`,
        payload: {},
        origin: 'person' as const,
      })
    }
  }
  for (let i = 0; i < waitRows.length; i += 500)
    db.insert(waits)
      .values(waitRows.slice(i, i + 500))
      .run()
  for (let i = 0; i < eventRows.length; i += 500)
    db.insert(events)
      .values(eventRows.slice(i, i + 500))
      .run()
  return store
}

function time(fn: () => unknown) {
  const out: number[] = []
  fn() // warm
  for (let i = 0; i < N; i++) {
    const t0 = performance.now()
    fn()
    out.push(performance.now() - t0)
  }
  return summarize(out)
}

export async function runEconomicsBench() {
  header('Attention measures on a week of history (ms per call, in-process, real SQLite file)')
  const rows: string[][] = []
  for (const perWeek of [1_000, 10_000, 50_000]) {
    const tmp = tempDir('tend-bench-economics-')
    const now = Date.now()
    const store = seed(`${tmp.dir}/tend.db`, perWeek, now)
    const config = loadConfig({ TEND_HOME: tmp.dir, HOME: tmp.dir })
    const economics = createEconomics({ db: store.db, now: () => now, config: config.file.economics })
    const baseline = time(() => liveAgentCount(store.db))
    const capacity = time(() => {
      economics.invalidate()
      return economics.capacityNow()
    })
    const cached = time(() => economics.capacityNow())
    const measures = time(() => economics.measures({ from: now - 7 * DAY, to: now }))
    const report = time(() => economics.report({ days: 7 }))
    const target = capacity.median < HOOK_BOUND_MS ? '' : ' MISSED'
    for (const [name, s] of [
      ['live count (baseline)', baseline],
      [`capacity, uncached (SessionStart)${target}`, capacity],
      ['capacity, cached', cached],
      ['measures (GET /v1/metrics)', measures],
      ['report (GET /v1/report)', report],
    ] as const) {
      rows.push([`${perWeek.toLocaleString('en-US')} waits/week: ${name}`, f2(s.median), f2(s.p90), f1(s.max)])
    }
    store.close()
    tmp.cleanup()
  }
  process.stdout.write(`${textTable(['case', 'median', 'p90', 'max'], rows)}\n`)
  return rows
}

if (isMain(import.meta.url)) await runEconomicsBench()
