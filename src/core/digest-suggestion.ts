// Once in a while a review digest carries one learned rule suggestion: the first (best) one not shown in
// the last few days, as a line the person can act on at once. Pure: time, home and what was shown come in.
import type { Suggestion } from './rules/suggest.ts'

/** A suggestion is offered again only after this long (3 days). */
export const SUGGESTION_QUIET_MS = 3 * 86_400_000

/** What was offered when, by `suggestionKey`. */
export type ShownSuggestions = Record<string, number>

export const suggestionKey = (s: Pick<Suggestion, 'rule' | 'path'>) => `${s.rule}\t${s.path}`

/** "~/work/api" for "/home/me/work/api/**". */
export function suggestionPlace(path: string, home: string): string {
  const dir = path.replace(/\/\*\*$/, '') || '/'
  if (home && (dir === home || dir.startsWith(`${home}/`))) return `~${dir.slice(home.length)}`
  return dir
}

/** "you approved Bash(npm test) in ~/work/api 14 of 14 times over 9 days — `tend rules accept 2`" */
export function suggestionLine(s: Suggestion, n: number, home: string): string {
  const asked = s.approvals + s.denials
  const over = `${s.days} ${s.days === 1 ? 'day' : 'days'}`
  return `you approved ${s.rule} in ${suggestionPlace(s.path, home)} ${s.approvals} of ${asked} times over ${over} — \`tend rules accept ${n}\``
}

/**
 * The line this digest adds, or null: the best suggestion (they come best first, numbered from 1 as
 * `tend rules suggest` numbers them) not shown within `quietMs` before `now`. `shown` is what to
 * remember once the digest went; entries older than the quiet time are dropped.
 */
export function digestSuggestion(input: {
  now: number
  suggestions: Suggestion[]
  shown: ShownSuggestions
  home: string
  quietMs?: number
}): { line: string; shown: ShownSuggestions } | null {
  const quiet = input.quietMs ?? SUGGESTION_QUIET_MS
  const recent = (at: number | undefined) => at !== undefined && input.now - at < quiet
  const i = input.suggestions.findIndex((s) => !recent(input.shown[suggestionKey(s)]))
  if (i < 0) return null
  const s = input.suggestions[i]!
  const shown: ShownSuggestions = {}
  for (const [k, at] of Object.entries(input.shown)) if (recent(at)) shown[k] = at
  shown[suggestionKey(s)] = input.now
  return { line: suggestionLine(s, i + 1, input.home), shown }
}
