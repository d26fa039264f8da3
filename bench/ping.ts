// Block → desktop ping latency: from the moment a wait's grace period ends to its Notify call on
// the session bus, against a direct notify-send to the same daemon in the same run (the baseline).
// Runs in a private headless desktop (Xvfb + D-Bus + dunst); prints figures only.
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../src/config.ts'
import { silentLogger } from '../src/log.ts'
import { createDesktopPings } from '../src/notify/desktop-pings.ts'
import { startServer } from '../src/server/serve.ts'
import { startDesktop } from '../test/helpers/desktop.ts'
import { payload } from '../test/helpers/payloads.ts'
import { f1, header, isMain, loadLine, summarize, tempDir, textTable, type Summary } from './lib.ts'

const N = Number(process.env['BENCH_PING_N'] ?? 15)
const GRACE_SEC = 1

export interface PingBench {
  n: number
  tend: Summary
  direct: Summary
  load: string
}

export async function runPingBench(): Promise<PingBench> {
  header(`ping: block → desktop Notify after a ${GRACE_SEC} s grace (${N} waits), vs notify-send directly`)
  const load = loadLine()
  const desktop = await startDesktop({ daemon: 'dunst' })
  const home = tempDir('tend-bench-ping-')
  try {
    // Every wait is pinged at once after its grace: no gap, no hourly limit, no presence hold.
    writeFileSync(
      join(home.dir, 'config.json'),
      JSON.stringify({
        notify: { graceSec: GRACE_SEC, minGapSec: 0, maxPerHour: 1000, presenceHoldSec: 0, escalationMin: [] },
      }),
    )
    const env = { TEND_HOME: home.dir, HOME: home.dir }
    const server = await startServer(loadConfig(env), {
      log: silentLogger,
      port: 0,
      channels: (services) => [createDesktopPings(services, { env: desktop.env })],
    })
    const tend: number[] = []
    for (let i = 0; i < N; i++) {
      const sid = `bench-ping-${i}`
      const start = Date.now()
      // A fresh prompt_id per turn, as Claude Code sends: a prompt carrying the finished turn's id is late.
      const turn = { session_id: sid, cwd: `/bench/p${i}`, prompt_id: randomUUID() }
      server.services.receive(payload('UserPromptSubmit', turn), {
        occurredAt: start,
        receivedAt: start,
      })
      const blockedAt = Date.now()
      server.services.receive(payload('Stop', { ...turn, last_assistant_message: `done ${i}` }), {
        occurredAt: blockedAt,
        receivedAt: blockedAt,
      })
      const note = await desktop.waitForNotify((n) => n.summary.startsWith(`p${i}·`), 10_000)
      tend.push(note.time_ms - (blockedAt + GRACE_SEC * 1000))
      // End the wait so the next agent is the only one waiting (and the top).
      const t = Date.now()
      const next = { session_id: sid, cwd: `/bench/p${i}`, prompt_id: randomUUID(), prompt: 'next' }
      server.services.receive(payload('UserPromptSubmit', next), {
        occurredAt: t,
        receivedAt: t,
      })
    }
    await server.close()

    const direct: number[] = []
    for (let i = 0; i < N; i++) {
      const start = Date.now()
      await new Promise<void>((resolve) =>
        execFile(
          'notify-send',
          ['--app-name=bench', '--', `direct ${i}`, 'baseline'],
          { env: desktop.env, timeout: 5000 },
          () => resolve(),
        ),
      )
      const note = await desktop.waitForNotify((n) => n.summary === `direct ${i}`, 10_000)
      direct.push(note.time_ms - start)
    }
    const result = { n: N, tend: summarize(tend), direct: summarize(direct), load }
    const row = (label: string, s: Summary) => [label, f1(s.median), f1(s.p90), f1(s.max)]
    process.stdout.write(
      `${textTable(
        ['path', 'median ms', 'p90 ms', 'max ms'],
        [
          row('tend: grace end → Notify on the bus', result.tend),
          row('baseline: notify-send → Notify on the bus', result.direct),
        ],
      )}\n(${load})\n`,
    )
    return result
  } finally {
    await desktop.stop()
    home.cleanup()
  }
}

if (isMain(import.meta.url)) await runPingBench()
