// tend's Claude Code plugin (claude-plugin/: a local marketplace with the `tend` mod) in a settings
// object, and out again. Claude Code loads it from the folder in place: no copy, no launch flag. Pure.

/** The marketplace and plugin names in claude-plugin/.claude-plugin/marketplace.json. */
export const MARKETPLACE = 'tend'
export const PLUGIN_ID = 'tend@tend'

export interface ModOptions {
  /** The bearer token file the mod reads (never the token itself: settings.json is not a secret store). */
  tokenFile: string
  /** The receiver's unix socket in its 0700 data directory. */
  socket: string
  /** The receiver's address, for a receiver on another machine (no socket there). */
  url: string
}

type Json = Record<string, unknown>

const objectAt = (settings: Json, key: string): Json => {
  const value = settings[key]
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {}
}

/** Adds (or updates) tend's marketplace, enables its plugin and gives the mod its options. */
export function mergeTendPlugin(settings: Json, marketplaceDir: string, options: ModOptions): Json {
  const pluginConfigs = objectAt(settings, 'pluginConfigs')
  return {
    ...settings,
    extraKnownMarketplaces: {
      ...objectAt(settings, 'extraKnownMarketplaces'),
      [MARKETPLACE]: { source: { source: 'directory', path: marketplaceDir } },
    },
    enabledPlugins: { ...objectAt(settings, 'enabledPlugins'), [PLUGIN_ID]: true },
    pluginConfigs: {
      ...pluginConfigs,
      [PLUGIN_ID]: { ...objectAt(pluginConfigs, PLUGIN_ID), options: { ...options } },
    },
  }
}

/** Takes tend's marketplace, plugin and options out; every other key stays, and emptied keys go. */
export function removeTendPlugin(settings: Json): Json {
  const result: Json = { ...settings }
  const without = (key: string, name: string) => {
    if (!(key in settings)) return
    const rest = { ...objectAt(settings, key) }
    delete rest[name]
    if (Object.keys(rest).length > 0) result[key] = rest
    else delete result[key]
  }
  without('extraKnownMarketplaces', MARKETPLACE)
  without('enabledPlugins', PLUGIN_ID)
  without('pluginConfigs', PLUGIN_ID)
  return result
}

/** Whether the settings enable tend's plugin (tend doctor). */
export function hasTendPlugin(settings: Json): boolean {
  return (
    objectAt(settings, 'enabledPlugins')[PLUGIN_ID] === true &&
    MARKETPLACE in objectAt(settings, 'extraKnownMarketplaces')
  )
}
