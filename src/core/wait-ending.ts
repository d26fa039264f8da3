// How a wait ended, said the way a person would: "answered at the terminal after 3m12s". One wording
// for every front end: the Slack update, the desktop follow-up, a refused late answer.
import { formatDuration } from './duration.ts'

interface Ended {
  endedBy: string | null
  endedVia: string | null
  answeredBy: string | null
  /** The delivered answer's action, when known (approve/deny read better than "answered"). */
  action?: string | null
}

/** "answered by ann via cli", "the session ended"; `mention`: a Slack user id as a mention. */
export function endingPhrase(w: Ended, opts: { mention?: boolean } = {}): string {
  switch (w.endedBy) {
    case 'terminal':
      return 'answered at the terminal'
    case 'reply': {
      const verb = w.action === 'approve' ? 'approved' : w.action === 'deny' ? 'denied' : 'answered'
      const mention = opts.mention && w.endedVia === 'slack'
      const who = w.answeredBy ? (mention ? ` by <@${w.answeredBy}>` : ` by ${w.answeredBy}`) : ''
      return `${verb}${who} via ${w.endedVia ?? 'tend'}`
    }
    case 'resumed':
      return 'the agent resumed by itself'
    case 'superseded':
      return 'replaced by a newer wait'
    case 'session_end':
      return 'the session ended'
    case 'expired':
      return 'the agent went away'
    default:
      return w.endedBy ? `ended (${w.endedBy})` : 'ended'
  }
}

/** The phrase and how long the wait lasted, as a ping's follow-up says it. */
export function describeEnding(w: Ended, durationMs: number): string {
  return `${endingPhrase(w, { mention: true })} after ${formatDuration(durationMs)}`
}
