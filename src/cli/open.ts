// tend open: signs this browser in to the dashboard with a one-time login link (short-lived, used
// once; the bearer token never leaves the terminal) and opens it. --sessions lists the signed-in
// browsers; --revoke ID signs one out.
import { spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineCommand } from 'citty'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'
import { printJson, table } from './output.ts'

/** The command that opens a URL here, or null without a display (ssh, a headless box). */
export function opener(platform = process.platform, env = process.env): string | null {
  if (platform === 'darwin') return 'open'
  if (platform === 'win32') return null
  return env['DISPLAY'] || env['WAYLAND_DISPLAY'] ? 'xdg-open' : null
}

/** Opens `url` with `command` (from opener()); false when it could not be started. */
export function openUrl(command: string, url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Opens a login link without putting it on a command line: any local user can read every process's
 * arguments (/proc/PID/cmdline, ps) while the opener and a starting browser run, and take the link
 * first. The browser is given a page only this user can read (0600, in `dir`) that goes on to the
 * link. The link is single-use and short-lived, so the page left behind opens nothing later.
 */
export function openLoginLink(command: string, url: string, dir: string): Promise<boolean> {
  const file = join(dir, 'open-dashboard.html')
  const page =
    '<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
    `<meta http-equiv="refresh" content="0;url=${attr(url)}"><title>tend</title>` +
    `<p>Signing in to tend… <a href="${attr(url)}">continue</a></p>\n`
  try {
    writeFileSync(file, page, { mode: 0o600 })
    chmodSync(file, 0o600)
  } catch {
    return Promise.resolve(false)
  }
  return openUrl(command, file)
}

export default defineCommand({
  meta: { name: 'open', description: 'Open the dashboard in your browser (a one-time login link)' },
  args: {
    print: { type: 'boolean', description: 'Only print the login link, do not open a browser' },
    sessions: { type: 'boolean', description: 'List the signed-in browsers' },
    revoke: { type: 'string', description: 'Sign out the browser session with this id' },
    json: { type: 'boolean', description: 'Print JSON' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const { client, config } = connect()
      if (args.revoke !== undefined) {
        const data = await call(config, () =>
          client.v1.browser.sessions[':id'].$delete({ param: { id: args.revoke! } }),
        )
        if (args.json) return printJson(data)
        return void process.stdout.write(`Signed out browser session ${data.revoked}.\n`)
      }
      if (args.sessions) {
        const data = await call(config, () => client.v1.browser.sessions.$get())
        if (args.json) return printJson(data)
        if (data.sessions.length === 0) return void process.stdout.write('No browser is signed in.\n')
        const when = (t: number) => new Date(t).toLocaleString()
        const rows = data.sessions.map((s) => [s.id, when(s.createdAt), when(s.lastSeenAt), s.userAgent ?? ''])
        return void process.stdout.write(`${table(['ID', 'SIGNED IN', 'LAST SEEN', 'BROWSER'], rows)}\n`)
      }
      const link = await call(config, () => client.v1.browser['login-links'].$post())
      if (args.json) return printJson(link)
      const command = args.print ? null : opener()
      const opened = command ? await openLoginLink(command, link.url, config.paths.configDir) : false
      const valid = `valid for ${Math.round((link.expiresAt - Date.now()) / 60_000)} min, once`
      process.stdout.write(
        opened
          ? `Opened the dashboard in your browser. If it did not open, visit (${valid}):\n  ${link.url}\n`
          : `Open this link in your browser (${valid}):\n  ${link.url}\n`,
      )
    })
  },
})
