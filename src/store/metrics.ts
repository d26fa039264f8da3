// The raw samples for the attention metrics, over a time window.
import { and, eq, gte, inArray, isNotNull } from 'drizzle-orm'
import type { Db } from './db.ts'
import { events, waits } from './schema.ts'

export function metricSamples(db: Db, since: number) {
  const workSpans = db
    .select({ workMs: waits.workMs })
    .from(waits)
    .where(and(gte(waits.startedAt, since), isNotNull(waits.workMs)))
    .all()
    .map((r) => r.workMs!)
  const waitDurations = db
    .select({ startedAt: waits.startedAt, endedAt: waits.endedAt })
    .from(waits)
    // Waits the person ended (at the terminal or by a reply): not the ones the agent resumed from itself.
    .where(and(gte(waits.startedAt, since), isNotNull(waits.endedAt), inArray(waits.endedBy, ['terminal', 'reply'])))
    .all()
    .map((r) => r.endedAt! - r.startedAt)
  // The person's instructions (typed, or replies from elsewhere): not Claude Code's own prompts (core/prompt-origin.ts).
  const promptTimes = db
    .select({ at: events.occurredAt })
    .from(events)
    .where(
      and(
        eq(events.name, 'UserPromptSubmit'),
        eq(events.late, false),
        gte(events.occurredAt, since),
        inArray(events.origin, ['person', 'reply']),
      ),
    )
    .all()
    .map((r) => r.at)
  return { workSpans, waitDurations, promptTimes }
}
