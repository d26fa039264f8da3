// The MCP server's way to the receiver: its HTTP API, through the CLI's typed client (hc<AppType>).
// Never the store: `tend mcp` is a front end like the CLI, and may run while the receiver is down.
import type { Config } from '../config.ts'
import { call, connect } from '../cli/client.ts'
import type { Answer } from '../core/answer.ts'

/**
 * The four calls the tools make. Each connects anew: a token written after `tend mcp` started, or a
 * receiver started later, is picked up by the next call; until then the call fails with the CLI's
 * sentence ("no tend receiver at … Start it with `tend serve`").
 */
export function receiverApi(config: Config) {
  const session = () => connect(config)
  return {
    url: config.url,
    agents(all: boolean) {
      const { client } = session()
      return call(config, () => client.v1.agents.$get({ query: all ? { all: '1' } : {} }))
    },
    agent(ref: string) {
      const { client } = session()
      return call(config, () => client.v1.agents[':ref'].$get({ param: { ref }, query: {} }))
    },
    answer(waitId: string, answer: Answer, by: string) {
      const { client } = session()
      return call(config, () =>
        client.v1.waits[':id'].answer.$post({ param: { id: waitId }, json: { ...answer, via: 'mcp', by } }),
      )
    },
    metrics(days: number) {
      const { client } = session()
      return call(config, () => client.v1.metrics.$get({ query: { days: String(days) } }))
    },
  }
}

export type ReceiverApi = ReturnType<typeof receiverApi>
export type AgentsBody = Awaited<ReturnType<ReceiverApi['agents']>>
export type AgentBody = Awaited<ReturnType<ReceiverApi['agent']>>
export type ListedAgent = AgentsBody['agents'][number]
export type MetricsBody = Awaited<ReturnType<ReceiverApi['metrics']>>
export type DeliveredBody = Awaited<ReturnType<ReceiverApi['answer']>>
