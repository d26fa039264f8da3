// tend doctor: checks the receiver, the hooks, and each ping channel, and says what is missing.
import { accessSync, constants } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { defineCommand } from 'citty'
import { loadConfig } from '../config.ts'
import { createDesktopChannel } from '../notify/desktop.ts'
import type { DoctorCheck } from '../core/channel.ts'
import { findOnPath } from '../notify/desktop-text.ts'
import { silentLogger } from '../log.ts'
import { slackCheckFromHere } from '../slack/doctor.ts'
import { slackMissing } from '../slack/settings.ts'
import { mcpCheck } from '../mcp/doctor.ts'
import { call, connect, type OkBody } from './client.ts'
import { guard } from './errors.ts'
import { readLostEvents } from '../service/lost-events.ts'
import { isTendHandler } from './hook-settings.ts'
import { HOOK_PATH } from './install.ts'
import { hasTendPlugin } from './plugin-settings.ts'
import { readSettings } from './settings-file.ts'

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const

function print(check: DoctorCheck) {
  process.stdout.write(`${MARK[check.status]} ${check.name}\n`)
  for (const line of check.lines) process.stdout.write(`    ${line}\n`)
}

function hooksCheck(settingsPath: string): DoctorCheck {
  const lines: string[] = []
  let status: DoctorCheck['status'] = 'ok'
  try {
    const settings = readSettings(settingsPath)
    const hooks = (settings?.['hooks'] ?? {}) as Record<string, Array<{ hooks?: unknown[] }>>
    const events = Object.entries(hooks).filter(
      ([, groups]) => Array.isArray(groups) && groups.some((g) => g.hooks?.some(isTendHandler)),
    )
    if (events.length === 0) {
      status = 'fail'
      lines.push(`no tend hooks in ${settingsPath}: run \`tend install\``)
    } else lines.push(`${events.length} events hooked in ${settingsPath}`)
  } catch (err) {
    status = 'fail'
    lines.push((err as Error).message)
  }
  try {
    accessSync(HOOK_PATH, constants.X_OK)
  } catch {
    status = 'fail'
    lines.push(`${HOOK_PATH} is missing or not executable`)
  }
  try {
    const settings = readSettings(settingsPath)
    if (settings && hasTendPlugin(settings)) {
      lines.push(
        "tend's Claude Code plugin is enabled: its mod takes replies as your own messages (Claude Code 2.1.287+)",
      )
    } else {
      status = status === 'fail' ? 'fail' : 'warn'
      lines.push(
        "tend's Claude Code plugin is not enabled: replies can only go as hook feedback, and only while away (run `tend install`)",
      )
    }
  } catch {
    // reported above
  }
  if (!findOnPath('curl', process.env['PATH'] ?? '')) {
    status = 'fail'
    lines.push('curl is not installed: hooks spool every event until it is (install curl)')
  }
  return { name: 'hooks', status, lines }
}

/** How a reply reaches each live agent: as the person's own message (mod) or as hook feedback, and why. */
/** What GET /v1/doctor answers, as its route types it. */
type DoctorBody = OkBody<Awaited<ReturnType<ReturnType<typeof connect>['client']['v1']['doctor']['$get']>>>

function repliesCheck(agents: DoctorBody['replies']): DoctorCheck {
  if (agents.length === 0) return { name: 'replies', status: 'ok', lines: ['no live agents'] }
  const lines = agents.map((a) =>
    a.replyPath === 'mod'
      ? `${a.project}: as you (tend's mod in Claude Code ${a.claudeVersion})`
      : `${a.project}: as hook feedback, only while you are away (${
          a.claudeVersion === null
            ? 'no tend mod heard: Claude Code older than 2.1.287, or the plugin not enabled'
            : a.attended === false
              ? `claude -p (Claude Code ${a.claudeVersion}): nobody attends it`
              : `the mod in Claude Code ${a.claudeVersion} is not polling`
        })`,
  )
  const fallback = agents.filter((a) => a.replyPath === 'hook' && a.attended !== false).length
  return { name: 'replies', status: fallback > 0 ? 'warn' : 'ok', lines }
}

/** Whether the receiver can store events now, and whether hooks lost any they could not even spool. */
function storeCheck(store: DoctorBody['store'] | null, lost: DoctorBody['lost']): DoctorCheck {
  const lines: string[] = []
  let status: DoctorCheck['status'] = 'ok'
  if (!store) lines.push('the receiver is down: whether the database takes writes is unknown')
  else if (store.ok) lines.push('the database takes writes')
  else {
    status = 'fail'
    lines.push(
      `cannot write since ${new Date(store.since).toLocaleString()} (${store.kind}: ${store.message}); ${store.failures} failed write(s)`,
      'hooks get 503 and spool their events (where the disk lets them); free space and it recovers by itself',
    )
  }
  if (lost) {
    status = status === 'fail' ? 'fail' : 'warn'
    lines.push(
      `${lost.count} event(s) lost, the last at ${new Date(lost.lastAt ?? 0).toLocaleString()}: the hook could neither deliver nor spool them (see ${lost.file}; delete it once read)`,
    )
  }
  return { name: 'store', status, lines }
}

/** The database's size, and how far back raw event payloads go. */
function databaseCheck(db: DoctorBody['database'], path: string): DoctorCheck {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
  const lines = [
    `${path}: ${mb(db.bytes + db.walBytes)}${db.freeBytes > 0 ? ` (${mb(db.freeBytes)} of it free, reused by new rows)` : ''}`,
    db.payloadDays === 0
      ? 'raw event payloads are kept forever (retention.payloadDays: 0)'
      : `raw event payloads are kept ${db.payloadDays} days; the oldest kept is from ${db.oldestPayloadAt === null ? '(none)' : new Date(db.oldestPayloadAt).toISOString().slice(0, 16).replace('T', ' ')}`,
  ]
  if (db.autoVacuum === 'incremental') return { name: 'database', status: 'ok', lines }
  lines.push(
    `the file keeps its size when payloads are dropped (auto_vacuum is off; it is switched on at start only below 64 MB): stop the receiver, then run sqlite3 ${path} 'PRAGMA auto_vacuum=INCREMENTAL; VACUUM'`,
  )
  return { name: 'database', status: 'warn', lines }
}

export default defineCommand({
  meta: { name: 'doctor', description: 'Check the receiver, the hooks and every ping channel' },
  args: {
    settings: { type: 'string', description: 'Settings file to check (default ~/.claude/settings.json)' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const config = loadConfig()
      const checks: DoctorCheck[] = [
        hooksCheck(args.settings ?? join(process.env['HOME'] ?? homedir(), '.claude', 'settings.json')),
      ]
      try {
        const { client } = connect(config)
        const data = await call(config, () => client.v1.doctor.$get())
        checks.push({
          name: `receiver at ${config.url}`,
          status: data.spooled > 0 ? 'warn' : 'ok',
          lines: [
            `you are ${data.presence.awayNow ? 'away (Stops are held for replies)' : 'present'}; ${data.held} hook(s) held`,
            ...(data.spooled > 0 ? [`${data.spooled} spooled event(s) not yet replayed`] : []),
          ],
        })
        checks.push(storeCheck(data.store, data.lost))
        checks.push(repliesCheck(data.replies))
        checks.push(databaseCheck(data.database, config.paths.dbFile))
        checks.push(...data.checks.map((c) => ({ ...c, name: `${c.name} (as the receiver sees it)` })))
        // The receiver wires Slack in only when it is set up: say what is missing, or that it needs a restart.
        if (!data.checks.some((c) => c.name === 'slack')) {
          const here = await slackCheckFromHere(config.file.slack, config.file.notify.slack.enabled, silentLogger)
          if (slackMissing(config.file.slack).length === 0) {
            here.status = here.status === 'fail' ? 'fail' : 'warn'
            here.lines.push(
              'the receiver runs without Slack: restart `tend serve` with these settings (tokens in its env or config.json)',
            )
          }
          checks.push(here)
        }
      } catch (err) {
        checks.push({ name: 'receiver', status: 'fail', lines: [(err as Error).message] })
        // The hooks' trace of events they could not even spool is readable from here too.
        const lost = readLostEvents(config.paths.lostFile, config.paths.dataDir)
        if (lost) checks.push(storeCheck(null, lost))
        // Without a receiver, at least say what this terminal's desktop would do.
        const desktop = createDesktopChannel()
        checks.push({ ...(await desktop.check()), name: 'desktop (as this terminal sees it)' })
        desktop.close()
        const slack = await slackCheckFromHere(config.file.slack, config.file.notify.slack.enabled, silentLogger)
        checks.push({ ...slack, name: 'slack (as this terminal sees it)' })
      }
      checks.push(await mcpCheck())
      checks.forEach(print)
      if (checks.some((c) => c.status === 'fail')) process.exitCode = 1
    })
  },
})
