// Zod schemas of the Claude Code hook payloads tend interprets; everything else passes through.
import { z } from 'zod'

/** Fields every hook payload carries. Unknown fields are kept (looseObject), never refused. */
const BaseSchema = z.looseObject({
  session_id: z.string().min(1, 'session_id must be a non-empty string'),
  hook_event_name: z.string().min(1, 'hook_event_name must be a non-empty string'),
  cwd: z.string().optional(),
  transcript_path: z.string().optional(),
  prompt_id: z.string().optional(),
  permission_mode: z.string().optional(),
  /** Set when the event comes from a subagent (or an `--agent` session). */
  agent_id: z.string().optional(),
  agent_type: z.string().optional(),
})

const ToolFields = {
  tool_name: z.string().min(1),
  tool_input: z.record(z.string(), z.unknown()).optional(),
  tool_use_id: z.string().optional(),
}

const BackgroundTaskSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
})

/** One schema per event tend reads fields from; other event names only need the base fields. */
const InterpretedSchemas = {
  SessionStart: BaseSchema.extend({ source: z.string().optional(), model: z.string().optional() }),
  SessionEnd: BaseSchema.extend({ reason: z.string().optional() }),
  UserPromptSubmit: BaseSchema.extend({ prompt: z.string() }),
  PreToolUse: BaseSchema.extend(ToolFields),
  PostToolUse: BaseSchema.extend({ ...ToolFields, tool_response: z.unknown().optional() }),
  PostToolUseFailure: BaseSchema.extend({
    ...ToolFields,
    error: z.string().optional(),
    is_interrupt: z.boolean().optional(),
  }),
  PermissionRequest: BaseSchema.extend(ToolFields),
  Notification: BaseSchema.extend({
    message: z.string().optional(),
    title: z.string().optional(),
    notification_type: z.string().optional(),
  }),
  Stop: BaseSchema.extend({
    stop_hook_active: z.boolean().optional(),
    last_assistant_message: z.string().optional(),
    background_tasks: z.array(BackgroundTaskSchema).optional(),
  }),
  SubagentStart: BaseSchema,
  SubagentStop: BaseSchema.extend({
    stop_hook_active: z.boolean().optional(),
    last_assistant_message: z.string().optional(),
  }),
  StopFailure: BaseSchema.extend({
    error: z.string().optional(),
    last_assistant_message: z.string().optional(),
  }),
} as const

export type InterpretedEventName = keyof typeof InterpretedSchemas
export const INTERPRETED_EVENTS = Object.keys(InterpretedSchemas) as InterpretedEventName[]

export function isInterpreted(name: string): name is InterpretedEventName {
  return Object.hasOwn(InterpretedSchemas, name)
}

/**
 * Validates any hook payload: the base fields always, the event's own fields when tend reads them.
 * Unknown events and unknown fields are accepted as they are.
 */
export const HookEventSchema = BaseSchema.superRefine((value, ctx) => {
  const name = value.hook_event_name
  if (!isInterpreted(name)) return
  const result = InterpretedSchemas[name].safeParse(value)
  if (result.success) return
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
  }
})

export type HookEvent = z.infer<typeof BaseSchema> & {
  source?: string
  model?: string
  reason?: string
  prompt?: string
  tool_name?: string
  tool_input?: Record<string, unknown>
  tool_use_id?: string
  tool_response?: unknown
  error?: string
  is_interrupt?: boolean
  message?: string
  title?: string
  notification_type?: string
  stop_hook_active?: boolean
  last_assistant_message?: string
  background_tasks?: z.infer<typeof BackgroundTaskSchema>[]
}

/** The ingest-time facts that travel with a payload but are not part of it. */
export interface EventMeta {
  /** When the hook ran (ms since epoch): stamped by the hook, so spooled events keep it. */
  occurredAt: number
  /** When the receiver got it. */
  receivedAt: number
  /** Claude Code's process id, when the hook knew it (liveness checks). */
  pid?: number
  /** The hook's parent process (the shell Claude Code ran it with): leads to Claude Code's pid. */
  hookParentPid?: number
  machine?: string
}
