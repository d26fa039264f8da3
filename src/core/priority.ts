// Which priority applies to an agent: its own, else the most specific matching path glob, else 3.
import { DEFAULT_PRIORITY } from './urgency.ts'

export interface PriorityRule {
  target: string
  kind: 'agent' | 'path'
  priority: number
}

/** A path glob: `*` within one path segment, `**` across segments; anchored at both ends. */
export function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*'
      i++
      if (glob[i + 1] === '/') i++ // `a/**/b` also matches `a/b`
    } else if (ch === '*') re += '[^/]*'
    else if (ch === '?') re += '[^/]'
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

export function priorityFor(agent: { sessionId: string; cwd: string | null }, rules: PriorityRule[]): number {
  const own = rules.find((r) => r.kind === 'agent' && r.target === agent.sessionId)
  if (own) return own.priority
  const cwd = agent.cwd
  if (!cwd) return DEFAULT_PRIORITY
  // The longest glob that matches is the most specific.
  const match = rules
    .filter(
      (r) =>
        r.kind === 'path' &&
        (globToRegExp(r.target).test(cwd) || globToRegExp(`${r.target.replace(/\/+$/, '')}/**`).test(cwd)),
    )
    .sort((a, b) => b.target.length - a.target.length)[0]
  return match?.priority ?? DEFAULT_PRIORITY
}
