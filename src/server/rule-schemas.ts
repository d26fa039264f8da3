// The rule bodies both /v1/rules and the dashboard's /ui/rules accept: a rule to add, a rule's id, and a
// call to test written like a rule.
import { z } from 'zod'
import { parsePermissionRule, RuleInputSchema } from '../core/rules/permission-rule.ts'

export const AddSchema = RuleInputSchema.and(z.object({ origin: z.enum(['person', 'suggestion']).optional() }))

export const IdSchema = z.object({ id: z.coerce.number().int().positive() })

export const TestSchema = z.object({
  /** An agent (short id, session id, project name) or an absolute directory. */
  target: z.string().min(1).max(4096),
  /** The call, written like a rule: `Bash(npm test && rm -rf /)`, `Write(/etc/hosts)`, `WebFetch(https://x)`. */
  call: z
    .string()
    .min(1)
    .max(10_000)
    .transform((text, ctx) => {
      const t = text.trim()
      const open = t.indexOf('(')
      // Any command or path may be tested: only the tool name must be one.
      const tool = open < 0 ? t : t.slice(0, open)
      const parsed = parsePermissionRule(tool)
      if (!parsed.ok || (open >= 0 && !t.endsWith(')'))) {
        ctx.addIssue({ code: 'custom', message: 'write the call like a rule: Bash(command) or Edit(path)' })
        return z.NEVER
      }
      const specifier = open < 0 ? null : t.slice(open + 1, -1)
      return { tool, specifier: specifier === '' ? null : specifier }
    }),
})
