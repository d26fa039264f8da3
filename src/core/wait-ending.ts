// How a wait ended, said the way a person would: "answered at the terminal after 3m12s".
import { formatDuration } from './duration.ts'

export function describeEnding(
  w: { endedBy: string | null; endedVia: string | null; answeredBy: string | null; action?: string | null },
  durationMs: number,
): string {
  const after = `after ${formatDuration(durationMs)}`
  switch (w.endedBy) {
    case 'terminal':
      return `answered at the terminal ${after}`
    case 'reply': {
      const verb = w.action === 'approve' ? 'approved' : w.action === 'deny' ? 'denied' : 'answered'
      const who = w.answeredBy ? (w.endedVia === 'slack' ? ` by <@${w.answeredBy}>` : ` by ${w.answeredBy}`) : ''
      return `${verb}${who} via ${w.endedVia ?? 'tend'} ${after}`
    }
    case 'resumed':
      return `the agent resumed by itself ${after}`
    case 'superseded':
      return `replaced by a newer wait ${after}`
    case 'session_end':
      return `the session ended ${after}`
    case 'expired':
      return `the agent went away ${after}`
    default:
      return `ended ${after}`
  }
}
