// A real receiver wired to the local Slack fake (real WebClient and SocketModeClient), plus what the Slack tests share.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../src/config.ts'
import { createLogger } from '../../src/log.ts'
import type { PingChannel } from '../../src/core/channel.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { createSlackPings, type SlackChannelOptions, type SlackPings } from '../../src/slack/slack-pings.ts'
import { startSlackFake, type SlackFake, type StoredMessage } from '../fakes/slack-fake.ts'
import { tempHome } from './app.ts'
import { freePort } from './hook.ts'
import { waitFor } from './wait-for.ts'

export const HUMAN = 'U0HUMAN01'
export const STRANGER = 'U0STRANGER'

/**
 * Fast enough for tests: a dropped socket (closed by the fake) is noticed at once and retried after 50 ms.
 * The ping watchdog keeps the receiver's own 5 s: a shorter one drops a healthy connection whenever a busy
 * machine stalls the test process for a moment (no pong read in time), and the next delivery finds none.
 */
export const FAST: SlackChannelOptions = {
  clientPingTimeoutMs: 5000,
  reconnect: { firstMs: 50, maxMs: 400 },
  timeoutMs: 2000,
  updatePolicy: { attempts: 3, firstMs: 50, maxMs: 200, maxRateWaitMs: 2000 },
}

export interface SlackRig {
  fake: SlackFake
  server: RunningServer
  slack: SlackPings
  env: Record<string, string>
  /** Every log line the receiver wrote (JSON); close() fails if a token ever appears in one. */
  logs: string[]
  /** Moves the receiver's clock (policy, backoff) forward without waiting. */
  skew(ms: number): void
  /** The bot's top-level posts (the pings), oldest first. */
  pings(): StoredMessage[]
  /** The bot's replies in the thread of a ping. */
  thread(ping: StoredMessage): StoredMessage[]
  /** Runs policy rounds until `count` pings are posted. */
  pinged(count?: number): Promise<StoredMessage>
  socketConnected(): Promise<void>
  close(): Promise<void>
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k]
    const both = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object'
    out[k] = both ? merge(prev as Record<string, unknown>, v as Record<string, unknown>) : v
  }
  return out
}

export interface RigOptions {
  /** Merged over the defaults (no grace, Slack at once, no presence hold). */
  config?: Record<string, unknown>
  /** Channels beside Slack (a recording desktop); never a real desktop popup in tests. */
  others?: PingChannel[]
  channel?: SlackChannelOptions
}

export async function startSlackRig(opts: RigOptions = {}): Promise<SlackRig> {
  const fake = await startSlackFake({ users: { [HUMAN]: 'ada', [STRANGER]: 'mallory' } })
  const home = tempHome('tend-slack-')
  const env = { TEND_HOME: home.dir, HOME: home.dir, TEND_PORT: String(await freePort()) }
  const config = merge(
    {
      holds: { autoAwayAfterSec: 0 },
      notify: { graceSec: 0, minGapSec: 0, presenceHoldSec: 0, slack: { afterMin: 0 } },
      slack: { botToken: fake.botToken, appToken: fake.appToken, user: HUMAN, apiUrl: fake.apiUrl },
    },
    opts.config ?? {},
  )
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify(config))
  const logs: string[] = []
  let skew = 0
  let slack: SlackPings | null = null
  const server = await startServer(loadConfig(env), {
    log: createLogger({ write: (line) => logs.push(line) }),
    now: () => Date.now() + skew,
    notifyTickMs: 1e9, // rounds run on changes and when a test asks
    channels: (services) => {
      slack = createSlackPings(services, { ...FAST, ...opts.channel })
      return [...(opts.others ?? []), slack]
    },
  })
  const bot = fake.identity.botUserId
  // A parent gets thread_ts = its own ts once it has replies.
  const pings = () => fake.messages.filter((m) => m.user === bot && (m.thread_ts === undefined || m.thread_ts === m.ts))
  const rig: SlackRig = {
    fake,
    server,
    slack: slack!,
    env,
    logs,
    skew: (ms) => void (skew += ms),
    pings,
    thread: (ping) =>
      fake.messages.filter(
        (m) => m.user === bot && m.channel === ping.channel && m.thread_ts === ping.ts && m.ts !== ping.ts,
      ),
    async pinged(count = 1) {
      return waitFor(
        async () => {
          await server.notifier.tick()
          return pings()[count - 1]
        },
        5000,
        `${count} Slack ping(s)`,
      )
    },
    async socketConnected() {
      await waitFor(() => rig.slack.socket.status().state === 'connected', 20_000, 'the Slack socket to connect')
    },
    async close() {
      await server.close()
      await fake.close()
      home.cleanup()
      const leaked = logs.find((line) => line.includes(fake.botToken) || line.includes(fake.appToken))
      if (leaked) throw new Error(`a token reached the log: ${leaked.slice(0, 80)}…`)
    },
  }
  return rig
}

/** The text of every block of a message, for assertions. */
export function blockTexts(m: StoredMessage | undefined): string[] {
  return ((m?.blocks ?? []) as Array<Record<string, unknown>>).flatMap((b) => {
    const text = (b['text'] as { text?: string } | undefined)?.text
    const elements = ((b['elements'] as Array<{ text?: string | { text: string } }> | undefined) ?? []).map((e) =>
      typeof e.text === 'string' ? e.text : (e.text?.text ?? ''),
    )
    return [...(text ? [text] : []), ...elements]
  })
}

export const blockTypes = (m: StoredMessage | undefined): string[] =>
  ((m?.blocks ?? []) as Array<{ type: string }>).map((b) => b.type)
