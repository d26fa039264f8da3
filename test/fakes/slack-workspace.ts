// State of the fake Slack workspace (messages, DMs, timestamps) and the Web API methods that read and change it.
import { toSlackMessage, type FakeIdentity, type StoredMessage } from './slack-payloads.ts'

export type Args = Record<string, unknown>
export type Result = { ok: boolean } & Record<string, unknown>

export const WEB_API_METHODS = new Set([
  'auth.test',
  'apps.connections.open',
  'conversations.open',
  'chat.postMessage',
  'chat.update',
  'conversations.replies',
  'users.info',
])

export const err = (error: string): Result => ({ ok: false, error })
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

export class Workspace {
  readonly messages: StoredMessage[] = []
  private readonly dms = new Map<string, string>() // sorted user ids → D…/G… id
  private readonly previous = new Map<string, StoredMessage>() // channel/ts → version before the last update
  private lastTsMicros = 0

  constructor(
    readonly identity: FakeIdentity,
    private readonly users: Record<string, string>,
    /** Hands out a fresh Socket Mode URL for apps.connections.open. */
    private readonly issueSocketUrl: () => string,
  ) {}

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts)
  }

  mustFind(channel: string, ts: string): StoredMessage {
    const m = this.message(channel, ts)
    if (!m) throw new Error(`slack fake: no message ${channel}/${ts}`)
    return m
  }

  /** The message as it was before its last chat.update (itself if never updated). */
  previousVersion(m: StoredMessage): StoredMessage {
    return this.previous.get(`${m.channel}/${m.ts}`) ?? m
  }

  username(user: string): string {
    return this.users[user] ?? user.toLowerCase()
  }

  /** Unique, increasing, Slack-style "1700000000.000100" timestamps. */
  nextTs(): string {
    this.lastTsMicros = Math.max(Date.now() * 1000, this.lastTsMicros + 1)
    const secs = Math.floor(this.lastTsMicros / 1e6)
    return `${secs}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`
  }

  /** Append a message; a reply also marks its parent as a thread, as Slack does. */
  store(m: StoredMessage): void {
    if (m.thread_ts !== undefined) {
      const parent = this.message(m.channel, m.thread_ts)
      if (parent) {
        parent.thread_ts = parent.ts
        parent.reply_count = (parent.reply_count ?? 0) + 1
        parent.latest_reply = m.ts
      }
    }
    this.messages.push(m)
  }

  /** Run one authorised Web API method (the HTTP layer has already checked the token and the method name). */
  call(method: string, args: Args): Result {
    const id = this.identity
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${id.teamDomain}.slack.com/`,
          team: 'Fake Team',
          user: this.username(id.botUserId),
          team_id: id.teamId,
          user_id: id.botUserId,
          bot_id: id.botId,
          is_enterprise_install: false,
        }
      case 'apps.connections.open':
        return { ok: true, url: this.issueSocketUrl() }
      case 'conversations.open':
        return this.open(args)
      case 'chat.postMessage':
        return this.postMessage(args)
      case 'chat.update':
        return this.update(args)
      case 'conversations.replies':
        return this.replies(args)
      case 'users.info':
        return this.userInfo(args)
      default:
        return err('unknown_method')
    }
  }

  private open(args: Args): Result {
    const users = str(args.users)
      ?.split(',')
      .map((u) => u.trim())
      .sort()
    if (!users?.length) return err('users_list_not_supplied')
    const key = users.join(',')
    const existing = this.dms.get(key)
    if (existing) return { ok: true, no_op: true, already_open: true, channel: { id: existing } }
    return { ok: true, channel: { id: this.dmFor(key) } }
  }

  private postMessage(args: Args): Result {
    const channel = this.resolveChannel(str(args.channel))
    if (!channel) return err('channel_not_found')
    const blocks = parseBlocks(args.blocks)
    if (blocks === null) return err('invalid_blocks')
    const text = str(args.text) ?? ''
    if (!text && !blocks?.length) return err('no_text')
    const thread_ts = str(args.thread_ts)
    const m: StoredMessage = {
      channel,
      type: 'message',
      ts: this.nextTs(),
      text,
      user: this.identity.botUserId,
      team: this.identity.teamId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      ...(blocks && { blocks }),
      ...(thread_ts && { thread_ts }),
    }
    this.store(m)
    return { ok: true, channel, ts: m.ts, message: toSlackMessage(m) }
  }

  /** Needs the conversation id (not a user id), and only the bot's own messages can be edited. */
  private update(args: Args): Result {
    const channel = str(args.channel)
    const ts = str(args.ts)
    if (!channel) return err('channel_not_found')
    const m = ts === undefined ? undefined : this.message(channel, ts)
    if (!m) return err('message_not_found')
    if (m.user !== this.identity.botUserId) return err('cant_update_message')
    const blocks = parseBlocks(args.blocks)
    if (blocks === null) return err('invalid_blocks')
    this.previous.set(`${m.channel}/${m.ts}`, structuredClone(m))
    if (typeof args.text === 'string') m.text = args.text
    if (blocks) m.blocks = blocks
    m.edited = { user: this.identity.botUserId, ts: this.nextTs() }
    return { ok: true, channel, ts: m.ts, text: m.text, message: toSlackMessage(m) }
  }

  /** Parent first (Slack always includes it), then replies in ts order, filtered by oldest/latest; offset cursors. */
  private replies(args: Args): Result {
    const channel = str(args.channel)
    const ts = str(args.ts)
    if (!channel || !this.messages.some((m) => m.channel === channel)) return err('channel_not_found')
    const parent = ts === undefined ? undefined : this.message(channel, ts)
    if (!parent) return err('thread_not_found')
    const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1'
    const oldest = str(args.oldest) ?? '0'
    const latest = str(args.latest) ?? '9999999999.999999'
    const replies = this.messages
      .filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts)
      .filter((m) => (inclusive ? m.ts >= oldest && m.ts <= latest : m.ts > oldest && m.ts < latest))
      .sort((a, b) => a.ts.localeCompare(b.ts))
    const all = [parent, ...replies]
    const offset = Number(str(args.cursor) ?? 0)
    const limit = Number(args.limit ?? 1000) || 1000
    const next = offset + limit < all.length ? String(offset + limit) : ''
    return {
      ok: true,
      messages: all.slice(offset, offset + limit).map(toSlackMessage),
      has_more: next !== '',
      response_metadata: { next_cursor: next },
    }
  }

  private userInfo(args: Args): Result {
    const user = str(args.user)
    if (!user || !/^[UW]/.test(user)) return err('user_not_found')
    const name = this.username(user)
    return {
      ok: true,
      user: {
        id: user,
        team_id: this.identity.teamId,
        name,
        real_name: name,
        is_bot: user === this.identity.botUserId,
        profile: { display_name: name, real_name: name },
      },
    }
  }

  /** A `U…` channel posts into that user's DM, as Slack does; D… must have been opened; C…/G… are taken as is. */
  private resolveChannel(channel: string | undefined): string | undefined {
    if (!channel) return undefined
    if (/^[UW]/.test(channel)) return this.dms.get(channel) ?? this.dmFor(channel)
    if (channel.startsWith('D')) return [...this.dms.values()].includes(channel) ? channel : undefined
    return channel
  }

  private dmFor(usersKey: string): string {
    const prefix = usersKey.includes(',') ? 'G' : 'D'
    const id = `${prefix}0${String(this.dms.size + 1).padStart(8, '0')}`
    this.dms.set(usersKey, id)
    return id
  }
}

/** undefined = no blocks given; null = not an array (invalid_blocks). */
function parseBlocks(v: unknown): unknown[] | undefined | null {
  if (v === undefined || v === '') return undefined
  return Array.isArray(v) ? v : null
}
