// Is the person at the keyboard? Decides whether tend may hold a Stop (it takes their terminal).

export interface Presence {
  /** Set by `tend away`, cleared by `tend back` or a prompt typed to any agent. */
  away: boolean
  /** Last sign the person was here: a typed prompt, `tend back`, or the receiver's start. */
  lastSeenAt: number
}

export interface PresencePolicy {
  /** Without a prompt to any agent for this long, the person counts as away (0: never). */
  autoAwayAfterMs: number
}

export function isAway(p: Presence, now: number, policy: PresencePolicy): boolean {
  if (p.away) return true
  return policy.autoAwayAfterMs > 0 && now - p.lastSeenAt >= policy.autoAwayAfterMs
}

/** A prompt typed to any agent, or `tend back`: the person is here. */
export function seen(_p: Presence, at: number): Presence {
  return { away: false, lastSeenAt: at }
}

export function goAway(p: Presence): Presence {
  return { ...p, away: true }
}
