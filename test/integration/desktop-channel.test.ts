// Integration tests: the desktop channel against a private headless desktop (Xvfb + own D-Bus + dunst).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createDesktopChannel } from '../../src/notify/desktop.ts'
import { withDesktop } from '../helpers/desktop.ts'

const ZWSP = '\u200B'
const skip = process.platform !== 'linux' && 'needs Linux (Xvfb, dbus-daemon, dunst)'
const approveDeny = [
  { key: 'approve', label: 'Approve' },
  { key: 'deny', label: 'Deny' },
]

// first on purpose: node-notifier would cache "missing" for the life of the process; the later tests prove it did not
test('notify-send missing: clear error, no throw, no hang', { skip }, async () => {
  const ch = createDesktopChannel({ env: { ...process.env, PATH: '/nonexistent' } })
  for (const actions of [undefined, approveDeny]) {
    const r = await ch.send({ title: 't', body: 'b', urgency: 'normal', actions })
    assert.equal(r.ok, false)
    assert.equal(r.error, 'notify-send is not installed (install libnotify-bin)')
    assert.ok(r.ms < 500, `took ${r.ms} ms`)
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
    assert.deepEqual([r.ok, r.error, r.via, r.buttons], [true, undefined, 'node-notifier', false])
    const n = await d.waitForNotify((x) => x.summary === 'Agent X needs you')
    // on the bus: dash guarded by a zero-width space, markup escaped, the backslash single again after g_strcompress
    assert.equal(n.body, `${ZWSP}-rf &lt;b&gt;&amp; C:\\temp\nsecond line`)
    assert.equal(n.urgency, 2)
    assert.equal(n.app_name, 'tend')
    assert.equal(n.expire_timeout, 0)
    console.log(`plain ping -> Notify on the bus: ${(n.time_ms - t0).toFixed(0)} ms, send() resolved in ${r.ms} ms`)

    const h = await ch.send({ title: '--help', body: 'title is an option name', urgency: 'low', timeoutSec: 3 })
    assert.equal(h.ok, true, h.error)
    const hn = await d.waitForNotify((x) => x.body === 'title is an option name')
    assert.deepEqual([hn.summary, hn.urgency, hn.expire_timeout], [`${ZWSP}--help`, 0, 3000])
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

test('no notification server: send() fails clearly within the bound, check() explains', { skip }, () =>
  withDesktop({ daemon: 'none' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env, timeoutMs: 3000 })
    for (const actions of [undefined, approveDeny]) {
      const r = await ch.send({ title: 't', body: 'b', urgency: 'critical', actions })
      assert.equal(r.ok, false)
      assert.match(r.error ?? '', /^no notification server is running/)
      assert.ok(r.ms < 3000, `took ${r.ms} ms`)
    }
    const c = await ch.check()
    assert.equal(c.status, 'fail')
    assert.match(c.lines[0] ?? '', /no notification server is running \(nobody owns org\.freedesktop\.Notifications\)/)
    assert.deepEqual(await d.notifications(), [])
  }),
)

test('hung server: send() gives up after its own timeout instead of 75 s', { skip }, () =>
  withDesktop({ daemon: 'hung' }, async (d) => {
    const ch = createDesktopChannel({ env: d.env, timeoutMs: 1500 })
    const r = await ch.send({ title: 't', body: 'b', urgency: 'normal' })
    assert.equal(r.ok, false)
    assert.match(r.error ?? '', /did not answer within 1.5 s/)
    assert.ok(r.ms >= 1400 && r.ms < 2500, `took ${r.ms} ms`)
    const again = await ch.send({ title: 't', body: 'b', urgency: 'normal' })
    assert.match(again.error ?? '', /still hanging/, 'no pile-up of stuck notify-send processes')
    assert.ok(again.ms < 100)
    const a = await ch.send({ title: 't', body: 'b', urgency: 'normal', actions: approveDeny })
    assert.equal(a.ok, false)
    assert.match(a.error ?? '', /did not answer within 1.5 s/)
    const c = await ch.check()
    assert.equal(c.status, 'fail')
    assert.ok(
      c.lines.some((l) => l.startsWith('the notification server does not answer (hung?)')),
      c.lines.join('\n'),
    )
    ch.close()
  }),
)
