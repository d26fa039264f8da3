// Zod schemas of the Claude Code hook payloads tend interprets; everything else passes through.
import { z } from 'zod'

/** Fields every hook payload carries. Unknown fields are kept (looseObject), never refused. */
const BaseSchema = z.looseObject({
  session_id: z.string().min(1, 'session_id must be a non-empty string').max(200),
  hook_event_name: z.string().min(1, 'hook_event_name must be a non-empty string'),
  /** A path: PATH_MAX is 4096 on Linux. */
  cwd: z.string().max(4096).optional(),
  transcript_path: z.string().optional(),
  prompt_id: z.string().optional(),
  permission_mode: z.string().optional(),
  /** Set when the event comes from a subagent (or an `--agent` session). */
  agent_id: z.string().optional(),
  agent_type: z.string().optional(),
})

const BackgroundTaskSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
})

/** Every field tend reads from some event: each event's schema takes its own from here. */
const Fields = {
  source: z.string(),
  model: z.string(),
  reason: z.string(),
  prompt: z.string(),
  tool_name: z.string().min(1),
  tool_input: z.record(z.string(), z.unknown()),
  tool_use_id: z.string(),
  tool_response: z.unknown(),
  error: z.string(),
  is_interrupt: z.boolean(),
  message: z.string(),
  title: z.string(),
  notification_type: z.string(),
  stop_hook_active: z.boolean(),
  last_assistant_message: z.string(),
  background_tasks: z.array(BackgroundTaskSchema),
}
const optional = <K extends keyof typeof Fields>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, Fields[k].optional()])) as { [P in K]: z.ZodOptional<(typeof Fields)[P]> }

const ToolFields = { tool_name: Fields.tool_name, ...optional('tool_input', 'tool_use_id') }

/** One schema per event tend reads fields from; other event names only need the base fields. */
const InterpretedSchemas = {
  SessionStart: BaseSchema.extend(optional('source', 'model')),
  SessionEnd: BaseSchema.extend(optional('reason')),
  UserPromptSubmit: BaseSchema.extend({ prompt: Fields.prompt }),
  PreToolUse: BaseSchema.extend(ToolFields),
  PostToolUse: BaseSchema.extend({ ...ToolFields, ...optional('tool_response') }),
  PostToolUseFailure: BaseSchema.extend({ ...ToolFields, ...optional('error', 'is_interrupt') }),
  PermissionRequest: BaseSchema.extend(ToolFields),
  Notification: BaseSchema.extend(optional('message', 'title', 'notification_type')),
  Stop: BaseSchema.extend(optional('stop_hook_active', 'last_assistant_message', 'background_tasks')),
  SubagentStart: BaseSchema,
  SubagentStop: BaseSchema.extend(optional('stop_hook_active', 'last_assistant_message')),
  StopFailure: BaseSchema.extend(optional('error', 'last_assistant_message')),
} as const

export type InterpretedEventName = keyof typeof InterpretedSchemas
export const INTERPRETED_EVENTS = Object.keys(InterpretedSchemas) as InterpretedEventName[]

export function isInterpreted(name: string): name is InterpretedEventName {
  return Object.hasOwn(InterpretedSchemas, name)
}

/** How deep a payload's objects and arrays may nest (real ones stay under 20). */
export const MAX_DEPTH = 100

/** Whether `value` nests objects or arrays deeper than `max`; walked without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (!v || typeof v !== 'object') continue
    if (depth > max) return true
    for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1])
  }
  return false
}

const AnyFieldsSchema = z.object(Fields).partial()
/** Any hook payload as tend reads it: the base fields, and each field some event carries, optional. */
export type HookEvent = z.infer<typeof BaseSchema> & z.infer<typeof AnyFieldsSchema>

/**
 * Validates any hook payload: the base fields always, the event's own fields when tend reads them
 * (so the fields of HookEvent hold their types wherever tend reads them). Unknown events and
 * unknown fields are accepted as they are.
 */
export const HookEventSchema = BaseSchema.superRefine((value, ctx) => {
  // Deeper than any real payload, and deep enough to overflow the stack of whatever walks it next.
  if (nestedDeeperThan(value, MAX_DEPTH)) {
    ctx.addIssue({ code: 'custom', path: [], message: `nested deeper than ${MAX_DEPTH} levels` })
    return
  }
  const name = value.hook_event_name
  // The event's own fields, required as it needs them; then any field tend knows, wherever it appears,
  // of its one type (ingest reads tool_name, a message … off any event: `tool_name: false` is refused, not stored).
  const result = (isInterpreted(name) ? InterpretedSchemas[name] : AnyFieldsSchema).safeParse(value)
  const known = result.success && isInterpreted(name) ? AnyFieldsSchema.safeParse(value) : result
  if (known.success) return
  for (const issue of known.error.issues) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
  }
}).transform((value) => value as HookEvent)

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
