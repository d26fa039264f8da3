// Retention on a real SQLite file: old payloads dropped in batches that yield, the space given back,
// everything else kept; incremental vacuum switched on for new and small existing databases.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { after, beforeEach, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { loadConfig } from '../../src/config.ts'
import { silentLogger } from '../../src/log.ts'
import { startServer } from '../../src/server/serve.ts'
import { createPruner, PRUNE_BATCH } from '../../src/service/pruner.ts'
import { openStore } from '../../src/store/db.ts'
import { oldestPayloadAt, storeSize } from '../../src/store/retention.ts'
import { makeApp, tempHome, type TestApp } from '../helpers/app.ts'
import { FakeClock } from '../helpers/fake-clock.ts'
import { freePort } from '../helpers/hook.ts'
import { payload } from '../helpers/payloads.ts'
import { TEND_BIN } from '../helpers/cli.ts'

const DAY = 24 * 3600_000
const NOW = Date.now()
let t: TestApp

beforeEach(() => {
  t?.close()
  t = makeApp({ now: NOW })
})
after(() => t.close())

/** `n` tool calls of one session, `at` ms ago, each with an output of `outputBytes`. */
function fill(sid: string, n: number, agoMs: number, outputBytes = 6000) {
  for (let i = 0; i < n; i++) {
    const at = NOW - agoMs + i
    t.services.receive(
      payload('PostToolUse', {
        session_id: sid,
        cwd: `/w/${sid}`,
        tool_use_id: `${sid}-${i}`,
        tool_response: { stdout: 'x'.repeat(outputBytes), stderr: '' },
      }),
      { occurredAt: at, receivedAt: at },
    )
  }
}

const count = (where: string) =>
  (t.services.store.sqlite.prepare(`select count(*) as n from events where ${where}`).get() as { n: number }).n

function pruner(payloadDays = 30) {
  return createPruner({
    store: t.services.store,
    log: silentLogger,
    now: () => NOW,
    payloadDays,
    timers: new FakeClock(),
  })
}

describe('retention', () => {
  it('drops payloads older than the retention, keeps the rows, the newer payloads and the waits', async () => {
    t.services.receive(payload('UserPromptSubmit', { session_id: 'old', prompt: 'do it' }), {
      occurredAt: NOW - 40 * DAY,
      receivedAt: NOW - 40 * DAY,
    })
    t.services.receive(payload('Stop', { session_id: 'old' }), {
      occurredAt: NOW - 40 * DAY + 60_000,
      receivedAt: NOW - 40 * DAY + 60_000,
    })
    fill('old', 50, 35 * DAY)
    fill('new', 20, 2 * DAY)
    const p = pruner()
    assert.equal(await p.run(), 52)
    assert.equal(count(`payload = '{}'`), 52)
    assert.equal(count(`session_id = 'new' and payload != '{}'`), 20)
    assert.equal(count('1'), 72, 'every event row stays, with its name, time and origin')
    assert.equal(count(`name = 'UserPromptSubmit' and origin = 'person'`), 1)
    const waits = t.services.store.sqlite.prepare('select count(*) as n from waits').get() as { n: number }
    assert.equal(waits.n, 1)
    assert.equal(oldestPayloadAt(t.services.store.db), NOW - 2 * DAY)
    assert.equal(await p.run(), 0, 'a second pass finds nothing more')
    await p.stop()
  })

  it('works in batches that let other work run between them, and gives the space back', async () => {
    // Ordinary payloads (under a page each): the rows shrink, and their pages must be given back too.
    fill('old', PRUNE_BATCH * 3 + 10, 31 * DAY, 600)
    fill('new', 10, DAY, 600)
    t.services.store.checkpoint()
    const file = join(t.config.paths.dataDir, 'tend.db')
    const before = statSync(file).size
    const p = pruner()
    let seenMidway: number | null = null
    setImmediate(() => (seenMidway = count(`payload = '{}'`)))
    assert.equal(await p.run(), PRUNE_BATCH * 3 + 10)
    assert.ok(seenMidway !== null && seenMidway > 0 && seenMidway < PRUNE_BATCH * 3 + 10, `midway: ${seenMidway}`)
    t.services.store.checkpoint()
    const size = storeSize(t.services.store.sqlite)
    assert.equal(size.autoVacuum, 'incremental')
    assert.equal(size.freeBytes, 0, 'every freed page went back')
    assert.ok(statSync(file).size < before / 2, `${statSync(file).size} bytes after, ${before} before`)
    await p.stop()
  })

  it('keeps everything with a retention of 0', async () => {
    fill('old', 5, 400 * DAY)
    assert.equal(await pruner(0).run(), 0)
    assert.equal(count(`payload = '{}'`), 0)
  })
})

describe('incremental vacuum', () => {
  it('is on for a new database, and switched on for a small existing one at open', () => {
    const home = tempHome()
    try {
      const fresh = openStore(join(home.dir, 'new.db'))
      assert.equal(storeSize(fresh.sqlite).autoVacuum, 'incremental')
      fresh.close()
      const path = join(home.dir, 'old.db')
      const legacy = new Database(path)
      legacy.pragma('journal_mode = WAL')
      legacy.exec('create table t (x text)')
      legacy.close()
      const probe = new Database(path)
      assert.equal(probe.pragma('auto_vacuum', { simple: true }), 0)
      probe.close()
      const reopened = openStore(path)
      assert.equal(storeSize(reopened.sqlite).autoVacuum, 'incremental')
      reopened.close()
    } finally {
      home.cleanup()
    }
  })
})

describe('GET /v1/doctor', () => {
  it('shows the database size and the oldest payload kept', async () => {
    fill('old', 3, 40 * DAY)
    fill('new', 3, 3 * DAY)
    await pruner().run()
    const body = (await (await t.get('/v1/doctor')).json()) as { database: Record<string, unknown> }
    assert.equal(body.database['autoVacuum'], 'incremental')
    assert.equal(body.database['payloadDays'], 30)
    assert.equal(body.database['oldestPayloadAt'], NOW - 3 * DAY)
    assert.ok((body.database['bytes'] as number) > 0)
  })
})

describe('tend doctor', () => {
  it('prints the database size and how far back payloads go', async () => {
    const home = tempHome()
    const port = await freePort()
    const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(port) }
    const server = await startServer(loadConfig(env), { log: silentLogger })
    try {
      server.services.receive(payload('UserPromptSubmit', { session_id: 'aaaa-1', prompt: 'go' }), {
        occurredAt: Date.UTC(2031, 0, 2, 3, 4),
        receivedAt: Date.UTC(2031, 0, 2, 3, 4),
      })
      // Run asynchronously: the receiver answers from this process.
      const cli = await promisify(execFile)(process.execPath, [TEND_BIN, 'doctor', '--settings', '/dev/null'], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        encoding: 'utf8',
      }).catch((err: { stdout: string }) => err)
      assert.match(cli.stdout, /✓ database\n {4}\S+tend\.db: \d+\.\d MB/)
      assert.match(cli.stdout, /raw event payloads are kept 30 days; the oldest kept is from 2031-01-02 \d\d:04/)
    } finally {
      await server.close()
      home.cleanup()
    }
  })
})
