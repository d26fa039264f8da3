// An agent's T_work for the ranking: the median of its latest instructions' working times. Pure.
import { median } from './spread.ts'
/** T_work is the median over this many of an agent's most recent instructions, within a week. */
export const T_WORK_SAMPLES = 20
export const T_WORK_WINDOW_MS = 7 * 24 * 3600_000

/** [startedAt of the wait, working time before it (ms)], newest first. */
export type WorkSample = [at: number, workMs: number]

/**
 * The samples after a wait that followed `workMs` of work: kept newest first, at most T_WORK_SAMPLES,
 * only positive ones (a wait that followed no work says nothing about how long this agent works).
 */
export function withWorkSample(samples: readonly WorkSample[] | null, at: number, workMs: number | null): WorkSample[] {
  const list = [...(samples ?? [])]
  if (workMs === null || workMs <= 0) return list
  list.push([at, workMs])
  list.sort((a, b) => b[0] - a[0])
  return list.slice(0, T_WORK_SAMPLES)
}

/** The median of the samples within the week before `now`; null with none. */
export function tWorkOf(samples: readonly WorkSample[] | null, now: number): number | null {
  if (!samples) return null
  return median(samples.filter(([at]) => at >= now - T_WORK_WINDOW_MS).map(([, ms]) => ms))
}
