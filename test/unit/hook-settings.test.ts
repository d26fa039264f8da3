// Which events tend hooks for which Claude Code: an event name a version does not know opens a dialog at its start.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  mergeTendHooks,
  NEWER_OBSERVED_EVENTS,
  OBSERVED_EVENTS,
  observedEvents,
  removeTendHooks,
  tendHooks,
  versionAtLeast,
} from '../../src/cli/hook-settings.ts'

const OPTS = { hookPath: '/opt/tend/hooks/tend-hook', env: {} }
const NEWER = Object.keys(NEWER_OBSERVED_EVENTS)

describe('observed events by Claude Code version', () => {
  it('an unknown or old version gets only the events every supported version knows', () => {
    for (const version of [null, undefined, '', 'not a version', '2.1.197', '2.1.331']) {
      assert.deepEqual(observedEvents(version), [...OBSERVED_EVENTS], String(version))
    }
  })

  it('2.1.332 and later also get DirectoryAdded, the model switches and PreSkillShellCommand', () => {
    assert.deepEqual(NEWER.sort(), ['DirectoryAdded', 'PostModelSwitch', 'PreModelSwitch', 'PreSkillShellCommand'])
    for (const version of ['2.1.332', '2.1.400', '2.2.0', '3.0.0']) {
      assert.deepEqual(observedEvents(version), [...OBSERVED_EVENTS, ...Object.keys(NEWER_OBSERVED_EVENTS)], version)
    }
  })

  it('never observes WorktreeCreate or WorktreeRemove: a hook there replaces what git would do', () => {
    for (const version of [null, '2.1.197', '2.1.332', '9.9.9']) {
      const hooks = tendHooks({ ...OPTS, claudeVersion: version })
      assert.equal(hooks['WorktreeCreate'], undefined)
      assert.equal(hooks['WorktreeRemove'], undefined)
    }
  })

  it('the newer events are async observers like the others', () => {
    const hooks = tendHooks({ ...OPTS, claudeVersion: '2.1.332' })
    for (const event of NEWER) {
      assert.deepEqual(hooks[event], [
        { hooks: [{ type: 'command', command: `'${OPTS.hookPath}' observe`, async: true, timeout: 10 }] },
      ])
    }
  })

  it('the StopFailure observer starts with SIGTERM ignored (Claude Code 2.1.332 signals it at once), and is still tend’s to remove', () => {
    const hooks = tendHooks({ ...OPTS, claudeVersion: '2.1.332' })
    assert.deepEqual(hooks['StopFailure'], [
      {
        hooks: [{ type: 'command', command: `trap '' TERM; '${OPTS.hookPath}' observe`, async: true, timeout: 10 }],
      },
    ])
    const removed = removeTendHooks(mergeTendHooks({}, OPTS))
    assert.equal(removed['hooks'], undefined)
  })

  it('re-installing for an older Claude Code takes the newer events out again, keeping the person’s own', () => {
    const own = { hooks: [{ type: 'command', command: '/usr/local/bin/log-model.sh' }] }
    const newer = mergeTendHooks({ hooks: { PreModelSwitch: [own] } }, { ...OPTS, claudeVersion: '2.1.332' })
    const hooks = newer['hooks'] as Record<string, unknown[]>
    assert.equal(hooks['PreModelSwitch']!.length, 2)
    assert.ok(hooks['DirectoryAdded'])
    const older = mergeTendHooks(newer, { ...OPTS, claudeVersion: '2.1.197' })
    const olderHooks = older['hooks'] as Record<string, unknown[]>
    assert.deepEqual(olderHooks['PreModelSwitch'], [own])
    for (const event of ['DirectoryAdded', 'PostModelSwitch', 'PreSkillShellCommand']) {
      assert.equal(olderHooks[event], undefined, event)
    }
  })
})

describe('versionAtLeast', () => {
  it('compares numerically, part by part', () => {
    assert.equal(versionAtLeast('2.1.332', '2.1.332'), true)
    assert.equal(versionAtLeast('2.1.1000', '2.1.332'), true)
    assert.equal(versionAtLeast('2.2.0', '2.1.332'), true)
    assert.equal(versionAtLeast('2.1.99', '2.1.332'), false)
    assert.equal(versionAtLeast('1.9.999', '2.1.332'), false)
    assert.equal(versionAtLeast(null, '0.0.0'), false)
  })
})
