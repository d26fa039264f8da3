// tend reply / approve / deny: answer the wait an agent is blocked on, through its held hook.
// `next` picks the top of the ranking that can take this answer, skipping those that can't.
import { userInfo } from 'node:os'
import { defineCommand } from 'citty'
import type { Answer } from '../core/answer.ts'
import { atPrompt } from '../core/reply-path.ts'
import { call, connect, type OkBody } from './client.ts'
import { CliError, guard } from './errors.ts'

type Client = ReturnType<typeof connect>['client']
type Listed = OkBody<Awaited<ReturnType<Client['v1']['agents']['$get']>>>['agents'][number]
type Action = Answer['action']

/** Why this agent can't take the answer now (null: it can). */
export function cannotTake(
  agent: Pick<Listed, 'wait' | 'held' | 'replyPath' | 'state'>,
  action: Action,
): string | null {
  const wait = agent.wait
  if (!wait) return `not waiting (${agent.state})`
  if (action === 'reply') {
    if (wait.kind === 'permission') return 'waits for a permission'
    if (agent.held) return null
    if (agent.replyPath === 'mod' && atPrompt(wait)) return null
    return agent.replyPath === 'mod' ? 'asks through a dialog: answer it in its terminal' : 'its Stop is not held'
  }
  if (wait.kind !== 'permission') return 'waits for a reply, not a permission'
  return agent.held ? null : 'its permission dialog is not held'
}

/** For `next`: the first ranked agent that can take `action`, and the ones above it it skipped. */
export function pickNext<A extends Pick<Listed, 'wait' | 'held' | 'replyPath' | 'state' | 'rank' | 'label'>>(
  agents: A[],
  action: Action,
): { agent: A | null; skipped: Array<{ label: string; why: string }> } {
  const skipped: Array<{ label: string; why: string }> = []
  for (const agent of agents.filter((a) => a.rank !== null).sort((a, b) => a.rank! - b.rank!)) {
    const why = cannotTake(agent, action)
    if (why === null) return { agent, skipped }
    skipped.push({ label: agent.label, why })
  }
  return { agent: null, skipped }
}

async function answer(ref: string, make: (kind: string) => Answer): Promise<void> {
  const { client, config } = connect()
  const action = make('').action
  let target = ref
  let note = ''
  if (ref === 'next') {
    const { agents } = await call(config, () => client.v1.agents.$get({ query: {} }))
    const { agent, skipped } = pickNext(agents, action)
    const passed = skipped.map((s) => `${s.label} ${s.why}`).join('; ')
    if (!agent) {
      const what = action === 'reply' ? 'a reply' : 'an approval or denial'
      throw new CliError(`no agent can take ${what} now${passed ? `: ${passed}` : ': none is waiting for you'}`)
    }
    target = agent.sessionId
    note = ` (next: #${agent.rank}${passed ? `; skipped ${passed}` : ''})`
  }
  const { agent } = await call(config, () =>
    client.v1.agents[':ref'].$get({ param: { ref: target }, query: { limit: '1' } }),
  )
  if (!agent.wait) throw new CliError(`${agent.label} is not waiting for you (${agent.state})`)
  const body = make(agent.wait.kind)
  const delivered = await call(config, () =>
    client.v1.waits[':id'].answer.$post({
      param: { id: agent.wait!.id },
      json: { ...body, via: 'cli', by: userInfo().username },
    }),
  )
  const what =
    body.action !== 'reply'
      ? body.action === 'approve'
        ? 'approved'
        : 'denied'
      : delivered.path === 'mod'
        ? 'reply delivered as your own message'
        : 'reply delivered as hook feedback (no tend mod in this Claude Code)'
  process.stdout.write(`${agent.label}${note}: ${what}; it is working again\n`)
}

const agentArg = {
  agent: {
    type: 'positional',
    required: true,
    description: 'Short id, unique project name, or `next` (the most blocked)',
  },
} as const
const verbose = { verbose: { type: 'boolean', description: 'Show stack traces' } } as const

export const reply = defineCommand({
  meta: {
    name: 'reply',
    description: 'Send the text to an agent that waits for you: it becomes its next instruction, as your own words',
  },
  args: {
    ...agentArg,
    text: { type: 'positional', required: true, description: 'The instruction (quote it)' },
    ...verbose,
  },
  run({ args }) {
    const words = [args.text, ...args._.slice(2)].join(' ')
    return guard(Boolean(args.verbose), () => answer(args.agent, () => ({ action: 'reply', text: words })))
  },
})

export const approve = defineCommand({
  meta: { name: 'approve', description: "Allow the tool call an agent's permission dialog asks for" },
  args: { ...agentArg, ...verbose },
  run({ args }) {
    return guard(Boolean(args.verbose), () => answer(args.agent, () => ({ action: 'approve' })))
  },
})

export const deny = defineCommand({
  meta: { name: 'deny', description: 'Refuse the tool call; the optional message tells the agent why' },
  args: {
    ...agentArg,
    message: { type: 'positional', required: false, description: 'Why (for the agent)' },
    ...verbose,
  },
  run({ args }) {
    const message = [args.message, ...args._.slice(2)].filter(Boolean).join(' ')
    return guard(Boolean(args.verbose), () =>
      answer(args.agent, () => ({ action: 'deny', ...(message ? { message } : {}) })),
    )
  },
})
