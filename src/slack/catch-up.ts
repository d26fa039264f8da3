// After a socket gap: thread replies posted while tend could not hear them, fetched and routed like live ones.
import type { Logger } from '../log.ts'
import type { ThreadIndex } from './refs.ts'
import type { InboundEnvelope } from './socket.ts'
import { describeSlackError, UPDATE_POLICY, type SlackWeb } from './web.ts'

/** Replies this long before the drop was noticed count too: a half-open socket takes seconds to be caught. */
const MARGIN_MS = 30_000

export interface CatchUpDeps {
  web: SlackWeb
  threads: ThreadIndex
  handle(envelope: InboundEnvelope): Promise<void>
  log: Logger
}

/** Reads the threads of open waits since the drop; inbound dedupes messages it already had (by channel and ts). */
export async function catchUp(deps: CatchUpDeps, downSince: number): Promise<number> {
  const oldest = ((downSince - MARGIN_MS) / 1000).toFixed(6)
  let routed = 0
  for (const { ref } of deps.threads.open()) {
    let messages: Array<Record<string, unknown>>
    try {
      const res = await deps.web.call(
        (c) => c.conversations.replies({ channel: ref.channel, ts: ref.ts, oldest, limit: 200 }),
        UPDATE_POLICY,
      )
      messages = (res.messages ?? []) as Array<Record<string, unknown>>
    } catch (err) {
      deps.log.warn('slack catch-up: cannot read a thread', { channel: ref.channel, error: describeSlackError(err) })
      continue
    }
    for (const m of messages) {
      if (m['ts'] === ref.ts || typeof m['ts'] !== 'string') continue
      const event = {
        ...m,
        type: 'message',
        channel: ref.channel,
        channel_type: ref.channel.startsWith('D') ? 'im' : 'channel',
      }
      await deps.handle({ type: 'events_api', envelopeId: `catch-up:${ref.channel}:${m['ts']}`, body: { event } })
      routed++
    }
  }
  if (routed) deps.log.info('slack catch-up after reconnect', { messages: routed })
  return routed
}
