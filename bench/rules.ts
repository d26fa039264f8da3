// Bench: permission rules. What a decision costs the receiver, against a trivial GET in the same run,
// and what the PreToolUse policy hook costs an agent with and without deny/ask rules.
//
// 1. The receiver as its own process (`node bin/tend serve`, real SQLite file) with 60 rules; one keep-alive
//    connection, requests one after another: GET /healthz (the baseline), then POST /v1/hooks PreToolUse as
//    tend-hook policy sends it — a call no rule decides, and a call a deny rule decides (recorded in the
//    timeline). Round trip per request, ms; the receiver's share is the difference to the baseline.
// 2. The decision alone in-process (rule service: shell parse, realpaths, matching), µs.
// 3. hooks/tend-hook wall time per PreToolUse: `observe` (async: the agent never waits on it), `policy`
//    without the marker (the agent waits for the script to fork its observer and exit) and `policy` with
//    deny rules (the agent waits for the answer).
//
//   node --import tsx bench/rules.ts        env: BENCH_RULES_N=2000 requests per case, BENCH_RULES_HOOK_N=100
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Pool } from 'undici'
import { loadConfig } from '../src/config.ts'
import type { HookEvent } from '../src/core/hook-event.ts'
import { silentLogger } from '../src/log.ts'
import { createServices } from '../src/service/services.ts'
import { POLICY_MARKER, rulesOf } from '../src/service/rules.ts'
import { openStore } from '../src/store/db.ts'
import { freePort, HOOK } from '../test/helpers/hook.ts'
import { payload } from '../test/helpers/payloads.ts'
import {
  cleanEnv,
  f1,
  f2,
  header,
  isMain,
  loadLine,
  receiverBuild,
  startReceiverProcess,
  summarize,
  tempDir,
  textTable,
  writeQuietConfig,
  type Summary,
} from './lib.ts'

const N = Number(process.env['BENCH_RULES_N'] ?? 2000)
const HOOK_N = Number(process.env['BENCH_RULES_HOOK_N'] ?? 100)
/** The target from the issue: receiver time per decision. */
const TARGET_MS = 5

/** 60 rules of every kind and scope, as a busy person might have. */
function ruleSet(cwd: string): Array<Record<string, unknown>> {
  const rules: Array<Record<string, unknown>> = [
    { kind: 'deny', rule: 'Bash(rm -rf:*)', reason: 'no recursive deletes' },
    { kind: 'deny', rule: 'Write(/etc/**)' },
    { kind: 'deny', rule: 'Read(~/.ssh/**)' },
    { kind: 'ask', rule: 'Bash(git push:*)' },
    { kind: 'allow', rule: 'Edit(src/**)', path: `${cwd}/**` },
  ]
  for (let i = 0; i < 55; i++) {
    rules.push(
      i % 3 === 0
        ? { kind: 'allow', rule: `Bash(npm run task${i}:*)`, path: `/home/me/work/p${i}/**` }
        : i % 3 === 1
          ? { kind: 'ask', rule: `Bash(tool${i} *)` }
          : { kind: 'deny', rule: `Edit(//srv/data${i}/**)` },
    )
  }
  return rules
}

function preToolUse(sessionId: string, cwd: string, command: string): HookEvent {
  return payload('PreToolUse', {
    session_id: sessionId,
    cwd,
    tool_name: 'Bash',
    tool_input: { command, description: 'bench' },
    tool_use_id: `toolu_${randomUUID()}`,
  })
}

export interface RulesBenchResult {
  rows: Array<{ case: string; ms: Summary }>
  decideUs: Summary
  hookRows: Array<{ case: string; ms: Summary }>
  receiverMs: number
  met: boolean
  load: string
}

export async function runRulesBench(): Promise<RulesBenchResult> {
  header(`rules: receiver time per decision vs GET /healthz (${N} requests each, 60 rules), hook cost`)
  const load = loadLine()
  const tmp = tempDir('tend-bench-rules-')
  const cwd = join(tmp.dir, 'project')
  try {
    writeQuietConfig(tmp.dir)
    const port = await freePort()
    const receiver = await startReceiverProcess({ home: tmp.dir, port })
    const pool = new Pool(receiver.url, { connections: 1, pipelining: 1 })
    const headers = { authorization: `Bearer ${receiver.token}`, 'content-type': 'application/json' }
    try {
      for (const r of ruleSet(cwd)) {
        const res = await pool.request({ path: '/v1/rules', method: 'POST', headers, body: JSON.stringify(r) })
        if (res.statusCode !== 201) throw new Error(`adding a rule: HTTP ${res.statusCode} ${await res.body.text()}`)
        await res.body.dump()
      }
      const sessionId = randomUUID()
      const time = async (make: () => { path: string; method: 'GET' | 'POST'; body?: string; policy?: boolean }) => {
        const out: number[] = []
        for (let i = 0; i < N + 50; i++) {
          const req = make()
          const t0 = performance.now()
          const res = await pool.request({
            path: req.path,
            method: req.method,
            headers: req.policy ? { ...headers, 'x-tend-policy': '1', 'x-tend-time': String(Date.now()) } : headers,
            body: req.body,
          })
          await res.body.text()
          if (i >= 50) out.push(performance.now() - t0) // the first 50 warm the JIT and the caches
        }
        return summarize(out)
      }
      const rows = [
        { case: 'GET /healthz (baseline)', ms: await time(() => ({ path: '/healthz', method: 'GET' })) },
        {
          case: 'PreToolUse, no rule applies',
          ms: await time(() => ({
            path: '/v1/hooks',
            method: 'POST',
            policy: true,
            body: JSON.stringify(preToolUse(sessionId, cwd, 'npm test && git status | head -5')),
          })),
        },
        {
          case: 'PreToolUse, denied (recorded)',
          ms: await time(() => ({
            path: '/v1/hooks',
            method: 'POST',
            policy: true,
            body: JSON.stringify(preToolUse(sessionId, cwd, 'npm test && rm -rf build')),
          })),
        },
      ]
      // The verdict is on the median: on a shared 2-core machine the tail is other processes' load.
      const receiverMs = Math.max(rows[1]!.ms.median, rows[2]!.ms.median)
      const met = receiverMs <= TARGET_MS
      process.stdout.write(
        `${textTable(
          ['case', 'median ms', 'p90', 'p99', 'max'],
          rows.map((r) => [r.case, f2(r.ms.median), f2(r.ms.p90), f2(r.ms.p99), f2(r.ms.max)]),
        )}\n` +
          `receiver (${receiverBuild()}); ${load}\n` +
          `decision round trip median ${f2(receiverMs)} ms, client included (≤ ${TARGET_MS} ms: ${met ? 'met' : 'MISSED'}); ` +
          `over the baseline: median +${f2(rows[2]!.ms.median - rows[0]!.ms.median)} ms\n`,
      )

      const decideUs = inProcessDecisions(tmp.dir, cwd)
      process.stdout.write(
        `decision alone in-process (parse, realpaths, 60 rules): median ${f1(decideUs.median)} µs, p99 ${f1(decideUs.p99)} µs\n`,
      )

      const hookRows = hookCosts(tmp.dir, port, sessionId, cwd)
      process.stdout.write(
        `${textTable(
          ['tend-hook, PreToolUse', 'median ms', 'p90', 'p99'],
          hookRows.map((r) => [r.case, f1(r.ms.median), f1(r.ms.p90), f1(r.ms.p99)]),
        )}\n`,
      )
      return { rows, decideUs, hookRows, receiverMs, met, load }
    } finally {
      await pool.close()
      await receiver.stop()
    }
  } finally {
    tmp.cleanup()
  }
}

function inProcessDecisions(home: string, cwd: string): Summary {
  const config = loadConfig({ TEND_HOME: join(home, 'inproc'), HOME: home })
  const store = openStore(config.paths.dbFile)
  const services = createServices({ config, store, token: 'x'.repeat(32), log: silentLogger })
  try {
    const rules = rulesOf(services)
    for (const r of ruleSet(cwd)) rules.add(r as never)
    const events = [
      preToolUse('s', cwd, 'npm test && git status | head -5'),
      preToolUse('s', cwd, 'FOO=1 npm run task3 -- --x > build/out.txt 2>&1'),
      preToolUse('s', cwd, "sh -c 'cd src && rm -rf build'"),
      payload('PreToolUse', { session_id: 's', cwd, tool_name: 'Edit', tool_input: { file_path: `${cwd}/src/a.ts` } }),
    ]
    const out: number[] = []
    for (let i = 0; i < N * 2; i++) {
      const e = events[i % events.length]!
      const t0 = performance.now()
      rules.decideEvent(e)
      if (i >= 200) out.push((performance.now() - t0) * 1000)
    }
    return summarize(out)
  } finally {
    services.spool.close()
    store.close()
  }
}

/** Wall time of the real hook script per PreToolUse, as Claude Code waits for it (spawn to exit). */
function hookCosts(home: string, port: number, sessionId: string, cwd: string): Array<{ case: string; ms: Summary }> {
  const env = cleanEnv({ HOME: home, TEND_HOME: home, TEND_PORT: String(port) })
  const marker = join(home, POLICY_MARKER)
  const run = (args: string[], command: string) => {
    const out: number[] = []
    for (let i = 0; i < HOOK_N; i++) {
      const body = JSON.stringify(preToolUse(sessionId, cwd, command))
      const t0 = performance.now()
      spawnSync(HOOK, args, { input: body, env })
      out.push(performance.now() - t0)
    }
    return summarize(out)
  }
  // The receiver has deny rules: the marker is there. Taken away for the "no rules" case, then restored.
  const withRules = run(['policy'], 'npm test && rm -rf build')
  const observe = run(['observe'], 'npm test')
  rmSync(marker, { force: true })
  const noRules = run(['policy'], 'npm test')
  return [
    { case: 'observe (async: the agent does not wait)', ms: observe },
    { case: 'policy, no deny/ask rules (no marker)', ms: noRules },
    { case: 'policy, with rules (waits for the answer)', ms: withRules },
  ]
}

if (isMain(import.meta.url)) await runRulesBench()
