// Urgency: which blocked agent to answer first, and a human-readable why for each. Pure.
import type { WaitKind } from './agent-state.ts'
import { formatDuration } from './duration.ts'

/** At equal wait, an agent mid-task (permission) blocks more than one that finished (done). */
export const KIND_WEIGHT: Record<WaitKind, number> = { permission: 4, question: 3, error: 2, done: 1 }

export const DEFAULT_PRIORITY = 3

export interface UrgencyInput {
  kind: WaitKind
  waitStartedAt: number
  /** 1 (low) … 5 (high); 3 is neutral. */
  priority: number
  /** Typical working time after one instruction (median), when known. */
  tWorkMs: number | null
}

export interface Urgency {
  score: number
  why: string
}

/** Leverage: an agent that works long after each answer is worth unblocking sooner (1× … 4×). */
export function leverage(tWorkMs: number | null): number {
  if (tWorkMs === null) return 1
  const minutes = Math.min(tWorkMs / 60_000, 30)
  return 1 + minutes / 10
}

/**
 * score = (priority / 3) × kind weight × (1 + minutes waited) × leverage
 * Grows with wait time, multiplies by priority and leverage, breaks ties by kind.
 */
export function urgency(input: UrgencyInput, now: number): Urgency {
  const waitedMs = Math.max(0, now - input.waitStartedAt)
  const priorityFactor = input.priority / DEFAULT_PRIORITY
  const kindWeight = KIND_WEIGHT[input.kind]
  const lev = leverage(input.tWorkMs)
  const score = urgencyWeight(input) * (1 + waitedMs / 60_000)
  const parts = [`${input.kind} ×${kindWeight}`, `waiting ${formatDuration(waitedMs)}`]
  if (input.priority !== DEFAULT_PRIORITY) parts.push(`priority ${input.priority} ×${round(priorityFactor)}`)
  if (input.tWorkMs !== null) {
    parts.push(`works ~${formatDuration(input.tWorkMs)} per instruction ×${round(lev)}`)
  }
  return { score: round(score), why: parts.join(' · ') }
}

/** What a minute of waiting is worth: the score is this × (1 + minutes waited). */
export function urgencyWeight(input: Omit<UrgencyInput, 'waitStartedAt'>): number {
  return (input.priority / DEFAULT_PRIORITY) * KIND_WEIGHT[input.kind] * leverage(input.tWorkMs)
}

/**
 * When `b`, ranked below `a` now, comes to outrank it by the clock alone (its score grows faster),
 * or null if it never does. Scores are straight lines in time, so this is where they cross.
 */
export function overtakesAt(a: UrgencyInput, b: UrgencyInput, now: number): number | null {
  const wa = urgencyWeight(a)
  const wb = urgencyWeight(b)
  if (wb <= wa) return null
  // wa·(1 + (t − sa)/M) = wb·(1 + (t − sb)/M), with waits counted from their start (never before it).
  const M = 60_000
  const t = (wa * (M - a.waitStartedAt) - wb * (M - b.waitStartedAt)) / (wb - wa)
  return Math.max(t, now, b.waitStartedAt)
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

/** Orders ranked items: highest score first, then the longest wait, then a stable id. */
export function compareUrgency(
  a: { score: number; waitStartedAt: number; id: string },
  b: { score: number; waitStartedAt: number; id: string },
): number {
  return b.score - a.score || a.waitStartedAt - b.waitStartedAt || a.id.localeCompare(b.id)
}
