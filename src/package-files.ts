// Where tend's own files are: bin/, hooks/, drizzle/, claude-plugin/, slack/ and package.json, beside
// src/ or dist/. Found through package.json with symlinks resolved, so a compiled copy of the sources
// (the test build links package.json into its tree) still names the real files.
import { realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_ROOT = dirname(realpathSync(fileURLToPath(new URL('../package.json', import.meta.url))))

/** A path inside tend's package: packageFile('hooks', 'tend-hook'). */
export const packageFile = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts)
