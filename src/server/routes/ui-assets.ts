// GET /ui/assets/*: the dashboard's script and styles, and uPlot from node_modules (no CDN). Public:
// nothing in them is secret, and the signed-out page needs the styles.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Hono } from 'hono'
import { dashboardScript } from '../../dashboard/client-script.ts'
import { rulesScript } from '../../dashboard/rules-script.ts'
import { signedInScript } from '../../dashboard/signed-in-script.ts'
import { dashboardStyles } from '../../dashboard/styles.ts'
import { ApiError } from '../errors.ts'
import type { AppEnv } from '../env.ts'

const require = createRequire(import.meta.url)
const fromPackage = (file: string) => () => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8')

const ASSETS: Record<string, { type: string; body: () => string }> = {
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: () => dashboardScript },
  'rules.js': { type: 'text/javascript; charset=utf-8', body: () => rulesScript },
  'signed-in.js': { type: 'text/javascript; charset=utf-8', body: () => signedInScript },
  'dashboard.css': { type: 'text/css; charset=utf-8', body: () => dashboardStyles },
  'uplot.js': { type: 'text/javascript; charset=utf-8', body: fromPackage('uPlot.iife.min.js') },
  'uplot.css': { type: 'text/css; charset=utf-8', body: fromPackage('uPlot.min.css') },
}
const cache = new Map<string, string>()

export const uiAssetsRoute = new Hono<AppEnv>().get('/:name', (c) => {
  const name = c.req.param('name')
  const asset = ASSETS[name]
  if (!asset) throw new ApiError(404, 'not_found', `no asset '${name}'`)
  if (!cache.has(name)) cache.set(name, asset.body())
  c.header('content-type', asset.type)
  c.header('cache-control', 'no-cache')
  c.header('x-content-type-options', 'nosniff')
  return c.body(cache.get(name)!)
})
