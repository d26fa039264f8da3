// What comes in over the socket, routed to one wait: thread replies and Approve / Deny, from allow-listed people only.
import type { Answer } from '../core/answer.ts'
import type { Logger } from '../log.ts'
import { answerWait } from '../service/answers.ts'
import { Refusal } from '../service/errors.ts'
import type { Services } from '../service/services.ts'
import { ACTION } from './blocks.ts'
import { escapeKeepingMentions, fromSlackText } from './mrkdwn.ts'
import type { ThreadMatch } from './refs.ts'
import type { InboundEnvelope } from './socket.ts'

/** Who we are in Slack (from auth.test); null until known. */
export interface SlackIdentity {
  botUserId: string | null
  teamId: string | null
}

export interface RouteContext {
  allowed: ReadonlySet<string>
  identity: SlackIdentity
  findThread(channel: string, ts: string): ThreadMatch | null
}

type Place = { channel: string; threadTs: string }
export type Route =
  | { do: 'ignore'; why: string }
  /** Said in the thread; nothing reaches the agent. */
  | ({ do: 'tell'; why: string; text: string } & Place)
  | ({ do: 'answer'; waitId: string; label: string; answer: Answer; by: string } & Place)

/** Subtypes of a person's message: a reply also sent to the channel still is a reply. */
const PERSON_SUBTYPES = new Set(['thread_broadcast', 'file_share'])

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})

export function whoMayAnswer(allowed: ReadonlySet<string>): string {
  return allowed.size ? [...allowed].map((u) => `<@${u}>`).join(', ') : 'nobody (set slack.user or slack.allowedUsers)'
}

function stranger(user: string, allowed: ReadonlySet<string>, place: Place): Route {
  const text = `<@${user}>, only ${whoMayAnswer(allowed)} may answer this agent. Nothing was sent to it.`
  return { do: 'tell', why: 'not allowed', text, ...place }
}

/** Decides what one delivery means. Pure but for the lookups in ctx. */
export function routeEnvelope(envelope: InboundEnvelope, ctx: RouteContext): Route {
  if (envelope.type === 'events_api') return routeMessage(envelope.body, ctx)
  if (envelope.type === 'interactive') return routeAction(envelope.body, ctx)
  return { do: 'ignore', why: `${envelope.type} envelope` }
}

function otherTeam(teamId: string | undefined, ctx: RouteContext): boolean {
  return Boolean(teamId && ctx.identity.teamId && teamId !== ctx.identity.teamId)
}

function routeMessage(body: Record<string, unknown>, ctx: RouteContext): Route {
  const event = obj(body['event'])
  if (event['type'] !== 'message') return { do: 'ignore', why: `${String(event['type'])} event` }
  if (otherTeam(str(body['team_id']), ctx)) return { do: 'ignore', why: 'another team' }
  const subtype = str(event['subtype'])
  // Our own posts and updates come back as events: bot_id, our user, or a subtype (message_changed, bot_message …).
  if (event['bot_id'] !== undefined || (subtype && !PERSON_SUBTYPES.has(subtype))) {
    return { do: 'ignore', why: subtype ?? 'a bot message' }
  }
  const user = str(event['user'])
  if (!user || user === ctx.identity.botUserId) return { do: 'ignore', why: 'our own message' }
  const channel = str(event['channel'])
  const ts = str(event['ts'])
  const threadTs = str(event['thread_ts'])
  if (!channel || !ts) return { do: 'ignore', why: 'no channel or ts' }
  if (!threadTs || threadTs === ts) {
    // A message beside the pings, in the DM: say where answers go.
    if (event['channel_type'] === 'im' && ctx.allowed.has(user)) {
      const text = 'To answer an agent, reply in the thread of its message.'
      return { do: 'tell', why: 'top level', text, channel, threadTs: ts }
    }
    return { do: 'ignore', why: 'not in a thread' }
  }
  const match = ctx.findThread(channel, threadTs)
  if (!match) return { do: 'ignore', why: 'not the thread of a tend ping' }
  const place = { channel, threadTs }
  if (!ctx.allowed.has(user)) return stranger(user, ctx.allowed, place)
  const text = fromSlackText(str(event['text']) ?? '').trim()
  if (!text)
    return { do: 'tell', why: 'empty', text: 'That reply has no text; nothing was sent to the agent.', ...place }
  const answer: Answer = { action: 'reply', text: text.slice(0, 10_000) }
  return { do: 'answer', waitId: match.waitId, label: match.ref.card.label, answer, by: user, ...place }
}

function routeAction(body: Record<string, unknown>, ctx: RouteContext): Route {
  if (body['type'] !== 'block_actions') return { do: 'ignore', why: `${String(body['type'])} interaction` }
  if (otherTeam(str(obj(body['team'])['id']), ctx)) return { do: 'ignore', why: 'another team' }
  const action = obj((body['actions'] as unknown[] | undefined)?.[0])
  const actionId = str(action['action_id'])
  if (actionId !== ACTION.approve && actionId !== ACTION.deny) return { do: 'ignore', why: `action ${actionId}` }
  const container = obj(body['container'])
  const channel = str(container['channel_id']) ?? str(obj(body['channel'])['id'])
  const ts = str(container['message_ts']) ?? str(obj(body['message'])['ts'])
  const user = obj(body['user'])
  const userId = str(user['id'])
  if (!channel || !ts || !userId) return { do: 'ignore', why: 'no channel, message or user' }
  const place = { channel, threadTs: ts }
  const match = ctx.findThread(channel, ts)
  if (!match) {
    return {
      do: 'tell',
      why: 'unknown message',
      text: 'tend does not know this message any more; nothing was sent.',
      ...place,
    }
  }
  // The button must carry the wait of the message it sits on.
  if (str(action['value']) !== match.waitId) return { do: 'ignore', why: 'button value does not match the message' }
  if (!ctx.allowed.has(userId)) return stranger(userId, ctx.allowed, place)
  const name = str(user['username']) ?? str(user['name']) ?? userId
  const answer: Answer =
    actionId === ACTION.approve ? { action: 'approve' } : { action: 'deny', message: `Denied in Slack by ${name}.` }
  return { do: 'answer', waitId: match.waitId, label: match.ref.card.label, answer, by: userId, ...place }
}

const DONE: Record<Answer['action'], (label: string) => string> = {
  reply: (label) => `:white_check_mark: Sent to ${label}: it goes on with your reply.`,
  approve: (label) => `:white_check_mark: Approved: ${label} goes on.`,
  deny: (label) => `:no_entry_sign: Denied: ${label} was told no.`,
}

export interface InboundDeps extends RouteContext {
  services: Services
  log: Logger
  post(channel: string, threadTs: string, text: string): Promise<void>
}

export interface Inbound {
  handle(envelope: InboundEnvelope): Promise<void>
}

/** Dedupe (redeliveries: new envelope_id, same event_id), route, answer the wait, then say in the thread what happened. */
export function createInbound(deps: Omit<InboundDeps, 'identity'> & { identity(): SlackIdentity }): Inbound {
  const seen = new Map<string, number>()
  const SEEN_MS = 60 * 60_000

  function firstTime(keys: string[]): boolean {
    const now = Date.now()
    if (keys.some((k) => seen.has(k))) return false
    for (const k of keys) seen.set(k, now)
    for (const [k, at] of seen) {
      if (now - at < SEEN_MS && seen.size <= 5000) break
      seen.delete(k)
    }
    return true
  }

  return {
    async handle(envelope) {
      const eventId = str(envelope.body['event_id'])
      const event = obj(envelope.body['event'])
      // The same message can come live, redelivered (new envelope, same event_id) and from a catch-up read (no event_id).
      const [channel, ts] = [str(event['channel']), str(event['ts'])]
      const message = channel && ts ? `message:${channel}:${ts}` : null
      const keys = [
        `envelope:${envelope.envelopeId}`,
        ...(eventId ? [`event:${eventId}`] : []),
        ...(message ? [message] : []),
      ]
      if (!firstTime(keys)) {
        deps.log.info('slack: duplicate delivery ignored', {
          envelopeId: envelope.envelopeId,
          eventId,
          retry: envelope.retryNum,
        })
        return
      }
      const route = routeEnvelope(envelope, {
        allowed: deps.allowed,
        identity: deps.identity(),
        findThread: deps.findThread,
      })
      if (route.do === 'ignore') return
      let text = route.do === 'tell' ? route.text : ''
      if (route.do === 'answer') {
        try {
          answerWait(deps.services, { waitId: route.waitId, answer: route.answer, via: 'slack', by: route.by })
          text = DONE[route.answer.action](route.label)
          deps.log.info('slack: answer delivered', { waitId: route.waitId, action: route.answer.action, by: route.by })
        } catch (err) {
          const message = err instanceof Refusal ? err.message : `tend could not deliver it (${(err as Error).message})`
          const nothing = /nothing/i.test(message) ? '' : '. Nothing was sent to the agent.'
          text = `:warning: ${message.charAt(0).toUpperCase()}${message.slice(1)}${nothing}`
          const code = err instanceof Refusal ? err.code : 'internal'
          deps.log.info('slack: answer refused', { waitId: route.waitId, by: route.by, code })
        }
      } else {
        deps.log.info('slack: told in thread', { why: route.why })
      }
      await deps
        .post(route.channel, route.threadTs, escapeKeepingMentions(text))
        .catch((err: Error) => deps.log.warn('slack: thread message failed', { error: err.message }))
    },
  }
}
