// Unit tests for the desktop channel's pure text sanitising and argument builders.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  BODY_MAX,
  BODY_MAX_LINES,
  SUMMARY_MAX,
  cleanBody,
  cleanTitle,
  closeNotificationArgs,
  dbusCallArgs,
  describeError,
  desktopBackend,
  escapeBackslashes,
  escapeMarkup,
  expireSec,
  linuxText,
  notifySendArgs,
  osascriptArgs,
  parseServerInfo,
  truncate,
  wireKey,
} from '../../src/notify/desktop-text.ts'
import type { DesktopPing } from '../../src/notify/desktop-text.ts'

const ping = (p: Partial<DesktopPing> = {}): DesktopPing => ({
  title: 'Agent X',
  body: 'needs you',
  urgency: 'normal',
  ...p,
})

test('leading dashes: "--" ends the options, with or without buttons, so the texts stay literal', () => {
  const p = ping({ title: '--help', body: '-r 5', actions: [{ key: 'ok', label: 'OK' }] })
  assert.deepEqual(notifySendArgs(p, 'tend').slice(-3), ['--', '--help', '-r 5'])
  assert.deepEqual(notifySendArgs(p, 'tend', false).slice(-3), ['--', '--help', '-r 5'])
  // osascript: a fixed first argument, so a leading dash is never read as an option
  assert.deepEqual(osascriptArgs(p, 'tend').slice(-3), ['tend', '--help', '-r 5'])
  assert.equal(osascriptArgs(p, '--x').at(-3), 'x', 'the fixed argument never starts with a dash')
})

test('"--help" as a title stays literal text', () => {
  assert.equal(cleanTitle('--help'), '--help')
  assert.equal(linuxText(ping({ title: '--help' })).summary, '--help')
})

test('body markup is escaped, the summary is plain text and is not', () => {
  assert.equal(escapeMarkup('<b>bold</b> & co'), '&lt;b&gt;bold&lt;/b&gt; &amp; co')
  assert.equal(escapeMarkup('&amp;'), '&amp;amp;')
  const t = linuxText(ping({ title: 'a & <b>', body: '<b>&' }))
  assert.equal(t.summary, 'a & <b>')
  assert.equal(t.body, '&lt;b&gt;&amp;')
})

test('backslashes are doubled so that g_strcompress in notify-send restores them', () => {
  assert.equal(escapeBackslashes('C:\\temp\\new'), 'C:\\\\temp\\\\new')
  assert.equal(linuxText(ping({ body: 'a\\nb' })).body, 'a\\\\nb')
  assert.equal(linuxText(ping({ title: 'a\\b' })).summary, 'a\\b', 'the summary is not compressed')
})

test('newlines: kept in the body, folded in the title; CRLF, tabs and control characters cleaned', () => {
  assert.equal(cleanTitle('line one\nline\ttwo\r\n'), 'line one line two')
  assert.equal(cleanBody('one\r\ntwo\rthree\tx\u0007\u0000'), 'one\ntwo\nthree x')
  assert.equal(cleanBody('  \n\nbody  \n\n'), 'body')
  assert.equal(cleanTitle(' \n '), 'tend', 'never an empty summary')
})

test('very long text is cut at a word boundary with an ellipsis', () => {
  const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ')
  const title = cleanTitle(words)
  assert.ok(Array.from(title).length <= SUMMARY_MAX)
  assert.ok(title.endsWith('…'))
  assert.match(title, /word\d+…$/, 'cut between words, not inside one')
  const body = cleanBody(words.repeat(5))
  assert.ok(Array.from(body).length <= BODY_MAX)
  assert.equal(truncate('x'.repeat(50), 10), `${'x'.repeat(9)}…`, 'no boundary near the end: hard cut')
  assert.equal(truncate('short', 10), 'short')
})

test('truncation never splits a surrogate pair', () => {
  const t = truncate('🙂'.repeat(20), 5)
  assert.equal(t, '🙂🙂🙂🙂…')
})

test('too many lines are cut to BODY_MAX_LINES, the last one an ellipsis', () => {
  const lines = cleanBody(Array.from({ length: 40 }, (_, i) => `l${i}`).join('\n')).split('\n')
  assert.equal(lines.length, BODY_MAX_LINES)
  assert.equal(lines.at(-1), '…')
})

test('notify-send argv: flags, actions, then "--", summary, body', () => {
  const args = notifySendArgs(
    ping({
      urgency: 'critical',
      body: 'x & y',
      actions: [
        { key: 'approve', label: 'Approve' },
        { key: 'de=ny me', label: 'Deny = no' },
      ],
    }),
    'tend',
  )
  assert.deepEqual(args, [
    '--print-id',
    '--app-name=tend',
    '--urgency=critical',
    '--expire-time=0',
    '--action=approve=Approve',
    '--action=de_ny_me=Deny = no',
    '--',
    'Agent X',
    'x &amp; y',
  ])
  assert.equal(wireKey('a=b c'), 'a_b_c')
})

test('expiry: explicit seconds, else 0 (sticky) for critical and 10 s otherwise', () => {
  assert.equal(expireSec({ urgency: 'normal' }), 10)
  assert.equal(expireSec({ urgency: 'critical' }), 0)
  assert.equal(expireSec({ urgency: 'low', timeoutSec: 3 }), 3)
  assert.equal(expireSec({ urgency: 'low', timeoutSec: -1 }), 0)
  assert.ok(notifySendArgs(ping({ timeoutSec: 4 }), 'tend').includes('--expire-time=4000'))
})

test('notify-send argv without buttons: no --print-id, no --action, even when the ping has actions', () => {
  assert.deepEqual(notifySendArgs(ping({ urgency: 'low', timeoutSec: 7 }), 'tend'), [
    '--app-name=tend',
    '--urgency=low',
    '--expire-time=7000',
    '--',
    'Agent X',
    'needs you',
  ])
  const withActions = ping({ actions: [{ key: 'approve', label: 'Approve' }] })
  assert.deepEqual(notifySendArgs(withActions, 'tend', false), notifySendArgs(ping(), 'tend'))
  assert.equal(notifySendArgs(ping({ body: '' }), 'tend').at(-1), '', 'an empty body is allowed')
})

test('osascript argv: the texts are run-handler arguments, cleaned but not escaped (plain text there)', () => {
  const args = osascriptArgs(ping({ title: 'say "hi"\nnow', body: '<b>&\\ x\r\ny' }), 'tend')
  assert.deepEqual(args, [
    '-e',
    'on run argv',
    '-e',
    'display notification (item 3 of argv) with title (item 2 of argv)',
    '-e',
    'end run',
    'tend',
    'say "hi" now',
    '<b>&\\ x\ny',
  ])
  assert.ok(
    args.slice(0, 6).every((a) => !a.includes('hi')),
    'no text inside the script',
  )
})

test('backend by platform: notify-send on Linux and the BSDs, osascript on macOS, none elsewhere', () => {
  assert.equal(desktopBackend('linux'), 'notify-send')
  assert.equal(desktopBackend('freebsd'), 'notify-send')
  assert.equal(desktopBackend('darwin'), 'osascript')
  assert.equal(desktopBackend('win32'), null)
})

test('dbus-send argv for the doctor and for taking a popup down; server information parsed', () => {
  assert.deepEqual(dbusCallArgs('org.freedesktop.Notifications', 'GetCapabilities'), [
    '--session',
    '--print-reply=literal',
    '--reply-timeout=2000',
    '--dest=org.freedesktop.Notifications',
    '/org/freedesktop/Notifications',
    'org.freedesktop.Notifications.GetCapabilities',
  ])
  assert.equal(dbusCallArgs('org.freedesktop.DBus', 'NameHasOwner', 'string:x').at(-1), 'string:x')
  assert.equal(closeNotificationArgs(7).at(-1), 'uint32:7')
  assert.deepEqual(parseServerInfo('   dunst   knopwob   1.9.0   1.2\n'), { name: 'dunst', version: '1.9.0' })
})

test('errors become one line with the likely cause, without the command line', () => {
  const err = new Error(
    'Command failed: notify-send "secret text"\nGDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: ' +
      'The name org.freedesktop.Notifications was not provided by any .service files\n',
  )
  const msg = describeError(err)
  assert.match(msg, /^no notification server is running/)
  assert.doesNotMatch(msg, /secret text/)
  assert.match(describeError('Cannot autolaunch D-Bus without X11 $DISPLAY'), /^cannot reach the session D-Bus/)
  assert.match(describeError('Error calling ... Timeout was reached'), /did not answer/)
  assert.equal(describeError(''), 'unknown error')
})
