// Time-based corrections the hooks can't make: Esc fires no hook, SessionEnd is unreliable.
import type { AgentSnapshot, Transition } from './agent-state.ts'

export interface StalenessPolicy {
  /** A working agent silent this long was most likely interrupted with Esc. */
  staleAfterMs: number
  /** While a tool runs (PreToolUse without its Post event), allow at least this long. */
  toolStaleAfterMs: number
  /** Any non-ended agent silent this long is considered gone. */
  expireAfterMs: number
}

export const DEFAULT_STALENESS: StalenessPolicy = {
  staleAfterMs: 5 * 60_000,
  toolStaleAfterMs: 30 * 60_000,
  expireAfterMs: 24 * 60 * 60_000,
}

/**
 * What the clock alone says about an agent. `alive` is whether its Claude Code process still
 * exists (undefined when unknown). Returns null when nothing changes.
 */
export function sweep(agent: AgentSnapshot, now: number, policy: StalenessPolicy, alive?: boolean): Transition | null {
  if (agent.state === 'ended') return null
  const silentMs = now - agent.lastEventAt
  if (alive === false || silentMs >= policy.expireAfterMs) {
    const next: AgentSnapshot = { ...agent, state: 'ended', stateSince: now, openWait: null, toolInFlight: null }
    return {
      agent: next,
      late: false,
      presence: false,
      closeWait: agent.openWait ? { reason: 'expired', at: now } : null,
      openWait: null,
    }
  }
  if (agent.state !== 'working') return null
  const tool = agent.toolInFlight
  const limit = tool
    ? Math.max(policy.toolStaleAfterMs, (tool.timeoutMs ?? 0) + policy.staleAfterMs)
    : policy.staleAfterMs
  if (silentMs < limit) return null
  const workMs = agent.workMs + Math.max(0, agent.lastEventAt - agent.stateSince)
  return {
    // Stale since its last sign of life: an event stamped after that (a Stop racing this sweep) still counts.
    agent: { ...agent, state: 'stale', stateSince: agent.lastEventAt, workMs },
    late: false,
    presence: false,
    closeWait: null,
    openWait: null,
  }
}
