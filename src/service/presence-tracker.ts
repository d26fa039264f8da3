// Whether the person is here (from the prompts they type), kept across restarts; and the replies
// delivered through Stop blocks since they last typed (Claude Code caps consecutive blocks).
import { goAway, isAway, seen, type Presence } from '../core/presence.ts'
import type { Db } from '../store/db.ts'
import { recordPresenceMark } from '../store/presence-marks.ts'
import { readSetting, writeSetting } from '../store/settings.ts'

const PRESENCE_KEY = 'presence'
/** Every prompt is a sign of presence; persisting each one would cost a commit per prompt. */
const SAVE_EVERY_MS = 30_000

export type PresenceView = Presence & { awayNow: boolean }

export interface PresenceTracker {
  view(): PresenceView
  /** A prompt typed at a terminal, at `at`. */
  typed(sessionId: string, at: number): void
  /** `tend away` / `tend back`. */
  setAway(away: boolean): void
  /** When the person last typed a prompt to any agent (null: not since the receiver started). */
  lastPromptAt(): number | null
  countStopBlock(sessionId: string): void
  stopBlocks(sessionId: string): number
  /** A Stop that was not a block's continuation: the count starts again. */
  resetStopBlocks(sessionId: string): void
}

export function createPresenceTracker(opts: {
  db: Db
  now: () => number
  autoAwayAfterMs: number
  /** The person was away and is back: the terminals are theirs again. */
  onBack: () => void
  onChange: (presence: Presence) => void
}): PresenceTracker {
  const { db, now } = opts
  const policy = { autoAwayAfterMs: opts.autoAwayAfterMs }
  // A receiver that never saw a prompt counts the person present from its start.
  let presence: Presence = readSetting<Presence>(db, PRESENCE_KEY) ?? { away: false, lastSeenAt: now() }
  let lastPromptAt: number | null = null
  const blocks = new Map<string, number>()

  function set(next: Presence) {
    const wasAway = isAway(presence, now(), policy)
    const worthSaving = next.away !== presence.away || next.lastSeenAt - presence.lastSeenAt >= SAVE_EVERY_MS
    presence = next
    if (worthSaving) writeSetting(db, PRESENCE_KEY, presence)
    if (wasAway && !isAway(presence, now(), policy)) opts.onBack()
    opts.onChange(presence)
  }

  return {
    view: () => ({ ...presence, awayNow: isAway(presence, now(), policy) }),
    typed(sessionId, at) {
      blocks.delete(sessionId)
      lastPromptAt = Math.max(lastPromptAt ?? 0, at)
      if (at >= presence.lastSeenAt) set(seen(presence, at))
    },
    setAway(away) {
      // Kept as history: a return is when the person could answer again (T_instruct runs from it).
      recordPresenceMark(db, { at: now(), away })
      set(away ? goAway(presence) : seen(presence, now()))
    },
    lastPromptAt: () => lastPromptAt,
    countStopBlock: (sessionId) => void blocks.set(sessionId, (blocks.get(sessionId) ?? 0) + 1),
    stopBlocks: (sessionId) => blocks.get(sessionId) ?? 0,
    resetStopBlocks: (sessionId) => void blocks.delete(sessionId),
  }
}
