// tend's Claude Code plugin in a settings object: added beside what is there, removed leaving it as it was.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hasTendPlugin, mergeTendPlugin, PLUGIN_ID, removeTendPlugin } from '../../src/cli/plugin-settings.ts'

const OPTIONS = {
  tokenFile: '/h/.config/tend/token',
  socket: '/h/.local/share/tend/tend.sock',
  url: 'http://127.0.0.1:4761',
}
const EXISTING = {
  model: 'opus',
  enabledPlugins: { 'lint@acme': true },
  extraKnownMarketplaces: { acme: { source: { source: 'github', repo: 'acme/plugins' } } },
  pluginConfigs: { 'lint@acme': { options: { strict: true } } },
}

describe('plugin settings', () => {
  it('enables the mod from its folder in place, with its options, beside other plugins', () => {
    const s = mergeTendPlugin(EXISTING, '/opt/tend/claude-plugin', OPTIONS)
    assert.deepEqual(s['enabledPlugins'], { 'lint@acme': true, [PLUGIN_ID]: true })
    assert.deepEqual((s['extraKnownMarketplaces'] as Record<string, unknown>)['tend'], {
      source: { source: 'directory', path: '/opt/tend/claude-plugin' },
    })
    assert.deepEqual((s['pluginConfigs'] as Record<string, unknown>)[PLUGIN_ID], { options: OPTIONS })
    assert.equal(s['model'], 'opus')
    assert.ok(hasTendPlugin(s))
    assert.ok(!hasTendPlugin(EXISTING))
  })

  it('is idempotent, and a new install updates the path and options', () => {
    const once = mergeTendPlugin(EXISTING, '/a', OPTIONS)
    assert.deepEqual(mergeTendPlugin(once, '/a', OPTIONS), once)
    const moved = mergeTendPlugin(once, '/b', { ...OPTIONS, url: 'http://127.0.0.1:5000' })
    const configs = moved['pluginConfigs'] as Record<string, { options: { url: string } }>
    assert.equal(configs[PLUGIN_ID]!.options.url, 'http://127.0.0.1:5000')
    const markets = moved['extraKnownMarketplaces'] as Record<string, { source: { path: string } }>
    assert.equal(markets['tend']!.source.path, '/b')
  })

  it('removal gives back exactly what was there; keys tend alone used disappear', () => {
    assert.deepEqual(removeTendPlugin(mergeTendPlugin(EXISTING, '/a', OPTIONS)), EXISTING)
    assert.deepEqual(removeTendPlugin(mergeTendPlugin({ model: 'opus' }, '/a', OPTIONS)), { model: 'opus' })
    assert.deepEqual(removeTendPlugin({ model: 'opus' }), { model: 'opus' })
  })
})
