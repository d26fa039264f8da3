// Path specifiers of Read / Edit / Write rules, read as Claude Code reads them (gitignore-style), and
// matched against absolute paths. Pure: realpaths are resolved by the caller (service/rules.ts).
import { posix } from 'node:path'
import { globToRegExp } from '../priority.ts'

export interface PathBase {
  /** The agent's current directory: `./x` and `x` are relative to it. */
  cwd: string
  home: string
  /**
   * What `/x` is relative to. In Claude Code it is the settings file's project; a tend rule scoped to a
   * path glob uses that glob's fixed part; a rule with no path scope has no project, so `/x` is absolute.
   */
  root: string | null
}

/**
 * The absolute glob a specifier stands for: `//x` absolute, `~/x` under home, `/x` under the root,
 * `./x` or `a/b` under cwd, and a bare name (`.env`, `*.pem`) at any depth under cwd.
 */
export function absolutePattern(spec: string, base: PathBase): string {
  let glob: string
  if (spec.startsWith('//')) glob = spec.slice(1)
  else if (spec === '~' || spec.startsWith('~/')) glob = base.home + spec.slice(1)
  else if (spec.startsWith('/')) glob = base.root ? `${base.root}${spec}` : spec
  else if (spec.startsWith('./')) glob = `${base.cwd}/${spec.slice(2)}`
  else if (spec.replace(/\/+$/, '').includes('/')) glob = `${base.cwd}/${spec}`
  else glob = `${base.cwd}/**/${spec}`
  return normalizeGlob(glob)
}

/** `..`, `.` and repeated slashes taken out lexically; a trailing slash dropped. */
export function normalizeGlob(glob: string): string {
  const n = posix.normalize(glob)
  return n.length > 1 ? n.replace(/\/+$/, '') : n
}

/** The fixed directory a scope glob starts with (`/home/me/work/api/**` → `/home/me/work/api`). */
export function globRoot(glob: string): string {
  const parts = glob.split('/')
  const fixed: string[] = []
  for (const part of parts) {
    if (/[*?[]/.test(part)) break
    fixed.push(part)
  }
  return normalizeGlob(fixed.join('/') || '/')
}

const compiled = new Map<string, RegExp>()
const MAX_CACHED = 2_000

function regexOf(glob: string): RegExp {
  let re = compiled.get(glob)
  if (!re) {
    if (compiled.size >= MAX_CACHED) compiled.clear()
    re = globToRegExp(glob)
    compiled.set(glob, re)
  }
  return re
}

/**
 * Whether an absolute path falls under an absolute glob: the path itself or one of its directories
 * matches (as in gitignore, a matched directory covers what is inside it).
 */
export function pathMatches(glob: string, path: string): boolean {
  const re = regexOf(glob)
  let p = normalizeGlob(path)
  for (;;) {
    if (re.test(p)) return true
    const up = posix.dirname(p)
    if (up === p) return false
    p = up
  }
}

/** Whether `path` is `dir` or inside it (both absolute and normalised). */
export function isInside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`)
}

/** The absolute path a tool or a shell redirection names, as the kernel walks it: `..` left in place. */
export function namedPath(path: string, cwd: string, home: string): string {
  if (path === '~' || path.startsWith('~/')) return home + path.slice(1)
  return path.startsWith('/') ? path : `${cwd}/${path}`
}

/** The absolute path a tool or a shell redirection names, relative to cwd; `~` is home. Lexical. */
export function absolutePath(path: string, cwd: string, home: string): string {
  if (path === '~' || path.startsWith('~/')) return posix.normalize(home + path.slice(1))
  return posix.resolve(cwd, path)
}
