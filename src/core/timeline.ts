// A timeline a person can read: events by time, but never a tool's result before its call.

interface TimelineEvent {
  name: string
  toolUseId: string | null
}

const RESULTS = new Set(['PostToolUse', 'PostToolUseFailure'])

/**
 * Hooks stamp their own time, and async hooks a few ms apart can stamp out of order. Given events
 * in time order, moves each tool result that precedes its own PreToolUse to just after it.
 */
export function orderTimeline<T extends TimelineEvent>(events: T[]): T[] {
  const out = [...events]
  for (let i = 0; i < out.length; i++) {
    const e = out[i]!
    if (!RESULTS.has(e.name) || !e.toolUseId) continue
    const pre = out.findIndex((x, j) => j > i && x.name === 'PreToolUse' && x.toolUseId === e.toolUseId)
    if (pre < 0) continue
    out.splice(i, 1)
    out.splice(pre, 0, e) // pre shifted left by one: this lands right after it
    i--
  }
  return out
}
