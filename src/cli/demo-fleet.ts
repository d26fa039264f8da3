// The simulated fleet of `tend demo`: six agents on realistic projects, and what each does next
// when it is answered. Pure: payloads are built from the spec, ids and time are passed in.

/** A hook payload as Claude Code sends it. */
export type Payload = Record<string, unknown> & { session_id: string; hook_event_name: string }

export interface ToolCall {
  name: string
  input: Record<string, unknown>
  response?: unknown
}

/** How a turn ends: the agent blocks on the person. */
export type Block =
  | { kind: 'permission'; tool: ToolCall }
  | { kind: 'stop'; message: string }
  | { kind: 'error'; error: string; message: string }

/** A turn: tools it runs unasked (each about a second apart), then the block. */
export interface Scene {
  work: ToolCall[]
  block: Block
}

export interface DemoAgentSpec {
  /** The project directory's name: what `tend reply <project>` takes. */
  project: string
  /** Claude Code with tend's mod (2.1.287+): replies arrive as the person's prompt, Stops aren't held. */
  mod: boolean
  model: string
  prompt: string
  /** How long ago its opening block began (the demo starts with waits of different ages). */
  waitedMs: number
  /** The turns, in order; the first is the one it is blocked in when the demo starts. */
  scenes: Scene[]
  /** Instead of the next scene when a permission is denied. */
  onDeny?: Scene
  /** The opening turn is still running: its block comes this long after the demo starts. */
  busyForMs?: number
  /** A subagent ran part of the opening turn. */
  subagent?: string
}

/** How a blocked agent was answered. */
export type Answer =
  { kind: 'allow' } | { kind: 'deny'; message?: string } | { kind: 'reply'; text: string; path: 'hook' | 'mod' }

const bash = (command: string, description: string, stdout = ''): ToolCall => ({
  name: 'Bash',
  input: { command, description },
  response: { stdout, stderr: '', interrupted: false },
})
const read = (file: string): ToolCall => ({ name: 'Read', input: { file_path: file } })
const grep = (pattern: string, path = '.'): ToolCall => ({ name: 'Grep', input: { pattern, path } })
const edit = (file: string, oldString: string, newString: string): ToolCall => ({
  name: 'Edit',
  input: { file_path: file, old_string: oldString, new_string: newString, replace_all: false },
  response: { filePath: file, oldString, newString },
})

const MIN = 60_000

export const FLEET: DemoAgentSpec[] = [
  {
    project: 'billing-api',
    mod: false,
    model: 'claude-sonnet-4-5',
    prompt: 'Add the invoice_lines.tax_cents column with a migration, backfill it, and check it on staging',
    waitedMs: 3 * MIN + 12_000,
    subagent: 'Explore',
    scenes: [
      {
        work: [
          grep('tax_cents', 'prisma'),
          read('prisma/schema.prisma'),
          edit(
            'prisma/schema.prisma',
            '  amountCents Int',
            '  amountCents Int\n  taxCents    Int @default(0) @map("tax_cents")',
          ),
          bash('npx prisma migrate dev --name invoice_line_tax --create-only', 'Create the migration'),
        ],
        block: {
          kind: 'permission',
          tool: bash(
            'DATABASE_URL=$STAGING_DATABASE_URL npx prisma migrate deploy',
            'Apply the pending migration to the staging database',
            'Applying migration `20261130_invoice_line_tax`\nAll migrations have been successfully applied.',
          ),
        },
      },
      {
        work: [bash('npm run backfill:tax -- --env staging', 'Backfill tax_cents on staging', '41,208 rows updated')],
        block: {
          kind: 'stop',
          message:
            'The migration is applied on staging and 41,208 invoice lines are backfilled (12 s, no locks held).\n\nShall I open the PR against main now, or wait for tonight’s load test?',
        },
      },
      {
        work: [
          bash(
            'gh pr create --fill --base main',
            'Open the pull request',
            'https://github.com/acme/billing-api/pull/482',
          ),
        ],
        block: { kind: 'stop', message: 'Opened PR #482 (migration, backfill script, and a test for the new column).' },
      },
    ],
    onDeny: {
      work: [],
      block: {
        kind: 'stop',
        message: 'Understood, I did not touch staging. Should I run the migration against a local copy of it instead?',
      },
    },
  },
  {
    project: 'storefront',
    mod: false,
    model: 'claude-sonnet-4-5',
    prompt: 'The checkout page breaks on small phones: fix the layout',
    waitedMs: 6 * MIN + 40_000,
    scenes: [
      {
        work: [
          read('src/components/CartDrawer.tsx'),
          bash('npx playwright test checkout --project=iphone-se', 'Run the mobile checkout tests'),
        ],
        block: {
          kind: 'stop',
          message:
            'Below 380 px the cart drawer overlaps the sticky checkout footer, so the Pay button is hidden.\n\nShould I turn the drawer into a bottom sheet on small screens, or keep the drawer and hide the footer while it is open?',
        },
      },
      {
        work: [read('src/components/CheckoutFooter.tsx')],
        block: {
          kind: 'permission',
          tool: edit(
            'src/components/CartDrawer.tsx',
            '<Drawer side="right" open={open}>',
            '<Drawer side={isNarrow ? "bottom" : "right"} open={open}>',
          ),
        },
      },
      {
        work: [
          bash('npx playwright test checkout --update-snapshots', 'Update the checkout snapshots', '12 passed (9.4s)'),
        ],
        block: { kind: 'stop', message: 'Fixed: the Pay button stays visible down to 320 px. 12 checkout tests pass.' },
      },
    ],
  },
  {
    project: 'platform-infra',
    mod: false,
    model: 'claude-opus-4-1',
    prompt: 'Resize the Redis cache to r7g.large; evictions are spiking every evening',
    waitedMs: 52_000,
    scenes: [
      {
        work: [
          edit('modules/redis_cache/main.tf', 'node_type = "cache.t4g.medium"', 'node_type = "cache.r7g.large"'),
          bash(
            'terraform plan -target=module.redis_cache -out=redis.plan',
            'Plan the change',
            'Plan: 0 to add, 1 to change, 0 to destroy.',
          ),
        ],
        block: {
          kind: 'permission',
          tool: bash(
            'terraform apply redis.plan',
            'Apply the planned resize',
            'Apply complete! Resources: 0 added, 1 changed, 0 destroyed.',
          ),
        },
      },
      {
        work: [
          bash(
            'aws elasticache describe-replication-groups --replication-group-id shop-cache',
            'Check the new node type',
          ),
        ],
        block: {
          kind: 'stop',
          message:
            'Applied: shop-cache now runs cache.r7g.large (0 added, 1 changed, 0 destroyed), no failover needed.',
        },
      },
    ],
    onDeny: {
      work: [],
      block: {
        kind: 'stop',
        message: 'OK, nothing applied. Do you want me to post the plan in #infra-review for a second pair of eyes?',
      },
    },
  },
  {
    project: 'handbook',
    mod: true,
    model: 'claude-sonnet-4-5',
    prompt: 'Rewrite the onboarding guide for new engineers; check every link',
    waitedMs: 12 * MIN + 5_000,
    scenes: [
      {
        work: [
          read('docs/onboarding.md'),
          bash('npx markdown-link-check docs/onboarding.md', 'Check the links', '61 links checked.'),
        ],
        block: {
          kind: 'stop',
          message: 'Rewrote docs/onboarding.md: 14 sections, every one of its 61 links checked, screenshots refreshed.',
        },
      },
    ],
  },
  {
    project: 'ranker',
    mod: true,
    model: 'claude-opus-4-1',
    prompt: 'Run the feature ablation for the new ranker and summarise what each feature is worth',
    waitedMs: 2 * MIN + 30_000,
    scenes: [
      {
        work: [
          read('configs/ablation.yaml'),
          bash('python -m ranker.ablate --config configs/ablation.yaml', 'Run the ablation'),
        ],
        block: {
          kind: 'error',
          error: 'overloaded_error',
          message: 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        },
      },
      {
        work: [
          bash(
            'python -m ranker.report runs/ablation-1130',
            'Summarise the runs',
            'nDCG@10 by feature written to report.md',
          ),
        ],
        block: {
          kind: 'stop',
          message:
            'Ablation done (report.md): recency is worth +3.1 nDCG@10, price +0.4, and dwell time nothing measurable. Do you want me to drop dwell time from the model?',
        },
      },
    ],
  },
  {
    project: 'ios-app',
    mod: false,
    model: 'claude-sonnet-4-5',
    prompt: 'Run the UI tests on the small devices and fix what fails',
    waitedMs: 0,
    busyForMs: 25_000,
    scenes: [
      {
        work: [
          bash(
            "xcodebuild test -scheme Shop -destination 'platform=iOS Simulator,name=iPhone SE (3rd generation)'",
            'Run the UI tests',
            'Executed 148 tests, with 2 failures',
          ),
        ],
        block: {
          kind: 'stop',
          message:
            'Two snapshot tests fail on the iPhone SE: the order summary shifts by 4 pt when the promo banner shows.\n\nShould I fix the layout, or update the snapshots if the shift is intended?',
        },
      },
    ],
  },
]

/** What an agent says when its script has run out: it did what it was told. */
export function afterwards(answer: Answer): Scene {
  const asked = answer.kind === 'reply' ? answer.text.replace(/\s+/g, ' ').trim() : ''
  const gist = asked.length > 80 ? `${asked.slice(0, 79)}…` : asked
  return {
    work: [read('README.md'), grep('TODO'), bash('npm test', 'Run the tests', 'All tests passed.')],
    block: { kind: 'stop', message: gist ? `Done: “${gist}”. The tests pass.` : 'Done. The tests pass.' },
  }
}

/** The scene an agent plays after being answered in scene `index`. */
export function nextScene(spec: DemoAgentSpec, index: number, answer: Answer): { scene: Scene; index: number } {
  if (answer.kind === 'deny') {
    const scene = spec.onDeny ?? {
      work: [],
      block: { kind: 'stop', message: 'Understood, I won’t run that. How would you like me to go on instead?' },
    }
    return { scene, index }
  }
  const next = spec.scenes[index + 1]
  return next ? { scene: next, index: index + 1 } : { scene: afterwards(answer), index: spec.scenes.length }
}

/** Builds the payloads of one session: the fields every event carries, then the event's own. */
export function sessionPayloads(sessionId: string, cwd: string, home: string) {
  const transcript = `${home}/.claude/projects/${cwd.replace(/[^A-Za-z0-9]/g, '-')}/${sessionId}.jsonl`
  let toolSeq = 0
  const base = (name: string, extra: Record<string, unknown> = {}): Payload => ({
    session_id: sessionId,
    transcript_path: transcript,
    cwd,
    permission_mode: 'default',
    hook_event_name: name,
    ...extra,
  })
  const toolUseId = () => `toolu_demo${sessionId.slice(0, 8)}${String(++toolSeq).padStart(4, '0')}`
  return {
    start: (model: string) => base('SessionStart', { source: 'startup', model }),
    prompt: (prompt: string) => base('UserPromptSubmit', { prompt }),
    /** PreToolUse and PostToolUse of a call that needed no permission. */
    tool(call: ToolCall, subagent?: string): Payload[] {
      const id = toolUseId()
      const sub = subagent ? { agent_id: `a${sessionId.slice(0, 15)}`, agent_type: subagent } : {}
      return [
        base('PreToolUse', { tool_name: call.name, tool_input: call.input, tool_use_id: id, ...sub }),
        base('PostToolUse', {
          tool_name: call.name,
          tool_input: call.input,
          tool_use_id: id,
          tool_response: call.response ?? {},
          ...sub,
        }),
      ]
    },
    /** A call that asks first: PreToolUse, then the PermissionRequest (held); PostToolUse once allowed. */
    ask(call: ToolCall): { before: Payload; request: Payload; after: Payload } {
      const id = toolUseId()
      const fields = { tool_name: call.name, tool_input: call.input, tool_use_id: id }
      return {
        before: base('PreToolUse', fields),
        request: base('PermissionRequest', {
          tool_name: call.name,
          tool_input: call.input,
          permission_suggestions: [],
        }),
        after: base('PostToolUse', { ...fields, tool_response: call.response ?? {} }),
      }
    },
    stop: (message: string, continued: boolean) =>
      base('Stop', { stop_hook_active: continued, last_assistant_message: message }),
    failure: (error: string, message: string) => base('StopFailure', { error, last_assistant_message: message }),
    end: () => base('SessionEnd', { reason: 'other' }),
  }
}
