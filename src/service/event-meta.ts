// The facts that travel with an event besides its payload: when the hook ran, which process, which machine.
import type { EventMeta } from '../core/hook-event.ts'

/** A hook's own time stamp is trusted unless it is absurd (clock jumps, garbage). */
const MAX_PAST_MS = 7 * 24 * 3600_000
const MAX_FUTURE_MS = 5_000

export function eventMeta(
  headers: { time?: string; pid?: string; ppid?: string; machine?: string },
  now: number,
): EventMeta {
  const stamped = Number(headers.time)
  const occurredAt =
    Number.isFinite(stamped) && stamped > now - MAX_PAST_MS && stamped < now + MAX_FUTURE_MS ? Math.trunc(stamped) : now
  const positive = (v: string | undefined) => {
    const n = Number(v)
    return Number.isInteger(n) && n > 1 ? n : undefined
  }
  return {
    occurredAt,
    receivedAt: now,
    pid: positive(headers.pid),
    hookParentPid: positive(headers.ppid),
    machine: headers.machine || undefined,
  }
}
