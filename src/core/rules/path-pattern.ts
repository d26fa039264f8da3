// Path specifiers of Read / Edit / Write rules, read as Claude Code reads them (gitignore-style), and
// matched against absolute paths. Pure: realpaths are resolved by the caller (service/rules.ts).
import { posix } from 'node:path'

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

/** A glob as steps (read as globToRegExp reads it): a character, `**` (anything), `*` (within a name), `?`. */
type Step = string | { any: true } | { name: true } | { one: true }
const ANY: Step = { any: true }
const NAME: Step = { name: true }
const ONE: Step = { one: true }

function stepsOf(glob: string): Step[] {
  const steps: Step[] = []
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!
    if (ch === '*' && glob[i + 1] === '*') {
      steps.push(ANY)
      i++
      if (glob[i + 1] === '/') i++ // `a/**/b` also matches `a/b`
    } else if (ch === '*') steps.push(NAME)
    else if (ch === '?') steps.push(ONE)
    else steps.push(ch)
  }
  return steps
}

const compiled = new Map<string, Step[]>()
const MAX_CACHED = 2_000

function stepsFor(glob: string): Step[] {
  let steps = compiled.get(glob)
  if (!steps) {
    if (compiled.size >= MAX_CACHED) compiled.clear()
    steps = stepsOf(glob)
    compiled.set(glob, steps)
  }
  return steps
}

/** The steps reachable from `at` without reading a character (a `*` or `**` may match nothing). */
function close(steps: Step[], live: Uint8Array, at: number) {
  let k = at
  for (; k < steps.length; k++) {
    if (live[k]) return
    live[k] = 1
    if (typeof steps[k] === 'string' || steps[k] === ONE) return
  }
  live[k] = 1
}

/**
 * Whether an absolute path falls under an absolute glob: the path itself or one of its directories
 * matches (as in gitignore, a matched directory covers what is inside it). One pass over the path
 * with every place in the glob it could be at (no backtracking: a long path costs its length times
 * the glob's), the directories judged as the pass reaches each `/`.
 */
export function pathMatches(glob: string, path: string): boolean {
  const steps = stepsFor(glob)
  const p = normalizeGlob(path)
  const end = steps.length
  let live = new Uint8Array(end + 1)
  close(steps, live, 0)
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    // What is read so far is a directory of the path: it may match.
    if (c === '/' && i > 0 && live[end]) return true
    const next = new Uint8Array(end + 1)
    let any = false
    for (let k = 0; k < end; k++) {
      if (!live[k]) continue
      const step = steps[k]!
      if (step === ANY || (step === NAME && c !== '/')) {
        if (!next[k]) close(steps, next, k)
        any = true
      } else if (step === c || (step === ONE && c !== '/')) {
        close(steps, next, k + 1)
        any = true
      }
    }
    if (!any) return false
    live = next
    // The root, `/`, is a directory of every path.
    if (i === 0 && live[end]) return true
  }
  return live[end] === 1
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
