// The config file (<config dir>/config.json): zod-validated; unknown keys and bad values refused.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { HOLD_BUDGET_SEC } from './core/hold-policy.ts'

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)')
const SlackId = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^[${prefix}][A-Z0-9]{2,}$`), `must be a Slack id starting with ${prefix.split('').join(' or ')}`)

export const FileConfigSchema = z.strictObject({
  holds: z
    .strictObject({
      /** A PermissionRequest is held this long for an Approve/Deny from elsewhere (0: off). */
      permissionWindowSec: z
        .number()
        .int()
        .min(0)
        .max(HOLD_BUDGET_SEC - 60)
        .default(900),
      /** A Stop is held this long while the person is away (0: off). */
      stopWindowSec: z
        .number()
        .int()
        .min(0)
        .max(HOLD_BUDGET_SEC - 60)
        .default(4 * 3600),
      /**
       * No prompt to any agent for this long counts as away (0: only `tend away`). Long, because a
       * Stop held while the person is in fact watching queues what they type until Esc or a prompt.
       */
      autoAwayAfterSec: z
        .number()
        .int()
        .min(0)
        .default(30 * 60),
      /** Claude Code's cap on consecutive Stop blocks (its CLAUDE_CODE_STOP_HOOK_BLOCK_CAP; 0: none). */
      stopBlockCap: z.number().int().min(0).default(8),
    })
    .prefault({}),
  notify: z
    .strictObject({
      /** Nobody is pinged about a wait younger than this; it may resolve by itself. */
      graceSec: z.number().int().min(0).default(15),
      /** Re-ping the same wait when it has waited this many minutes. */
      escalationMin: z.array(z.number().positive()).max(10).default([2, 10, 30]),
      /** At most this many pings in any hour, all channels together. */
      maxPerHour: z.number().int().min(1).default(20),
      /** At least this long between two pings. */
      minGapSec: z.number().int().min(0).default(20),
      /** No desktop ping within this long of a prompt typed to any agent: the person is busy at a terminal. */
      presenceHoldSec: z.number().int().min(0).default(60),
      /** Local time range with no pings (may wrap midnight). */
      quietHours: z.strictObject({ start: ClockTime, end: ClockTime }).nullable().default(null),
      desktop: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
      slack: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Slack follows the desktop after this many minutes of waiting (at once when away). */
          afterMin: z.number().min(0).default(5),
        })
        .prefault({}),
      /** Finished agents (done waits) gathered into one digest ping; permissions, questions, errors still ping at once. */
      batch: z
        .strictObject({
          enabled: z.boolean().default(false),
          /** A digest every this many minutes, counted from local midnight (30: at :00 and :30). */
          everyMin: z.number().int().min(1).max(1440).default(30),
          /** Or at these local times instead ("09:00", "13:30"). */
          at: z.array(ClockTime).max(48).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  /** How many agents the person can run (README: "Attention economics"). */
  economics: z
    .strictObject({
      /** Nobody follows more agents than this well, however fast they are; the practical limit is min(N, this). */
      ceiling: z.number().positive().max(100).default(5),
      /** What an agent-hour costs, to price idle agent-time (null: not shown). */
      pricePerAgentHour: z.number().min(0).nullable().default(null),
      currency: z.string().min(1).max(8).default('$'),
      /** The window the measures (and the SessionStart check) use. */
      windowDays: z.number().min(1).max(90).default(7),
      /** No sign of the person for this long before an answer: a break, and that answer is no T_instruct sample. */
      breakAfterMin: z.number().positive().max(1440).default(10),
      /** Warn a new session's person when more agents are live than the practical limit. */
      warnOnStart: z.boolean().default(true),
    })
    .prefault({}),
  /** How long tend keeps what it records (README: Retention). */
  retention: z
    .strictObject({
      /** Raw event payloads are dropped this many days after they arrive (0: kept forever); the events' own columns, waits, replies, pings and agents stay. */
      payloadDays: z.number().int().min(0).default(30),
    })
    .prefault({}),
  slack: z
    .strictObject({
      /** Bot token (xoxb-…); SLACK_BOT_TOKEN overrides it. */
      botToken: z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
      /** App-level token with connections:write (xapp-…); SLACK_APP_TOKEN overrides it. */
      appToken: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
      /** The person to DM (default channel). */
      user: SlackId('UW').optional(),
      /** Post in this channel instead of a DM. */
      channel: SlackId('CGD').optional(),
      /** Who may answer (default: the DM recipient). */
      allowedUsers: z.array(SlackId('UW')).default([]),
      /** Web API base URL (tests point it at a local fake). */
      apiUrl: z.url().optional(),
    })
    .prefault({}),
})

export type FileConfig = z.infer<typeof FileConfigSchema>

export class ConfigFileError extends Error {}

/** Reads and validates the file; a missing file means every default. */
export function readConfigFile(path: string): FileConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return FileConfigSchema.parse({})
    throw new ConfigFileError(`cannot read ${path}: ${(err as Error).message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new ConfigFileError(`${path} is not valid JSON: ${(err as Error).message}`)
  }
  const parsed = FileConfigSchema.safeParse(value)
  if (!parsed.success) throw new ConfigFileError(`${path} has invalid settings:\n${z.prettifyError(parsed.error)}`)
  return parsed.data
}
