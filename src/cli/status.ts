// tend status: the ranked table of agents (or --json for scripts), fitted to the terminal's width,
// coloured on a terminal only; --watch redraws it in place until Ctrl-C.
import { defineCommand } from 'citty'
import { formatDuration } from '../core/duration.ts'
import { waitSummary } from '../core/wait-summary.ts'
import { REPLY_PATH_TEXT } from '../core/reply-path.ts'
import { call, connect, type OkBody } from './client.ts'
import { colorWanted, paint, type Paint } from './color.ts'
import { guard } from './errors.ts'
import { fitTable, type ShrinkStep } from './fit-table.ts'
import { intOption } from './options.ts'
import { printJson } from './output.ts'

type Client = ReturnType<typeof connect>['client']
export type AgentList = OkBody<Awaited<ReturnType<Client['v1']['agents']['$get']>>>
type Agent = AgentList['agents'][number]

/** Width when stdout is no terminal (a pipe, a file): wide enough for most lines, still bounded. */
export const DEFAULT_WIDTH = 100

const HEADERS = ['#', 'AGENT', 'STATE', 'WAITING', 'FOR', 'REPLIES', 'WHY']
const [, AGENT, STATE, , FOR, REPLIES, WHY] = HEADERS.map((_, i) => i) as number[]
/** What gives way first when the line is too long: a long ask, how replies go, the why, then names. */
const SHRINK: ShrinkStep[] = [
  { col: FOR!, to: 32 },
  { col: REPLIES!, to: 0, dropUnder: 16 },
  { col: FOR!, to: 24 },
  { col: WHY!, to: 0, dropUnder: 12 },
  { col: AGENT!, to: 16 },
  { col: FOR!, to: 12 },
  { col: AGENT!, to: 10 },
]

function stateColor(p: Paint, state: string): (s: string) => string {
  if (state === 'blocked:permission') return p.red
  if (state === 'blocked:question') return p.yellow
  if (state === 'blocked:error') return p.magenta
  if (state === 'blocked:done') return p.cyan
  if (state === 'working') return p.green
  return p.dim
}

/** The table's lines for these agents, at most `width` wide. */
export function renderStatus(agents: Agent[], width: number, p: Paint): string[] {
  if (agents.length === 0) return ['No agents yet. Start Claude Code in a project (tend install adds the hooks).']
  const rows = agents.map((a) => [
    a.rank ? String(a.rank) : '-',
    a.label,
    a.state,
    a.waitingMs !== null ? formatDuration(a.waitingMs) : '',
    a.wait ? waitSummary(a.wait, 200) : '',
    // How a reply would reach it: as the person's own prompt (tend's mod) or as hook feedback.
    a.state === 'ended' ? '' : REPLY_PATH_TEXT[a.replyPath],
    a.why,
  ])
  return fitTable(HEADERS, rows, width, SHRINK, (col, cell, row) => {
    if (row < 0) return p.bold(cell)
    const agent = agents[row]!
    if (col === STATE) return stateColor(p, agent.state)(cell)
    if (col === AGENT && agent.rank === 1) return p.bold(cell)
    if (agent.state === 'ended' || agent.state === 'stale') return p.dim(cell)
    return cell
  })
}

const ESC = '\x1b['
const ALT_SCREEN_ON = `${ESC}?1049h${ESC}?25l`
const ALT_SCREEN_OFF = `${ESC}?25h${ESC}?1049l`

async function watch(draw: () => Promise<string[]>, everyMs: number): Promise<void> {
  const out = process.stdout
  const tty = Boolean(out.isTTY)
  if (tty) out.write(ALT_SCREEN_ON)
  const restore = () => {
    if (tty) out.write(ALT_SCREEN_OFF)
  }
  // Ctrl-C (or a kill) gives the terminal back as it was before leaving.
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined
    let stopped = false
    const stop = () => {
      stopped = true
      clearTimeout(timer)
      restore()
      resolve()
    }
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop)
    const frame = async () => {
      const lines = await draw()
      if (stopped) return
      // Cursor home, each line cleared to its end, then the rest of the screen: no flicker, no scroll.
      if (tty) out.write(`${ESC}H${lines.map((l) => `${l}${ESC}K`).join('\n')}\n${ESC}J`)
      else out.write(`${lines.join('\n')}\n\n`)
      timer = setTimeout(() => void frame(), everyMs)
    }
    void frame()
  })
}

export default defineCommand({
  meta: { name: 'status', description: 'List agents, the most-blocked first, with why' },
  args: {
    json: { type: 'boolean', description: 'Print JSON for scripts' },
    all: { type: 'boolean', description: 'Include ended agents' },
    watch: { type: 'boolean', description: 'Redraw in place until Ctrl-C' },
    interval: { type: 'string', description: 'With --watch: seconds between redraws (default 2)' },
    width: { type: 'string', description: 'Fit this many columns (default: the terminal, or 100)' },
    verbose: { type: 'boolean', description: 'Show stack traces' },
  },
  async run({ args }) {
    await guard(Boolean(args.verbose), async () => {
      const interval = intOption('--interval', args.interval, { max: 3600 }) ?? 2
      const fixedWidth = intOption('--width', args.width, { min: 20, max: 1000 })
      const { client, config } = connect()
      const p = paint(colorWanted(process.stdout))
      const width = () => fixedWidth ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? DEFAULT_WIDTH
      const list = () =>
        call(config, () => client.v1.agents.$get({ query: args.all ? { all: '1' } : {} })) as Promise<AgentList>
      // Live agents against the practical limit (README: "Attention economics"); nothing from an older receiver.
      const capacity = () =>
        call(config, () => client.v1.metrics.capacity.$get()).then(
          (c) => (c.warning ? p.yellow(c.line) : p.dim(c.line)),
          () => null,
        )
      if (!args.watch) {
        const data = await list()
        if (args.json) return printJson(data)
        const line = await capacity()
        process.stdout.write(`${[...renderStatus(data.agents, width(), p), ...(line ? ['', line] : [])].join('\n')}\n`)
        return
      }
      await watch(async () => {
        const title = (extra: string) =>
          p.dim(`tend status · ${new Date().toLocaleTimeString()} · every ${interval}s · Ctrl-C quits${extra}`)
        try {
          const data = await list()
          const blocked = data.agents.filter((a) => a.rank !== null).length
          const line = await capacity()
          return [
            title(` · ${blocked} blocked`),
            '',
            ...renderStatus(data.agents, width(), p),
            ...(line ? ['', line] : []),
          ]
        } catch (err) {
          // The receiver restarting is no reason to stop watching.
          return [title(''), '', p.red((err as Error).message)]
        }
      }, interval * 1000)
    })
  },
})
