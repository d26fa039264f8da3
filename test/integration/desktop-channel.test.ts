// Integration tests: the desktop channel against a private headless desktop (Xvfb + own D-Bus + dunst).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createDesktopChannel } from '../../src/notify/desktop.ts'
import { osascriptArgs } from '../../src/notify/desktop-text.ts'
import { childProcesses, withDesktop } from '../helpers/desktop.ts'

const skip = process.platform !== 'linux' && 'needs Linux (Xvfb, dbus-daemon, dunst)'
const approveDeny = [
  { key: 'approve', label: 'Approve' },
  { key: 'deny', label: 'Deny' },
]

test('notify-send missing: clear error, no throw, no hang', { skip }, async () => {
  const ch = createDesktopChannel({ env: { ...process.env, PATH: '/nonexistent' } })
  for (const actions of [undefined, approveDeny]) {
    const r = await ch.send({ title: 't', body: 'b', urgency: 'normal', actions })
    assert.equal(r.ok, false)
    assert.equal(r.error, 'notify-send is not installed (install libnotify-bin)')
  }
  const c = await ch.check()
  assert.equal(c.status, 'fail')
  assert.match(c.lines[0] ?? '', /notify-send is not installed: install libnotify-bin/)
})

test('no session bus and no DISPLAY: check() says so, send() fails fast', { skip }, async () => {
  const env = { ...process.env }
  for (const k of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR']) delete env[k]
  const ch = createDesktopChannel({ env })
  const c = await ch.check()
  assert.equal(c.status, 'fail')
  assert.ok(
    c.lines.some((l) => /no desktop session: DBUS_SESSION_BUS_ADDRESS and DISPLAY are unset/.test(l)),
    c.lines.join('\n'),
  )
  const r = await ch.send({ title: 't', body: 'b', urgency: 'low' })
  assert.equal(r.ok, false)
  assert.match(r.error ?? '', /cannot reach the session D-Bus/)
})

test('dunst: plain pings arrive with exact text, urgency and app name', { skip }, () =>
  withDesktop({ daemon: 'dunst' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env })
    const t0 = Date.now()
    const r = await ch.send({ title: 'Agent X needs you', body: '-rf <b>& C:\\temp\nsecond line', urgency: 'critical' })
    assert.deepEqual([r.ok, r.error, r.via, r.buttons], [true, undefined, 'notify-send', false])
    const n = await d.waitForNotify((x) => x.summary === 'Agent X needs you')
    // on the bus: the leading dash as is (after "--"), markup escaped, the backslash single again after g_strcompress
    assert.equal(n.body, '-rf &lt;b&gt;&amp; C:\\temp\nsecond line')
    assert.equal(n.urgency, 2)
    assert.equal(n.app_name, 'tend')
    assert.equal(n.expire_timeout, 0)
    console.log(`plain ping -> Notify on the bus: ${(n.time_ms - t0).toFixed(0)} ms, send() resolved in ${r.ms} ms`)

    const h = await ch.send({ title: '--help', body: 'title is an option name', urgency: 'low', timeoutSec: 3 })
    assert.equal(h.ok, true, h.error)
    const hn = await d.waitForNotify((x) => x.body === 'title is an option name')
    assert.deepEqual([hn.summary, hn.urgency, hn.expire_timeout], ['--help', 0, 3000])
    ch.close()
  }),
)

test('dunst: buttons appear, pressing one reaches onAction', { skip }, () =>
  withDesktop({ daemon: 'dunst' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env })
    const pressed: string[] = []
    const t0 = Date.now()
    const r = await ch.send({
      title: 'Agent X wants to run Bash',
      body: '-n <b>& \\ rm -rf build',
      urgency: 'critical',
      actions: approveDeny,
      onAction: (key) => pressed.push(key),
    })
    assert.deepEqual([r.ok, r.error, r.via, r.buttons], [true, undefined, 'notify-send', true])
    assert.equal(typeof r.id, 'number')
    const n = await d.waitForNotify((x) => x.summary === 'Agent X wants to run Bash')
    console.log(`action ping -> Notify on the bus: ${(n.time_ms - t0).toFixed(0)} ms, send() resolved in ${r.ms} ms`)
    assert.deepEqual(n.actions, approveDeny)
    assert.equal(n.body, '-n &lt;b&gt;&amp; \\ rm -rf build', 'after "--" no dash guard is needed')
    assert.deepEqual([n.urgency, n.app_name], [2, 'tend'])
    assert.deepEqual(pressed, [], 'nothing pressed yet')

    await d.invokeAction('approve', r.id)
    assert.equal(await r.action, 'approve')
    assert.deepEqual(pressed, ['approve'])
    ch.close()
  }),
)

test('dunst: check() names the server, buttons, and a paused daemon', { skip }, () =>
  withDesktop({ daemon: 'dunst' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env })
    const c = await ch.check()
    assert.equal(c.status, 'ok', c.lines.join('\n'))
    assert.ok(
      c.lines.some((l) => l.startsWith('notification server: dunst')),
      c.lines.join('\n'),
    )
    assert.ok(c.lines.includes('buttons: supported by notify-send'))
    await promisify(execFile)('dunstctl', ['set-paused', 'true'], { env: d.env, timeout: 5000 })
    const p = await ch.check()
    assert.equal(p.status, 'warn')
    assert.match(p.lines[0] ?? '', /^dunst is paused \(do-not-disturb\)/)
  }),
)

test("no notification server: send() fails with the server's own answer, check() explains", { skip }, () =>
  withDesktop({ daemon: 'none' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env, timeoutMs: 3000 })
    for (const actions of [undefined, approveDeny]) {
      const r = await ch.send({ title: 't', body: 'b', urgency: 'critical', actions })
      assert.equal(r.ok, false)
      // the bus answered "nobody owns that name": not our timeout ("did not answer within 3 s")
      assert.match(r.error ?? '', /^no notification server is running/)
    }
    const c = await ch.check()
    assert.equal(c.status, 'fail')
    assert.match(c.lines[0] ?? '', /no notification server is running \(nobody owns org\.freedesktop\.Notifications\)/)
    assert.deepEqual(await d.notifications(), [])
  }),
)

test('hung server: send() gives up at its own bound instead of 75 s, and leaves no notify-send behind', { skip }, () =>
  withDesktop({ daemon: 'hung' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env, timeoutMs: 1500 })
    // the error names our bound (notify-send's own would be "Timeout was reached", after 75 s)
    for (const actions of [undefined, undefined, approveDeny]) {
      const r = await ch.send({ title: 't', body: 'b', urgency: 'normal', actions })
      assert.equal(r.ok, false)
      assert.equal(r.via, 'notify-send')
      assert.match(r.error ?? '', /^the notification server did not answer within 1.5 s \(hung\?\)$/)
      // no pile-up: the stuck notify-send was killed at the bound, not left to hang on the bus
      assert.deepEqual(childProcesses(['notify-send', 'stdbuf']), [])
    }
    const c = await ch.check()
    assert.equal(c.status, 'fail')
    assert.ok(
      c.lines.some((l) => l.startsWith('the notification server does not answer (hung?)')),
      c.lines.join('\n'),
    )
    ch.close()
  }),
)

/** A stand-in for macOS's osascript: records its argv (NUL-separated) and the env var it was given, then runs `then`. */
function fakeOsascript(then: string): { dir: string; args: () => string[]; mark: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'tend-osascript-'))
  writeFileSync(
    join(dir, 'osascript'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "${dir}/args"\nprintf %s "$TEND_FAKE_MARK" > "${dir}/mark"\n${then}\n`,
  )
  chmodSync(join(dir, 'osascript'), 0o755)
  return {
    dir,
    args: () => readFileSync(join(dir, 'args'), 'utf8').split('\0').slice(0, -1),
    mark: () => readFileSync(join(dir, 'mark'), 'utf8'),
  }
}
const noShell = process.platform === 'win32' && 'needs /bin/sh'

test(
  'macOS: osascript gets the texts as arguments, with the env it was given, no buttons',
  { skip: noShell },
  async () => {
    const fake = fakeOsascript('exit 0')
    try {
      const ch = createDesktopChannel({ platform: 'darwin', env: { PATH: fake.dir, TEND_FAKE_MARK: 'this env' } })
      const ping = {
        title: '--help "quoted"',
        body: '-rf <b>& C:\\temp',
        urgency: 'critical' as const,
        actions: approveDeny,
      }
      const r = await ch.send(ping)
      assert.deepEqual([r.ok, r.error, r.via, r.buttons], [true, undefined, 'osascript', false])
      assert.deepEqual(fake.args(), osascriptArgs(ping, 'tend'))
      assert.deepEqual(fake.args().slice(-2), ['--help "quoted"', '-rf <b>& C:\\temp'], 'plain text, not escaped')
      assert.equal(fake.mark(), 'this env', 'the given env, not process.env')
      assert.equal(process.env.TEND_FAKE_MARK, undefined)
      const c = await ch.check()
      assert.equal(c.status, 'ok', c.lines.join('\n'))
      assert.match(c.lines.join('\n'), /osascript.*Script Editor/)
    } finally {
      rmSync(fake.dir, { recursive: true, force: true })
    }
  },
)

test('macOS: osascript failing, hanging or missing is surfaced', { skip: noShell }, async () => {
  const failing = fakeOsascript('echo "execution error: Not authorized to send Apple events (-1743)" >&2; exit 1')
  const hanging = fakeOsascript('exec sleep 30')
  try {
    const ping = { title: 't', body: 'b', urgency: 'normal' as const }
    const f = await createDesktopChannel({ platform: 'darwin', env: { PATH: failing.dir } }).send(ping)
    assert.deepEqual(
      [f.ok, f.via, f.error],
      [false, 'osascript', 'execution error: Not authorized to send Apple events (-1743)'],
    )
    const h = await createDesktopChannel({
      platform: 'darwin',
      env: { PATH: `${hanging.dir}:/usr/bin:/bin` },
      timeoutMs: 300,
    }).send(ping)
    assert.equal(h.ok, false)
    assert.match(h.error ?? '', /did not answer within 0.3 s/)
    assert.deepEqual(childProcesses(['osascript', 'sleep']), [])
    const none = createDesktopChannel({ platform: 'darwin', env: { PATH: '/nonexistent' } })
    assert.match((await none.send(ping)).error ?? '', /^osascript not found/)
    assert.equal((await none.check()).status, 'fail')
  } finally {
    rmSync(failing.dir, { recursive: true, force: true })
    rmSync(hanging.dir, { recursive: true, force: true })
  }
})

test('elsewhere (Windows): no desktop pings, said plainly', async () => {
  const ch = createDesktopChannel({ platform: 'win32' })
  const r = await ch.send({ title: 't', body: 'b', urgency: 'normal' })
  assert.deepEqual([r.ok, r.via], [false, 'none'])
  assert.match(r.error ?? '', /no desktop notifications on win32/)
  const c = await ch.check()
  assert.equal(c.status, 'warn')
})
