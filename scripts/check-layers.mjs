#!/usr/bin/env node
// The import rules that keep tend's layers apart (README, Architecture). Run by `npm test` and CI.
//   core      pure domain: imports nothing of tend's but core
//   store     the only place that knows SQL (drizzle, better-sqlite3): core, store and shared (where its
//             migrations are)
//   service   the application layer (answer a wait, hold a hook, the notifier): core, store, service, shared
//   channels  notify (desktop), slack, dashboard: core, service, shared and store queries; never the
//             server, never each other, never SQL (no drizzle, no store/schema.ts)
//   server    the HTTP adapter and composition root: anything but the CLI; routes never import routes
//   mcp       `tend mcp`, a front end like the CLI: core, shared, mcp, and from the CLI only its typed API
//             client (cli/client.ts): it reaches the receiver through its HTTP API, never the store or services
//   cli       the outermost adapter: anything but the store (it talks to the receiver through its API)
//   shared    config, log, token, package-files: core and shared
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SRC = join(ROOT, 'src')
const CHANNELS = ['notify', 'slack', 'dashboard']
const ALLOWED = {
  core: ['core'],
  store: ['core', 'store', 'shared'],
  service: ['core', 'store', 'service', 'shared'],
  ...Object.fromEntries(CHANNELS.map((c) => [c, ['core', 'service', 'shared', 'store', c]])),
  server: ['core', 'store', 'service', 'shared', 'server', ...CHANNELS],
  mcp: ['core', 'shared', 'mcp', 'cli'],
  cli: ['core', 'shared', 'cli', 'server', 'service', 'mcp', ...CHANNELS],
  shared: ['core', 'shared'],
}
const SQL_PACKAGES = ['drizzle-orm', 'better-sqlite3']

const layerOf = (file) => {
  const rel = relative(SRC, file)
  return rel.includes('/') ? rel.split('/')[0] : 'shared'
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

const IMPORT =
  /^\s*(?:import|export)\s+(?:type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm
const problems = []
for (const file of files(SRC)) {
  const layer = layerOf(file)
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]
    const where = `${relative(ROOT, file)}: imports ${spec}`
    if (!spec.startsWith('.')) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
      if (SQL_PACKAGES.includes(pkg) && layer !== 'store') problems.push(`${where} (only the store knows SQL)`)
      continue
    }
    const target = resolve(dirname(file), spec)
    const to = layerOf(target)
    const targetRel = relative(SRC, target)
    if (CHANNELS.includes(layer) && targetRel === join('store', 'schema.ts'))
      problems.push(`${where} (channels reach the store through its queries, not its tables)`)
    if (
      layer === 'server' &&
      file.includes(`${join('server', 'routes')}/`) &&
      targetRel.startsWith(join('server', 'routes'))
    )
      problems.push(`${where} (a route never imports another route: share through the service layer)`)
    if (layer === 'mcp' && to === 'cli' && targetRel !== join('cli', 'client.ts'))
      problems.push(`${where} (mcp takes only the API client from the CLI: cli/client.ts)`)
    if (!ALLOWED[layer]?.includes(to)) problems.push(`${where} (${layer} may import ${ALLOWED[layer].join(', ')})`)
  }
}
if (problems.length) {
  process.stderr.write(
    `layers: ${problems.length} import(s) break the rules:\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
  )
  process.exit(1)
}
process.stdout.write('layers: every import follows the rules\n')
