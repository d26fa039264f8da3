// Learned suggestions: permissions the person approved again and again in one project, offered as
// allow rules there. Only offered: a rule exists once the person accepts it. Pure.
import { posix } from 'node:path'
import { absolutePath as abs, isInside } from './path-pattern.ts'
import { parseShell } from './shell-command.ts'

/** One answered permission prompt. */
export interface PermissionAnswer {
  toolName: string
  toolInput: Record<string, unknown>
  /** The agent's project directory. */
  projectDir: string
  at: number
  approved: boolean
}

export interface Suggestion {
  rule: string
  /** The path glob the rule would apply under (the project). */
  path: string
  approvals: number
  denials: number
  /** Distinct days with an approval. */
  days: number
  firstAt: number
  lastAt: number
  /** Why it is risky (offered only with includeRisky), or null. */
  risk: string | null
}

export interface SuggestOptions {
  /** Approvals needed before a permission is offered (default 3). */
  minApprovals?: number
  includeRisky?: boolean
  /** Rules that exist already (`${rule}\t${path}`): never offered again. */
  existing?: Set<string>
  dayMs?: number
}

const DELETES = new Set(['rm', 'rmdir', 'unlink', 'shred', 'dd', 'mkfs', 'truncate', 'srm', 'wipefs'])
const NETWORK = new Set([
  'curl', 'wget', 'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'telnet', 'ftp', 'http', 'https', 'xh',
  'aws', 'gcloud', 'az', 'kubectl', 'gh', 'brew', 'apt', 'apt-get', 'dnf', 'yum', 'pacman', 'ping', 'dig', 'nslookup',
]) // prettier-ignore
/** Subcommands that publish, push, delete or fetch from the network. */
const RISKY_SUB: Record<string, Record<string, string>> = {
  git: { push: 'push', pull: 'network', fetch: 'network', clone: 'network', clean: 'delete', rm: 'delete', reset: 'delete' },
  npm: { publish: 'publish', install: 'network', i: 'network', add: 'network', update: 'network', unpublish: 'publish', ci: 'network' },
  pnpm: { publish: 'publish', install: 'network', i: 'network', add: 'network', update: 'network' },
  yarn: { publish: 'publish', install: 'network', add: 'network', upgrade: 'network' },
  bun: { publish: 'publish', install: 'network', add: 'network' },
  cargo: { publish: 'publish', install: 'network' },
  pip: { install: 'network', download: 'network' },
  pip3: { install: 'network', download: 'network' },
  docker: { push: 'push', pull: 'network', rm: 'delete', rmi: 'delete' },
  twine: { upload: 'publish' },
  gem: { push: 'publish', install: 'network' },
} // prettier-ignore
const WRITERS_OF_ARGS = new Set([
  'cp',
  'mv',
  'tee',
  'install',
  'ln',
  'touch',
  'mkdir',
  'chmod',
  'chown',
  'sed',
  'patch',
])

/** Why a Bash command is risky to allow without asking (delete, push, publish, network, writes outside), or null. */
export function bashRisk(command: string, projectDir: string, home: string): string | null {
  const shell = parseShell(command)
  if (shell.opaque.length > 0) return 'not fully readable'
  for (const cmd of shell.commands) {
    // `timeout 60 rm -rf dist` is rm: a transparent wrapper's command is judged.
    const argv = (cmd.unwrapped && parseShell(cmd.unwrapped).commands[0]?.argv) || cmd.argv
    const name = posix.basename(argv[0] ?? '')
    const sub = subcommand(argv)
    if (name === 'sudo' || name === 'doas') return 'runs as root'
    if (DELETES.has(name)) return 'deletes'
    if (NETWORK.has(name)) return 'uses the network'
    const risky = sub ? RISKY_SUB[name]?.[sub] : undefined
    if (risky)
      return risky === 'network'
        ? 'uses the network'
        : risky === 'delete'
          ? 'deletes'
          : risky === 'push'
            ? 'pushes'
            : 'publishes'
    if (argv.includes('-delete') && name === 'find') return 'deletes'
    for (const r of cmd.redirects) {
      if (r.mode !== 'write' || r.target === null) continue
      if (r.dynamic || !isInside(projectDir, abs(r.target, projectDir, home))) return 'writes outside the project'
    }
    if (WRITERS_OF_ARGS.has(name)) {
      for (const arg of argv.slice(1)) {
        if (arg.startsWith('-')) continue
        if (!isInside(projectDir, abs(arg, projectDir, home))) return 'writes outside the project'
      }
    }
  }
  return null
}

/** Global options that take the next word as their value (`git -C dir push`, `npm --prefix web publish`). */
const VALUED_GLOBAL = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--prefix', '-w', '--workspace'])

/** The first word after the program that is not a global option or its value. */
function subcommand(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!
    if (!a.startsWith('-')) return a
    if (VALUED_GLOBAL.has(a)) i++
  }
  return undefined
}

/** The allow rule an approved prompt would become, with its risk; null for what tend never suggests. */
export function ruleFor(a: PermissionAnswer, home: string): { rule: string; risk: string | null } | null {
  const input = a.toolInput
  if (a.toolName === 'Bash') {
    const command = typeof input['command'] === 'string' ? input['command'].trim() : ''
    if (!command) return null
    const shell = parseShell(command)
    // One plain command becomes an exact rule. A compound line is no rule: an allow covers each part on its own.
    if (shell.commands.length !== 1 || shell.opaque.length > 0) return null
    const text = shell.commands[0]!.text
    if (text.includes(')') || text.includes('\n')) return null
    return { rule: `Bash(${text})`, risk: bashRisk(command, a.projectDir, home) }
  }
  const path = typeof input['file_path'] === 'string' ? input['file_path'] : null
  if (['Edit', 'MultiEdit', 'Write', 'NotebookEdit'].includes(a.toolName) && path) {
    const file = abs(path, a.projectDir, home)
    const dir = posix.dirname(file)
    if (isInside(a.projectDir, file)) {
      const rel = posix.relative(a.projectDir, dir)
      return { rule: `Edit(/${rel ? `${rel}/` : ''}**)`, risk: null }
    }
    return { rule: `Edit(/${dir}/**)`, risk: 'writes outside the project' }
  }
  if (a.toolName === 'WebFetch' && typeof input['url'] === 'string') {
    try {
      return { rule: `WebFetch(domain:${new URL(input['url']).hostname})`, risk: 'uses the network' }
    } catch {
      return null
    }
  }
  if (a.toolName === 'WebSearch') return { rule: 'WebSearch', risk: 'uses the network' }
  if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(a.toolName) && !['Read', 'Grep', 'Glob', 'LS'].includes(a.toolName)) {
    return { rule: a.toolName, risk: a.toolName.startsWith('mcp__') ? 'an MCP tool may do anything' : null }
  }
  return null
}

/** Permissions approved at least `minApprovals` times and never denied in one project, best first. */
export function suggestRules(answers: PermissionAnswer[], home: string, opts: SuggestOptions = {}): Suggestion[] {
  const min = opts.minApprovals ?? 3
  const dayMs = opts.dayMs ?? 86_400_000
  const groups = new Map<string, Suggestion & { dayset: Set<number> }>()
  for (const a of answers) {
    const r = ruleFor(a, home)
    if (!r) continue
    const path = `${a.projectDir.replace(/\/+$/, '')}/**`
    const key = `${r.rule}\t${path}`
    let g = groups.get(key)
    if (!g) {
      g = {
        rule: r.rule,
        path,
        approvals: 0,
        denials: 0,
        days: 0,
        firstAt: a.at,
        lastAt: a.at,
        risk: r.risk,
        dayset: new Set(),
      }
      groups.set(key, g)
    }
    if (a.approved) {
      g.approvals++
      g.dayset.add(Math.floor(a.at / dayMs))
    } else g.denials++
    g.firstAt = Math.min(g.firstAt, a.at)
    g.lastAt = Math.max(g.lastAt, a.at)
  }
  return [...groups.entries()]
    .filter(([key, g]) => g.approvals >= min && g.denials === 0 && !opts.existing?.has(key))
    .filter(([, g]) => opts.includeRisky || g.risk === null)
    .map(([, { dayset, ...g }]) => ({ ...g, days: dayset.size }))
    .sort((a, b) => b.approvals - a.approvals || a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path))
}
