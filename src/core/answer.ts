// What a person can answer to a wait: a reply (text), or approve / deny a permission.
import { z } from 'zod'

/** What an answer does: text for a stopped agent, or a permission decision. */
export const ANSWER_ACTIONS = ['reply', 'approve', 'deny'] as const

export const AnswerSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('reply'), text: z.string().trim().min(1, 'text must not be empty').max(10_000) }),
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('deny'), message: z.string().max(2_000).optional() }),
])
export type Answer = z.infer<typeof AnswerSchema>

export const CHANNELS = ['cli', 'slack', 'desktop', 'dashboard', 'api', 'mcp'] as const

export const AnswerRequestSchema = z.intersection(
  AnswerSchema,
  z.object({
    via: z.enum(CHANNELS).default('api'),
    by: z.string().max(200).optional(),
  }),
)
export type AnswerRequestBody = z.infer<typeof AnswerRequestSchema>

export const PresenceBodySchema = z.object({ away: z.boolean() })
