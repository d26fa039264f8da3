// tend reply / approve / deny: answer the wait an agent is blocked on, through its held hook.
import { userInfo } from 'node:os'
import { defineCommand } from 'citty'
import type { Answer } from '../core/answer.ts'
import { call, connect } from './client.ts'
import { CliError, guard } from './errors.ts'

async function answer(ref: string, make: (kind: string) => Answer): Promise<void> {
  const { client, config } = connect()
  const { agent } = await call(config, () => client.v1.agents[':ref'].$get({ param: { ref }, query: { limit: '1' } }))
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
  process.stdout.write(`${agent.label}: ${what}; it is working again\n`)
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
