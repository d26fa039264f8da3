// Which way install.sh runs the receiver, and when the CLI colours its output.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { colorWanted } from '../../src/cli/color.ts'
import { detectManager, managerFiles } from '../../src/cli/service.ts'

describe('the receiver service', () => {
  const env = { HOME: '/home/ann' }
  const files = managerFiles(env)

  it('is found by the file install.sh wrote', () => {
    assert.deepEqual(
      detectManager(env, 'linux', (p) => p === files.unitFile),
      {
        kind: 'systemd',
        unitFile: '/home/ann/.config/systemd/user/tend.service',
      },
    )
    assert.deepEqual(
      detectManager(env, 'darwin', (p) => p === files.plist),
      {
        kind: 'launchd',
        plist: '/home/ann/Library/LaunchAgents/dev.tend.receiver.plist',
      },
    )
    assert.deepEqual(
      detectManager(env, 'linux', () => false),
      { kind: 'process' },
    )
    // A unit file means nothing on macOS, a plist nothing on Linux.
    assert.deepEqual(
      detectManager(env, 'darwin', (p) => p === files.unitFile),
      { kind: 'process' },
    )
  })

  it('follows XDG_CONFIG_HOME and XDG_BIN_HOME as install.sh does', () => {
    const xdg = managerFiles({ HOME: '/home/ann', XDG_CONFIG_HOME: '/cfg', XDG_BIN_HOME: '/bin2' })
    assert.equal(xdg.unitFile, '/cfg/systemd/user/tend.service')
    assert.equal(xdg.binLink, '/bin2/tend')
    assert.equal(files.binLink, '/home/ann/.local/bin/tend')
  })
})

describe('colour', () => {
  it('on a terminal only, never with NO_COLOR or a dumb terminal; FORCE_COLOR forces it', () => {
    assert.equal(colorWanted({ isTTY: true }, {}), true)
    assert.equal(colorWanted({ isTTY: false }, {}), false)
    assert.equal(colorWanted({}, {}), false)
    assert.equal(colorWanted({ isTTY: true }, { NO_COLOR: 'yes' }), false)
    assert.equal(colorWanted({ isTTY: true }, { TERM: 'dumb' }), false)
    assert.equal(colorWanted({ isTTY: false }, { FORCE_COLOR: '1' }), true)
    assert.equal(colorWanted({ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' }), false)
    assert.equal(colorWanted({ isTTY: false }, { FORCE_COLOR: '0' }), false)
  })
})
