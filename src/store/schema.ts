// The drizzle schema: agents (one per Claude Code session), their events, and their waits.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { AGENT_STATES, WAIT_END_REASONS, WAIT_KINDS } from '../core/agent-state.ts'
import { ANSWER_ACTIONS } from '../core/answer.ts'
import { CHANNELS } from '../core/notify-policy.ts'
import { PROMPT_ORIGINS } from '../core/prompt-origin.ts'
import { REPLY_PATHS } from '../core/reply-path.ts'
import { RULE_KINDS, RULE_SCOPES } from '../core/rules/permission-rule.ts'

export const agents = sqliteTable(
  'agents',
  {
    sessionId: text('session_id').primaryKey(),
    cwd: text('cwd'),
    project: text('project').notNull(),
    machine: text('machine'),
    pid: integer('pid'),
    state: text('state', { enum: AGENT_STATES }).notNull(),
    /** Events older than this never overwrite the state (ms since epoch). */
    stateSince: integer('state_since').notNull(),
    lastEventAt: integer('last_event_at').notNull(),
    startedAt: integer('started_at').notNull(),
    /** The pure state machine's full snapshot (open wait, tool in flight, work clock). */
    snapshot: text('snapshot', { mode: 'json' }).notNull(),
    /** After /clear: the session this one continues in the same directory. */
    continuesSessionId: text('continues_session_id'),
    lastMessage: text('last_message'),
    /**
     * The latest T_work samples of its waits, newest first ([startedAt, workMs], at most 20, each > 0):
     * the ranking reads them here, updated with the wait that adds one, instead of from every wait.
     */
    workSamples: text('work_samples', { mode: 'json' }).$type<Array<[number, number]>>(),
  },
  (t) => [
    // status and the ranking read agents by state.
    index('agents_state_idx').on(t.state),
    // /clear looks for the session that just ended in the same directory.
    index('agents_cwd_idx').on(t.cwd),
  ],
)

export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    name: text('name').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    subagentId: text('subagent_id'),
    toolName: text('tool_name'),
    toolUseId: text('tool_use_id'),
    /** sha256 of the raw body: the dedupe key together with session and time. */
    contentHash: text('content_hash').notNull(),
    /** Arrived after a newer state: recorded, changed nothing. */
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    /** From the spool, delivered after the receiver came back. */
    replayed: integer('replayed', { mode: 'boolean' }).notNull().default(false),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /**
     * Who a UserPromptSubmit's prompt came from, or 'person' for a session started, resumed or cleared
     * at a terminal (core/prompt-origin.ts); decided once at ingest, so it outlives the payload.
     */
    origin: text('origin', { enum: PROMPT_ORIGINS }),
  },
  (t) => [
    // The stats read the person's prompts over a window, from the index alone (origin and late in it).
    index('events_name_time_idx').on(t.name, t.occurredAt, t.origin, t.late),
    // The timeline of one agent, in the order things happened; also the dedupe lookup (a session's
    // events within 2 s, then the hash), so the hash needs no index of its own.
    index('events_session_time_idx').on(t.sessionId, t.occurredAt),
  ],
)

export const waits = sqliteTable(
  'waits',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id').notNull(),
    kind: text('kind', { enum: WAIT_KINDS }).notNull(),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    /** terminal | reply | resumed | superseded | session_end | expired */
    endedBy: text('ended_by', { enum: WAIT_END_REASONS }),
    /** The channel of a reply (cli, slack, desktop, dashboard), when one ended the wait. */
    endedVia: text('ended_via'),
    /** Who answered, when known (a Slack user id, the local user). */
    answeredBy: text('answered_by'),
    /** main or agent:<id>: who in the session is blocked. */
    actor: text('actor').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Work since the last instruction that led to this wait (T_work); null for permission. */
    workMs: integer('work_ms'),
  },
  (t) => [
    index('waits_session_idx').on(t.sessionId, t.startedAt),
    // The stats read the waits of a window, from the index alone (how each ended, its T_work).
    index('waits_started_idx').on(t.startedAt, t.endedBy, t.endedAt, t.workMs),
    // Waits that overlap a window: ended within it (or still open), found without a scan of every wait.
    index('waits_ended_idx').on(t.endedAt),
    // At most one open wait per agent: the state machine's invariant, enforced by SQLite too.
    uniqueIndex('waits_one_open_idx')
      .on(t.sessionId)
      .where(sql`${t.endedAt} is null`),
  ],
)

export type AgentRow = typeof agents.$inferSelect
export type EventRow = typeof events.$inferSelect
export type WaitRow = typeof waits.$inferSelect

/** Every answer attempt (delivered or refused): who, through what, when, and what came of it. */
export const replies = sqliteTable(
  'replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    waitId: text('wait_id').notNull(),
    sessionId: text('session_id').notNull(),
    /** reply | approve | deny */
    action: text('action', { enum: ANSWER_ACTIONS }).notNull(),
    text: text('text'),
    /** core/answer.ts CHANNELS: cli | slack | desktop | dashboard | api | mcp */
    via: text('via').notNull(),
    by: text('by'),
    at: integer('at').notNull(),
    /** delivered | wait_ended | no_hold | wrong_kind (store/replies.ts ReplyOutcome) */
    outcome: text('outcome').notNull(),
    /** How a delivered answer reached the agent: through its tend mod, or a held hook. */
    path: text('path', { enum: REPLY_PATHS }),
    /** A mod delivery: when the mod last took it, and when it confirmed the submission (or why not). */
    handedAt: integer('handed_at'),
    ackedAt: integer('acked_at'),
    ackError: text('ack_error'),
  },
  (t) => [
    index('replies_wait_idx').on(t.waitId),
    // A mod's inbox (its session's replies not yet confirmed), and telling its prompts from typed ones.
    index('replies_session_idx').on(t.sessionId, t.at),
    // The stats read the replies of a window.
    index('replies_at_idx').on(t.at),
  ],
)

/** tend's Claude Code mod in each session that loaded it: what it runs in, and whether it can take replies. */
export const mods = sqliteTable('mods', {
  sessionId: text('session_id').primaryKey(),
  claudeVersion: text('claude_version').notNull(),
  modVersion: text('mod_version').notNull(),
  /** false for `claude -p`: nobody is at that session, and it exits after its last turn. */
  attended: integer('attended', { mode: 'boolean' }).notNull(),
  announcedAt: integer('announced_at').notNull(),
})

export type ModRow = typeof mods.$inferSelect

/** Small receiver-wide state that must survive a restart (presence: away or back). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
})

export type ReplyRow = typeof replies.$inferSelect

/** Every ping sent, failed, held back or cancelled, with its reason (tend pings). */
export const pings = sqliteTable(
  'pings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    waitId: text('wait_id').notNull(),
    sessionId: text('session_id').notNull(),
    /** A channel, or any (a ping held back before a channel was chosen). */
    channel: text('channel', { enum: [...CHANNELS, 'any'] }).notNull(),
    step: integer('step').notNull(),
    /** sent | failed | suppressed | cancelled */
    outcome: text('outcome').notNull(),
    /** Why it was held back or failed (not_top, quiet_hours, presence, rate_limit, …). */
    reason: text('reason'),
    detail: text('detail'),
    title: text('title'),
    body: text('body'),
    /** Where the ping lives, to update it later (Slack channel and ts). */
    ref: text('ref', { mode: 'json' }),
    at: integer('at').notNull(),
  },
  (t) => [
    // The policy reads the recent pings on every tick.
    index('pings_at_idx').on(t.at),
    index('pings_wait_idx').on(t.waitId),
    // A Slack thread reply names its message by ts: the ping it belongs to, found without a scan.
    index('pings_ref_ts_idx').on(sql`json_extract(${t.ref}, '$.ts')`),
  ],
)

/** Priority 1–5 per agent (session id) or per project path glob; 3 when none matches. */
export const priorities = sqliteTable('priorities', {
  /** A session id, or a path glob such as /home/me/work/** */
  target: text('target').primaryKey(),
  kind: text('kind').notNull(),
  priority: integer('priority').notNull(),
  setAt: integer('set_at').notNull(),
})

export type PingRow = typeof pings.$inferSelect

/**
 * Browsers signed in to the dashboard by a `tend open` link. The cookie carries `id.secret`; only the
 * secret's sha256 is kept, so a copy of the database signs nobody in.
 */
export const browserSessions = sqliteTable('browser_sessions', {
  /** Public: listed and revoked by it (tend open --sessions, --revoke). */
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  /** sha256 of the write key the login page put in that browser's localStorage (every write carries it); null: read-only. */
  writeKeyHash: text('write_key_hash'),
  userAgent: text('user_agent'),
  createdAt: integer('created_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  /** Logged out or revoked: the cookie no longer signs in. */
  revokedAt: integer('revoked_at'),
})

export type BrowserSessionRow = typeof browserSessions.$inferSelect

/** One-time login links `tend open` hands out: short-lived, taken once; only the secret's sha256 is kept. */
export const loginLinks = sqliteTable('login_links', {
  secretHash: text('secret_hash').primaryKey(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
})

/** Permission rules (Claude Code's syntax) per agent, per project path glob, or everywhere: allow, ask, deny. */
export const rules = sqliteTable('rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind', { enum: RULE_KINDS }).notNull(),
  /** Canonical rule text: `Bash(npm test:*)`, `Edit(src/**)`, `WebFetch(domain:x)`, `Read`. */
  rule: text('rule').notNull(),
  scope: text('scope', { enum: RULE_SCOPES }).notNull(),
  /** The session id (agent scope) or the path glob (path scope); null everywhere. */
  target: text('target'),
  /** What a deny tells the agent. */
  reason: text('reason'),
  /** person | suggestion: typed, or a learned suggestion the person accepted. */
  origin: text('origin', { enum: ['person', 'suggestion'] }).notNull(),
  createdAt: integer('created_at').notNull(),
})

/** Every decision a rule made on its own (the agent's timeline has an event for each too). */
export const ruleDecisions = sqliteTable(
  'rule_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    /** No foreign key: a removed rule keeps its history. */
    ruleId: integer('rule_id').notNull(),
    kind: text('kind', { enum: RULE_KINDS }).notNull(),
    /** PreToolUse (deny, ask) or PermissionRequest (allow, deny). */
    event: text('event').notNull(),
    toolName: text('tool_name').notNull(),
    /** The command or file it was about (bounded). */
    subject: text('subject'),
    at: integer('at').notNull(),
  },
  (t) => [
    // The report counts decisions per day over a window, and per rule.
    index('rule_decisions_at_idx').on(t.at),
    index('rule_decisions_rule_idx').on(t.ruleId, t.at),
  ],
)

export type RuleRow = typeof rules.$inferSelect
export type RuleDecisionRow = typeof ruleDecisions.$inferSelect

/**
 * The person's own word on where they are (`tend back`, `tend away`, the API). A return is a sign they
 * could answer from then on: T_instruct runs from it, not from a wait that started while they were gone.
 */
export const presenceMarks = sqliteTable(
  'presence_marks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    away: integer('away', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('presence_marks_at_idx').on(t.at)],
)
