// Group commit: events that arrive together (many agents at once) are stored in one transaction,
// each in its own savepoint, so one bad event never takes the others with it. Every caller is
// answered after the commit, in arrival order.
import type { Db } from '../store/db.ts'

export interface IngestQueue<In, Out> {
  push(item: In): Promise<Out>
}

export function createIngestQueue<In, Out>(
  db: Db,
  /** Stores one item inside the batch's transaction (its own savepoint). */
  store: (item: In) => Out,
  /** After the commit, per stored item: what follows it (holds, presence, listeners). */
  committed: (item: In, out: Out) => Out,
): IngestQueue<In, Out> {
  interface Queued {
    item: In
    resolve(out: Out): void
    reject(err: unknown): void
  }
  let queue: Queued[] = []
  function flush() {
    const batch = queue
    queue = []
    let outcomes: Array<{ out: Out } | { error: unknown }>
    try {
      outcomes = db.transaction(() =>
        batch.map((q) => {
          try {
            return { out: store(q.item) }
          } catch (error) {
            return { error }
          }
        }),
      )
    } catch (error) {
      for (const q of batch) q.reject(error)
      return
    }
    batch.forEach((q, i) => {
      const outcome = outcomes[i]!
      if ('error' in outcome) q.reject(outcome.error)
      else q.resolve(committed(q.item, outcome.out))
    })
  }
  return {
    push(item) {
      return new Promise((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (queue.length === 1) setImmediate(flush)
      })
    },
  }
}
