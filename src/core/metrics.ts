// Attention economics: how long agents work per instruction (T_work), how long they wait for the
// person, how long the person takes per instruction (T_instruct), and so how many agents the
// person can keep busy: N = T_work / T_instruct. Pure.

export interface MetricsInput {
  /** Work done between an instruction and the next block, one sample per instruction (ms). */
  workSpans: number[]
  /** Durations of waits that ended (ms). */
  waitDurations: number[]
  /** Times the person typed a prompt to any agent (ms since epoch), any order. */
  promptTimes: number[]
  /** A longer gap between two prompts is a break, not time spent instructing. */
  breakAfterMs: number
}

export interface Metrics {
  tWorkMs: number | null
  tWaitMs: number | null
  /** Total time agents spent waiting for the person. */
  waitTotalMs: number
  tInstructMs: number | null
  /** How many agents this person can keep busy; null until both clocks are known. */
  n: number | null
  samples: { instructions: number; waits: number; promptGaps: number }
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * T_instruct is estimated from the person's own rhythm: while they work through waiting agents,
 * the gap between two prompts is the time one instruction takes them (reading, thinking, typing).
 * Gaps longer than `breakAfterMs` are breaks and don't count.
 */
export function instructGaps(promptTimes: number[], breakAfterMs: number): number[] {
  const sorted = [...promptTimes].sort((a, b) => a - b)
  const gaps: number[] = []
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!
    if (gap > 0 && gap <= breakAfterMs) gaps.push(gap)
  }
  return gaps
}

export function attentionMetrics(input: MetricsInput): Metrics {
  const work = input.workSpans.filter((w) => w > 0)
  const gaps = instructGaps(input.promptTimes, input.breakAfterMs)
  const tWorkMs = median(work)
  const tInstructMs = median(gaps)
  return {
    tWorkMs,
    tWaitMs: median(input.waitDurations),
    waitTotalMs: input.waitDurations.reduce((a, b) => a + b, 0),
    tInstructMs,
    n: tWorkMs !== null && tInstructMs ? Math.round((tWorkMs / tInstructMs) * 10) / 10 : null,
    samples: { instructions: work.length, waits: input.waitDurations.length, promptGaps: gaps.length },
  }
}
