// Pure builders for the Slack payload shapes the fake pushes: event_callback wrappers and block_actions.
import { randomBytes, randomUUID } from 'node:crypto'

/** Who the fake workspace and its installed app are. */
export interface FakeIdentity {
  teamId: string
  teamDomain: string
  appId: string
  botUserId: string
  botId: string
}

/** A message as Slack returns it (chat.postMessage `message`, conversations.replies `messages[]`), plus its channel. */
export interface StoredMessage {
  channel: string
  type: 'message'
  ts: string
  text: string
  user: string
  team: string
  blocks?: unknown[]
  thread_ts?: string
  bot_id?: string
  app_id?: string
  edited?: { user: string; ts: string }
  reply_count?: number
  latest_reply?: string
}

export interface Button {
  action_id: string
  block_id: string
  value?: string
  text?: unknown
  style?: string
}

const randomId = (prefix: string, len = 10): string =>
  prefix + randomBytes(len).toString('hex').toUpperCase().slice(0, len)

export const newEventId = (): string => randomId('Ev')

/** D… for IMs, C… public, G… private/mpim: drives `channel_type` as Slack does. */
export function channelType(channel: string): 'im' | 'channel' | 'group' {
  if (channel.startsWith('D')) return 'im'
  if (channel.startsWith('G')) return 'group'
  return 'channel'
}

/** The message as it appears inside API responses and events (no `channel` key). */
export function toSlackMessage(m: StoredMessage): Omit<StoredMessage, 'channel'> {
  const { channel: _channel, ...rest } = m
  return rest
}

/** The events_api payload wrapper around one inner event. */
export function eventCallback(id: FakeIdentity, event: Record<string, unknown>, eventId = newEventId()) {
  return {
    token: 'fake-verification-token',
    team_id: id.teamId,
    context_team_id: id.teamId,
    api_app_id: id.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: id.teamId, user_id: id.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('hex')}`,
  }
}

/** A person's message event; `parent_user_id` only on thread replies, as in Slack. */
export function personMessageEvent(
  id: FakeIdentity,
  m: { user: string; channel: string; text: string; ts: string; thread_ts?: string; parentUser?: string },
) {
  return {
    type: 'message',
    channel_type: channelType(m.channel),
    user: m.user,
    text: m.text,
    ts: m.ts,
    event_ts: m.ts,
    channel: m.channel,
    team: id.teamId,
    client_msg_id: randomUUID(),
    blocks: [
      {
        type: 'rich_text',
        block_id: randomId('', 5),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: m.text }] }],
      },
    ],
    ...(m.thread_ts !== undefined && { thread_ts: m.thread_ts }),
    ...(m.thread_ts !== undefined && m.parentUser !== undefined && { parent_user_id: m.parentUser }),
  }
}

/** The echo Slack sends for the bot's own post: same message, `bot_id` set. */
export function botMessageEvent(m: StoredMessage) {
  return { ...toSlackMessage(m), channel: m.channel, channel_type: channelType(m.channel), event_ts: m.ts }
}

/** `message_changed` after chat.update: hidden, wraps the new and previous versions. */
export function messageChangedEvent(m: StoredMessage, previous: StoredMessage, eventTs: string) {
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: m.channel,
    channel_type: channelType(m.channel),
    ts: eventTs,
    event_ts: eventTs,
    message: toSlackMessage(m),
    previous_message: toSlackMessage(previous),
  }
}

/** Find a button in a stored message's blocks, so clicks default to the real block_id/value. */
export function findButton(message: StoredMessage | undefined, actionId: string): Button | undefined {
  for (const block of (message?.blocks ?? []) as Array<{ block_id?: string; elements?: unknown[] }>) {
    for (const el of (block.elements ?? []) as Array<Record<string, unknown>>) {
      if (el.type === 'button' && el.action_id === actionId) {
        return {
          action_id: actionId,
          block_id: block.block_id ?? '',
          ...(typeof el.value === 'string' && { value: el.value }),
          text: el.text,
          ...(typeof el.style === 'string' && { style: el.style }),
        }
      }
    }
  }
  return undefined
}

/** A block_actions interaction payload for one button click on a message. */
export function blockActions(
  id: FakeIdentity,
  c: { user: string; username: string; channel: string; message_ts: string; button: Button; message: unknown },
  responseUrl: string,
) {
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`
  return {
    type: 'block_actions',
    user: { id: c.user, username: c.username, name: c.username, team_id: id.teamId },
    api_app_id: id.appId,
    token: 'fake-verification-token',
    container: { type: 'message', message_ts: c.message_ts, channel_id: c.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`,
    team: { id: id.teamId, domain: id.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: c.channel, name: channelType(c.channel) === 'im' ? 'directmessage' : c.channel.toLowerCase() },
    message: c.message,
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: c.button.action_id,
        block_id: c.button.block_id,
        text: c.button.text ?? { type: 'plain_text', text: c.button.action_id, emoji: true },
        ...(c.button.value !== undefined && { value: c.button.value }),
        ...(c.button.style !== undefined && { style: c.button.style }),
        action_ts: actionTs,
      },
    ],
  }
}
