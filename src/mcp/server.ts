// tend as an MCP server: "what needs me?" from any agent or MCP client. A front end like the CLI: it
// reads and answers through the receiver's API only. The answer tools exist only when the person
// turned them on (`tend mcp --allow-answers`): answering another agent's permission is a privilege.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import type { Answer } from '../core/answer.ts'
import type { ReceiverApi } from './receiver.ts'
import {
  agentInfo,
  AgentInfoSchema,
  agentText,
  answered,
  AnsweredSchema,
  answeredText,
  needsMe,
  NeedsMeSchema,
  needsMeText,
  stats,
  StatsSchema,
  statsText,
  type Answered,
  type Include,
} from './shapes.ts'

export const MCP_SERVER_NAME = 'tend'

export interface TendMcpOptions {
  api: ReceiverApi
  /** Register reply / approve / deny (off unless the person enables them). */
  allowAnswers: boolean
  /** Who answers, as recorded with each answer (the local user); the MCP client's name is added. */
  user: string
  version: string
}

const AgentRef = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe(
    'The agent: its short id from needs_me (e.g. "bbbb2222"), a project name only one live agent has, or "next" (the most blocked)',
  )
const WaitId = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe(
    'The wait you mean to answer (waitId from needs_me / agent). If the agent has moved on since, the answer is refused instead of reaching a newer wait',
  )

/** A tool's result: the text a model reads, and the same facts as structured content. */
const ok = (text: string, data: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text }],
  structuredContent: data,
})
const refused = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true })

/** Runs a tool body; any failure (receiver down, refusal, unknown agent) is a tool error saying why. */
async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body()
  } catch (err) {
    return refused((err as Error).message)
  }
}

export function createTendMcpServer(opts: TendMcpOptions): McpServer {
  const { api } = opts
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: opts.version, title: 'tend' },
    {
      instructions: [
        "tend watches the person's Claude Code agents and knows which are blocked on them (a permission dialog, a question, a finished task), for how long, and why one should be answered first.",
        'needs_me lists them, the most blocked first; agent shows one in detail (its current wait, last message, recent timeline); stats shows how long agents work per instruction and wait.',
        opts.allowAnswers
          ? "reply, approve and deny answer the wait an agent is blocked on, with the person's authority: one wait, one answer (a wait that already ended refuses the answer and says how it ended). Every answer is recorded as made via mcp."
          : 'Answering is off in this server: the person answers with `tend reply|approve|deny`, Slack or the desktop.',
      ].join('\n'),
    },
  )

  server.registerTool(
    'needs_me',
    {
      title: 'Which agents need me',
      description:
        'The agents waiting for the person, the most blocked first, each with what it waits for, for how long, why it ranks there and how to answer it.',
      inputSchema: {
        include: z
          .enum(['blocked', 'live', 'all'])
          .default('blocked')
          .describe(
            'blocked: only agents waiting for the person (default); live: every running agent; all: ended ones too',
          ),
      },
      outputSchema: NeedsMeSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ include }) =>
      guarded(async () => {
        const data = needsMe(await api.agents(include === 'all'), include as Include, opts.allowAnswers)
        return ok(needsMeText(data), data)
      }),
  )

  server.registerTool(
    'agent',
    {
      title: 'One agent in detail',
      description:
        'One agent: its state, the wait it is blocked on (the tool call and input it asks for, or its question), its last message, recent waits (who answered them, via what) and its recent timeline.',
      inputSchema: {
        agent: AgentRef,
        timeline: z
          .number()
          .int()
          .min(0)
          .max(200)
          .default(20)
          .describe('How many recent timeline entries (default 20)'),
      },
      outputSchema: AgentInfoSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ agent, timeline }) =>
      guarded(async () => {
        const body = await api.agent(agent)
        const info = agentInfo(body, timeline)
        return ok(agentText(info, body.now), info)
      }),
  )

  server.registerTool(
    'stats',
    {
      title: "The person's attention economics",
      description:
        'T_work (how long agents work per instruction), waiting (how long they wait for the person), T_instruct (how long the person takes per instruction) and N = T_work / T_instruct, the agents the person can keep busy.',
      inputSchema: {
        days: z.number().min(0.01).max(365).default(7).describe('Window in days (default 7)'),
      },
      outputSchema: StatsSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ days }) =>
      guarded(async () => {
        const data = stats(await api.metrics(days))
        return ok(statsText(data), data)
      }),
  )

  if (opts.allowAnswers) registerAnswerTools(server, opts)

  // Resources: the queue, and each agent (a plus for clients that browse resources).
  server.registerResource(
    'needs-me',
    'tend://needs-me',
    {
      title: 'Agents waiting for the person',
      description: 'The ranked queue (needs_me)',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(needsMe(await api.agents(false), 'blocked', opts.allowAnswers), null, 2),
        },
      ],
    }),
  )
  server.registerResource(
    'agent',
    new ResourceTemplate('tend://agent/{agent}', {
      list: async () => ({
        resources: (await api.agents(false)).agents
          .filter((a) => a.state !== 'ended')
          .map((a) => ({
            uri: `tend://agent/${a.shortId}`,
            name: a.label,
            description: `${a.state}: ${a.why}`,
            mimeType: 'application/json',
          })),
      }),
    }),
    {
      title: 'One agent',
      description: 'State, current wait, last message, recent timeline',
      mimeType: 'application/json',
    },
    async (uri, { agent }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(agentInfo(await api.agent(String(agent)), 50), null, 2),
        },
      ],
    }),
  )
  return server
}

function registerAnswerTools(server: McpServer, opts: TendMcpOptions): void {
  const { api } = opts
  // Recorded with the answer: "approved by ann (claude-code) via mcp".
  const by = () => {
    const client = server.server.getClientVersion()?.name
    return client ? `${opts.user} (${client})`.slice(0, 200) : opts.user
  }

  /** One wait, one answer: the agent's current wait (or the one named), answered once, or refused with why. */
  async function answer(ref: string, waitId: string | undefined, action: Answered['action'], body: Answer) {
    const detail = await api.agent(ref)
    const agent = detail.agent
    const target = waitId ?? agent.wait?.id
    if (!target) return refused(`${agent.label} is not waiting for the person (${agent.state}); nothing was sent`)
    if (waitId && !detail.waits.some((w) => w.id === waitId))
      return refused(`${agent.label} has no wait '${waitId}'; nothing was sent`)
    try {
      const who = by()
      const delivered = await api.answer(target, body, who)
      const data = answered(delivered, agent, action, who)
      return ok(answeredText(data), data)
    } catch (err) {
      return refused(`${agent.label}: ${(err as Error).message}`)
    }
  }

  const annotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false }
  server.registerTool(
    'reply',
    {
      title: 'Reply to an agent',
      description:
        "Send text to an agent that waits for the person (a question, a finished task): it continues with it as its next instruction, with the person's authority. Refused, with why, when it waits for a permission or its wait has ended.",
      inputSchema: {
        agent: AgentRef,
        text: z.string().trim().min(1).max(10_000).describe('The instruction'),
        wait: WaitId,
      },
      outputSchema: AnsweredSchema,
      annotations,
    },
    ({ agent, text, wait }) => guarded(() => answer(agent, wait, 'reply', { action: 'reply', text })),
  )
  server.registerTool(
    'approve',
    {
      title: "Approve an agent's permission request",
      description:
        "Allow the tool call an agent's held permission dialog asks for. Refused, with why, when the agent waits for something else or the dialog was answered already.",
      inputSchema: { agent: AgentRef, wait: WaitId },
      outputSchema: AnsweredSchema,
      annotations,
    },
    ({ agent, wait }) => guarded(() => answer(agent, wait, 'approve', { action: 'approve' })),
  )
  server.registerTool(
    'deny',
    {
      title: "Deny an agent's permission request",
      description: "Refuse the tool call an agent's held permission dialog asks for; the message tells the agent why.",
      inputSchema: {
        agent: AgentRef,
        message: z.string().max(2_000).optional().describe('Why (for the agent)'),
        wait: WaitId,
      },
      outputSchema: AnsweredSchema,
      annotations,
    },
    ({ agent, message, wait }) =>
      guarded(() => answer(agent, wait, 'deny', { action: 'deny', ...(message ? { message } : {}) })),
  )
}
