// Starts the receiver: config → token → database (migrated) → services → app → listen.
import type { AddressInfo } from 'node:net'
import { chmodSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { createAdaptorServer, serve, type ServerType } from '@hono/node-server'
import type { Config } from '../config.ts'
import { DEFAULT_STALENESS, type StalenessPolicy } from '../core/staleness.ts'
import type { Logger } from '../log.ts'
import { sweepAgents } from '../store/agents.ts'
import { openStore, storeFailure } from '../store/db.ts'
import { ensureToken } from '../token.ts'
import { createApp } from './app.ts'
import { takeInstanceLock } from './instance-lock.ts'
import { readLostEvents } from '../service/lost-events.ts'
import { createServices, type Services } from '../service/services.ts'
import type { PingChannel } from '../core/channel.ts'
import { createDesktopPings } from '../notify/desktop-pings.ts'
import { createNotifier, type Notifier } from '../service/notifier.ts'
import { createPruner } from '../service/pruner.ts'
import { slackMentioned } from '../slack/settings.ts'

export interface RunningServer {
  url: string
  port: number
  services: Services
  notifier: Notifier
  channels: PingChannel[]
  close(): Promise<void>
}

export interface StartOptions {
  log: Logger
  /** Listen on this port instead of the configured one (0: any free port, for tests). */
  port?: number
  now?: () => number
  staleness?: StalenessPolicy
  sweepEveryMs?: number
  /** Ping channels; default: the desktop (and Slack when configured). Tests pass their own. */
  channels?: (services: Services) => PingChannel[] | Promise<PingChannel[]>
  notifyTickMs?: number
}

export async function defaultChannels(services: Services): Promise<PingChannel[]> {
  const desktop = createDesktopPings(services)
  // The Slack SDK (with @slack/socket-mode and undici) loads only when config.json says anything about Slack.
  if (!slackMentioned(services.config.file.slack)) return [desktop]
  // Slack joins only when set up, and never in the way of the desktop: it can't throw here, and sends after it.
  const { slackChannelFromConfig } = await import('../slack/slack-pings.ts')
  const slack = slackChannelFromConfig(services)
  return slack ? [desktop, slack] : [desktop]
}

/** Is a Claude Code process still there? Only meaningful for agents on this machine. */
export function pidAlive(pid: number): boolean | undefined {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ESRCH') return false
    return undefined // EPERM: it exists but isn't ours
  }
}

/**
 * The hooks reach the receiver through a unix socket in the data directory when it exists: the
 * directory is 0700, so no other user can connect to it, or bind it to impersonate the receiver
 * and answer a held hook. TCP on loopback stays for the CLI and for hooks on other machines.
 */
async function listenOnSocket(path: string, fetch: (req: Request) => Response | Promise<Response>, log: Logger) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  chmodSync(dirname(path), 0o700)
  rmSync(path, { force: true }) // left by a receiver that died
  const server = createAdaptorServer({ fetch })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => resolve())
    })
  } catch (err) {
    log.warn('no unix socket for the hooks; they use TCP', { path, error: (err as Error).message })
    return null
  }
  return {
    close() {
      server.close()
      if ('closeAllConnections' in server) server.closeAllConnections()
      rmSync(path, { force: true })
    },
  }
}

export async function startServer(config: Config, opts: StartOptions): Promise<RunningServer> {
  // Owns the data directory before it touches the database or the spool (a second receiver stops here).
  mkdirSync(config.paths.dataDir, { recursive: true, mode: 0o700 })
  const lock = takeInstanceLock(config.paths.dataDir)
  // Until the receiver is up, a failure gives back what it took: the store, then the lock.
  let store: ReturnType<typeof openStore> | undefined
  let services: Services
  let channels: PingChannel[]
  try {
    const token = ensureToken(config)
    store = openStore(config.paths.dbFile)
    services = createServices({ config, store, token, log: opts.log, now: opts.now })
    channels = await (opts.channels ?? defaultChannels)(services)
  } catch (err) {
    store?.close()
    lock.release()
    throw err
  }
  const app = createApp(services, { doctorChecks: () => Promise.all(channels.map((c) => c.check())) })
  const notifier = createNotifier({ services, channels, tickMs: opts.notifyTickMs })
  // Retention: old event payloads dropped in small batches, off the request path.
  const pruner = createPruner({
    store,
    log: opts.log,
    now: services.now,
    payloadDays: config.file.retention.payloadDays,
  })

  const replayed = services.spool.replay()
  const policy = opts.staleness ?? DEFAULT_STALENESS
  const sweep = () => {
    try {
      store.checkpoint()
      for (const change of sweepAgents(store.db, services.now(), policy, pidAlive)) {
        // An agent that went away ends its wait: its hold (if any) and its pings follow.
        if (change.closedWaitId) services.holds.release(change.closedWaitId, 'wait_ended')
        services.bus.emit('change', {
          sessionId: change.sessionId,
          cause: 'sweep',
          waitId: change.closedWaitId ?? undefined,
        })
      }
    } catch (err) {
      const failing = storeFailure(err)
      if (failing) services.storeHealth.failed(failing, err)
      else opts.log.error('sweep failed', { error: (err as Error).message })
    }
    // What the spool watch missed (a directory that cannot be watched, files spooled while the store was
    // failing): a hook that spooled while no later event came is replayed here at the latest.
    services.spool.schedule()
    services.spool.watch() // at start, and again if the directory was removed since
  }
  sweep()
  const sweeper = setInterval(sweep, opts.sweepEveryMs ?? 15_000)
  sweeper.unref()

  const server: ServerType = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: opts.port ?? config.port }, () => resolve(s))
    s.once('error', reject)
  }).catch(async (err: unknown) => {
    // A channel may hold a connection (the Slack socket): let it go before failing.
    clearInterval(sweeper)
    services.spool.close()
    await notifier.stop()
    await pruner.stop()
    store.close()
    lock.release()
    throw err
  })
  // Only once the port is ours: a second receiver that failed to start never takes the first one's socket.
  const socket = await listenOnSocket(config.paths.socketFile, app.fetch, opts.log)
  const port = (server.address() as AddressInfo).port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  lock.listening(url)
  const lost = readLostEvents(config.paths.lostFile, config.paths.dataDir)
  if (lost) {
    opts.log.warn('hooks lost events they could neither deliver nor spool (disk full or unwritable)', {
      count: lost.count,
      lastAt: lost.lastAt && new Date(lost.lastAt).toISOString(),
      file: lost.file,
    })
  }
  opts.log.info('tend receiver listening', { url, db: config.paths.dbFile, replayed: replayed.stored })

  let closed: Promise<void> | null = null
  return {
    url,
    port,
    services,
    notifier,
    channels,
    close() {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(sweeper)
        services.spool.close()
        services.holds.releaseWhere(() => true, 'shutdown')
        services.inbox.closeAll()
        // Channels close with the notifier (the Slack socket disconnects) before the store they read goes.
        const stopped = notifier
          .stop()
          .catch((err: Error) => opts.log.warn('notifier stop failed', { error: err.message }))
        const pruned = pruner.stop()
        socket?.close()
        // Held hook requests would keep close() waiting: end them first.
        server.close(() => {
          void Promise.all([stopped, pruned]).then(() => {
            store.close()
            lock.release()
            resolve()
          })
        })
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      return closed
    },
  }
}
