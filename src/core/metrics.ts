// Attention economics from the stored history: how long agents work per instruction (T_work), how
// long the person takes per instruction (T_instruct), how long agents wait and sit idle on the person,
// and so how many agents the person can keep busy: N = T_work / T_instruct. Pure: time is passed in.
import type { WaitEndReason, WaitKind } from './agent-state.ts'
import { measure, median, ratioOfMedians, type Measure, type RatioEstimate } from './spread.ts'

export { median }

/** One stored wait, as the measures see it. */
export interface WaitRecord {
  id: string
  sessionId: string
  /** The project it belongs to (git root or cwd): the grouping key. */
  project: string
  kind: WaitKind
  startedAt: number
  endedAt: number | null
  endedBy: WaitEndReason | null
  /** Work since the last block (permission waits excluded), for done/question/error waits. */
  workMs: number | null
  /** When the person answered from elsewhere (the reply's time, before it reached the agent); else endedAt. */
  answeredAt?: number | null
}

export interface History {
  waits: WaitRecord[]
  /**
   * Times the person was seen acting (ms), any order: prompts typed at a terminal, replies and
   * approvals from elsewhere, permission dialogs answered, sessions started. Claude Code's own
   * prompts (`<task-notification>`, channels) are no sign of the person.
   */
  signs: number[]
}

export interface MetricsOptions {
  /** The window [from, to) (ms). */
  from: number
  to: number
  /** No sign of the person for longer than this before an answer: they were away, their return unseen. */
  breakAfterMs: number
  minSamples?: number
}

export interface Measures {
  /** Autonomous work per instruction of the person (permission waits excluded). */
  tWork: Measure
  /** The person's time per instruction: from when they could first answer to the answer. */
  tInstruct: Measure
  /** Answers whose start is unknown: the person came back from a break, unseen, and answered. */
  instructAfterBreak: number
  /** The person's time per permission answered (same clock as T_instruct). */
  tPermission: Measure
  /** How long a wait the person ended lasted. */
  wait: Measure
  /** Agent-time spent blocked on the person within the window (open waits count up to its end). */
  idleMs: number
  /** Agent-time spent working within the window (finished pieces of work). */
  workedMs: number
  /** The person's answers within the window: instructions and permissions. */
  answers: number
  /** The person's time those answers took (T_instruct and permission samples added up). */
  attentionMs: number
  /** T_work / T_instruct with a 95% bootstrap interval; null: not enough data. */
  n: RatioEstimate | null
}

export interface MetricsReport {
  fleet: Measures
  /** By project key. */
  projects: Record<string, Measures>
  /** By session id. */
  agents: Record<string, Measures>
}

interface Sample {
  sessionId: string
  project: string
  ms: number
}

interface Samples {
  work: Sample[]
  instruct: Sample[]
  afterBreak: Sample[]
  permission: Sample[]
  wait: Sample[]
  idle: Sample[]
  worked: Sample[]
}

/** The person answered it: their instruction or permission ended the wait. */
const byPerson = (w: WaitRecord) => w.endedBy === 'terminal' || w.endedBy === 'reply'
/** Still blocked on the person (open), or until they answered; not a wait Claude Code resumed by itself. */
const onPerson = (w: WaitRecord) => w.endedAt === null || byPerson(w)
/** The agent carried on by itself (a background task's notification) or blocked again: its work continues. */
const continues = (w: WaitRecord) => w.endedBy === 'resumed' || w.endedBy === 'superseded'

/** The latest sign strictly before `at`, from ascending `signs` (binary search). */
export function lastSignBefore(signs: number[], at: number): number | null {
  let lo = 0
  let hi = signs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (signs[mid]! < at) lo = mid + 1
    else hi = mid
  }
  return lo > 0 ? signs[lo - 1]! : null
}

/**
 * When the person could first answer a wait, and so how long they took: from the later of the wait's
 * start and their last sign before the answer (they were busy with something else until then, or that
 * was their return) to the answer. Longer than `breakAfterMs`: they were away for part of it (null).
 */
export function answerTime(wait: WaitRecord, signs: number[], breakAfterMs: number): number | null {
  const answer = wait.answeredAt ?? wait.endedAt
  if (answer === null) return null
  const prev = lastSignBefore(signs, answer)
  const from = Math.max(wait.startedAt, prev ?? -Infinity)
  const ms = answer - from
  return ms > breakAfterMs ? null : ms
}

function extract(history: History, opts: MetricsOptions): Samples {
  const { from, to } = opts
  const inWindow = (t: number) => t >= from && t < to
  const signs = [...history.signs].sort((a, b) => a - b)
  const out: Samples = { work: [], instruct: [], afterBreak: [], permission: [], wait: [], idle: [], worked: [] }
  const bySession = new Map<string, WaitRecord[]>()
  for (const w of history.waits) {
    const list = bySession.get(w.sessionId)
    if (list) list.push(w)
    else bySession.set(w.sessionId, [w])
  }

  for (const list of bySession.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt)
    // One T_work sample per instruction: work across waits the agent left by itself adds up.
    let carried = 0
    for (const w of list) {
      const who = { sessionId: w.sessionId, project: w.project }
      if (w.kind !== 'permission') {
        carried += w.workMs ?? 0
        if (inWindow(w.startedAt) && w.workMs) out.worked.push({ ...who, ms: w.workMs })
        if (!continues(w)) {
          if (carried > 0 && inWindow(w.startedAt)) out.work.push({ ...who, ms: carried })
          carried = 0
        }
      }
      if (onPerson(w)) {
        const idle = Math.min(w.endedAt ?? to, to) - Math.max(w.startedAt, from)
        if (idle > 0) out.idle.push({ ...who, ms: idle })
      }
      if (!byPerson(w) || w.endedAt === null) continue
      const answer = w.answeredAt ?? w.endedAt
      if (!inWindow(answer)) continue
      out.wait.push({ ...who, ms: w.endedAt - w.startedAt })
      const took = answerTime(w, signs, opts.breakAfterMs)
      if (took === null) out.afterBreak.push({ ...who, ms: 0 })
      else (w.kind === 'permission' ? out.permission : out.instruct).push({ ...who, ms: took })
    }
  }
  return out
}

function measuresOf(s: Samples, minSamples: number | undefined): Measures {
  const ms = (list: Sample[]) => list.map((x) => x.ms)
  const sum = (list: Sample[]) => list.reduce((a, x) => a + x.ms, 0)
  return {
    tWork: measure(ms(s.work), minSamples),
    tInstruct: measure(ms(s.instruct), minSamples),
    instructAfterBreak: s.afterBreak.length,
    tPermission: measure(ms(s.permission), minSamples),
    wait: measure(ms(s.wait), minSamples),
    idleMs: sum(s.idle),
    workedMs: sum(s.worked),
    answers: s.instruct.length + s.permission.length + s.afterBreak.length,
    attentionMs: sum(s.instruct) + sum(s.permission),
    n: ratioOfMedians(ms(s.work), ms(s.instruct), { minSamples }),
  }
}

function groupBy(s: Samples, key: (x: Sample) => string): Map<string, Samples> {
  const groups = new Map<string, Samples>()
  for (const [name, list] of Object.entries(s) as [keyof Samples, Sample[]][]) {
    for (const x of list) {
      const k = key(x)
      let g = groups.get(k)
      if (!g)
        groups.set(k, (g = { work: [], instruct: [], afterBreak: [], permission: [], wait: [], idle: [], worked: [] }))
      g[name].push(x)
    }
  }
  return groups
}

/** Every measure for the fleet, each project and each agent over [from, to). */
export function measureHistory(history: History, opts: MetricsOptions): MetricsReport {
  const s = extract(history, opts)
  const map = (groups: Map<string, Samples>) =>
    Object.fromEntries([...groups].map(([k, g]) => [k, measuresOf(g, opts.minSamples)]))
  return {
    fleet: measuresOf(s, opts.minSamples),
    projects: map(groupBy(s, (x) => x.project)),
    agents: map(groupBy(s, (x) => x.sessionId)),
  }
}

/** The fleet's measures only (the SessionStart check and status need no breakdown). */
export function fleetMeasures(history: History, opts: MetricsOptions): Measures {
  return measuresOf(extract(history, opts), opts.minSamples)
}
