// npm run bench: the hook forwarder, ingest and ping-latency benches, then a markdown summary.
// npm run bench -- NAME…: only the benches named, each printing its own tables (no summary). `mod` (replies
// into a real interactive Claude Code: tend's mod, the held-Stop fallback, an inbox-polling mod; ~3 min,
// needs tmux) and `scale` (months of history; `-- scale --events N --keep DIR`) run only when named.
// Figures only, never assertions: a target missed is printed as MISSED, the exit code stays 0.
import { runDashboardBench } from './dashboard.ts'
import { runEconomicsBench } from './economics.ts'
import { runHookBench } from './hook.ts'
import { runIngestBench } from './ingest.ts'
import { runModBench } from './mod-delivery.ts'
import { runPingBench } from './ping.ts'
import { runRulesBench } from './rules.ts'
import { runScaleBench } from './scale.ts'
import { f1, int, machineLine, markdownTable, receiverBuild, treeLine } from './lib.ts'

const BENCHES: Record<string, () => Promise<unknown>> = {
  hook: runHookBench,
  ingest: runIngestBench,
  ping: runPingBench,
  mod: runModBench,
  rules: runRulesBench,
  scale: () => runScaleBench(),
  dashboard: runDashboardBench,
  economics: runEconomicsBench,
}
// Names come first; from the first --option on, the arguments are the named benches' own (scale: --events N).
const args = process.argv.slice(2)
const firstOption = args.findIndex((a) => a.startsWith('--'))
const named = firstOption === -1 ? args : args.slice(0, firstOption)
const unknown = named.filter((name) => !(name in BENCHES))
if (unknown.length > 0) {
  process.stderr.write(`no bench named ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}\n`)
  process.exit(2)
}

const t0 = performance.now()
process.stdout.write(`tend benchmarks — ${machineLine()}; tree ${treeLine()}\n`)

if (named.length > 0) {
  for (const name of named) await BENCHES[name]!()
  process.stdout.write(`\n(total bench time ${f1((performance.now() - t0) / 1000)} s)\n`)
  process.exit(0)
}

const hook = await runHookBench()
const ingest = await runIngestBench()
const ping = await runPingBench()

const row = (c: string, label: string) => hook.rows.find((r) => r.case === c && r.label.startsWith(label))
const ms = (c: string, label: string) => {
  const r = row(c, label)
  return r ? `${f1(r.ms.median)} / ${f1(r.ms.p90)} / ${f1(r.ms.p99)}` : '–'
}
const over = (c: string) => {
  const o = hook.overhead.find((x) => x.case === c)
  return o ? `${o.overheadMs >= 0 ? '+' : ''}${f1(o.overheadMs)}` : '–'
}
const med = (c: string, label: string) => row(c, label)?.ms.median ?? Number.NaN
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**')
const h = ingest.http
const tier = (prefix: string) => ingest.inProcess.find((t) => t.label.startsWith(prefix))
const tierCell = (prefix: string) => {
  const t = tier(prefix)
  return t ? `${int(t.eventsPerSecond)} events/s (${f1(t.usPerEvent)} µs/event)` : '–'
}

const summary = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}; tree ${treeLine()}; receiver: ${receiverBuild()}. ` +
    `Machine load — hook bench: ${hook.load}; ingest bench: ${ingest.load}.`,
  '',
  '**Hook forwarder** (`hooks/tend-hook`, wall time per event, ms: median / p90 / p99; ' +
    `${hook.n} runs each, alternating with curl in one bash loop timed with \`$EPOCHREALTIME\`)`,
  '',
  markdownTable(
    ['case', 'tend-hook', 'plain curl', 'overhead (median)', 'target'],
    [
      [
        'receiver up, `observe`',
        ms('up', 'tend-hook'),
        ms('up', 'curl'),
        `${over('up')} ms`,
        `≤ 20 ms median: ${verdict(med('up', 'tend-hook') <= 20)}`,
      ],
      [
        'receiver up, `hold 30` (answered at once)',
        ms('hold', 'tend-hook'),
        ms('hold', 'curl'),
        `${over('hold')} ms`,
        '',
      ],
      [
        'receiver down (hook spools, curl fails)',
        ms('down', 'tend-hook'),
        ms('down', 'curl'),
        `${over('down')} ms`,
        `≤ 50 ms median: ${verdict(med('down', 'tend-hook') <= 50)}`,
      ],
      ['floor: `/bin/true` · `curl --version`', ms('floor', '/bin/true'), ms('floor', 'curl --version'), '', ''],
    ],
  ),
  '',
  `**Ingest**, ${h.agents} concurrent agents over HTTP keep-alive (receiver in its own process, load generator in the bench process), real SQLite file`,
  '',
  markdownTable(
    ['metric', 'value'],
    [
      [
        'throughput',
        `${int(h.eventsPerSecond)} events/s over ${int(h.measured)} events${h.timedOut ? ' (time limit hit)' : ''} — target ≥ 5,000: ${verdict(h.eventsPerSecond >= 5000)}`,
      ],
      ['events/s by fifth of the run', h.rateByFifth.map(int).join(' → ')],
      ['latency p50 / p99', `${f1(h.latencyMs.median)} / ${f1(h.latencyMs.p99)} ms`],
      ['receiver CPU per event', `${int(h.receiverCpuUsPerEvent)} µs`],
      [
        'durable writes (events rows / 200 answers)',
        `${int(h.rows.events)} / ${int(h.ok200)}${h.durableOk ? '' : ' **MISMATCH**'}; agents rows ${h.rows.agents}/${h.agents}`,
      ],
      [
        'same load, receiver storing nothing (HTTP stack only)',
        `${int(ingest.nullHttp.eventsPerSecond)} events/s, p50 ${f1(ingest.nullHttp.latencyMs.median)} ms, server CPU ${int(ingest.nullHttp.serverCpuUsPerEvent)} µs/event`,
      ],
      ['in-process: store ingestEvent only', tierCell('store')],
      ['in-process: services.receive, tight loop', tierCell('services.receive, tight')],
      ['in-process: services.receive, yield after each', tierCell('services.receive, yield')],
      ['in-process: Hono app.fetch, yield after each', tierCell('Hono')],
    ],
  ),
  '',
  `**Block → desktop ping** (private headless desktop with dunst; ${ping.n} waits; ms from the end of the grace period to the Notify call on the bus)`,
  '',
  markdownTable(
    ['path', 'median', 'p90', 'max'],
    [
      ['tend: grace end → Notify', f1(ping.tend.median), f1(ping.tend.p90), f1(ping.tend.max)],
      ['baseline: `notify-send` → Notify', f1(ping.direct.median), f1(ping.direct.p90), f1(ping.direct.max)],
    ],
  ),
]

process.stdout.write(`\n=== summary (markdown)\n\n${summary.join('\n')}\n`)
process.stdout.write(`\n(total bench time ${f1((performance.now() - t0) / 1000)} s)\n`)
