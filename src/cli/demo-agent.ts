// One simulated agent of `tend demo`: posts its hook events to the receiver as tend-hook does (same
// endpoint, headers and hold budget; its pid is the demo's, so it lives as long as the demo), holds
// its Stop and PermissionRequest calls open like Claude Code, and plays its next scene when answered.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { HOLD_BUDGET_SEC } from '../core/hold-policy.ts'
import {
  nextScene,
  sessionPayloads,
  type Answer,
  type Block,
  type DemoAgentSpec,
  type Payload,
  type Scene,
} from './demo-fleet.ts'

export interface DemoContext {
  url: string
  token: string
  machine: string
  home: string
  signal: AbortSignal
  log: (line: string) => void
}

/** Between two steps of a working agent: slow enough to watch, quick enough not to bore. */
const STEP_MS = 900
/** The mod's long-poll, as tend's Claude Code mod asks for it. */
const POLL_SEC = 25

export class DemoAgent {
  readonly sessionId = randomUUID()
  readonly cwd: string
  private readonly p: ReturnType<typeof sessionPayloads>
  private index = 0
  /** The next Stop continues a turn a held Stop's reply resumed (Claude Code's stop_hook_active). */
  private continued = false
  /** The PostToolUse to send once the permission asked for is allowed. */
  private allowed: Payload | null = null
  private opening: Promise<Answer | null> = Promise.resolve(null)
  private loop: Promise<void> = Promise.resolve()
  /** Replies the mod took, for the wait the agent sits in. */
  private readonly modReplies: string[] = []
  private wakeMod: (() => void) | null = null

  constructor(
    readonly spec: DemoAgentSpec,
    private readonly ctx: DemoContext,
  ) {
    this.cwd = join(ctx.home, 'work', spec.project)
    this.p = sessionPayloads(this.sessionId, this.cwd, ctx.home)
  }

  /** Its history up to the wait it is in, stamped in the past; the wait's hook stays held. */
  async open(): Promise<void> {
    const { spec, p } = this
    const scene = spec.scenes[0]!
    const blockAt = Date.now() - spec.waitedMs
    const startAt = blockAt - 60_000 - scene.work.length * 20_000
    if (spec.mod) await this.hello()
    await this.post(p.start(spec.model), { at: startAt })
    await this.post(p.prompt(spec.prompt), { at: startAt + 4_000 })
    if (spec.busyForMs) {
      // Still in its first tool call when the demo starts.
      await this.post(p.tool(scene.work[0]!)[0]!, { at: Date.now() - 30_000 })
      return
    }
    let at = startAt + 10_000
    for (const [i, call] of scene.work.entries()) {
      for (const event of p.tool(call, i < 2 ? spec.subagent : undefined)) await this.post(event, { at: (at += 8_000) })
    }
    // The held call is open once the receiver has stored the event: wait for that, not for the answer.
    let posted!: () => void
    const heard = new Promise<void>((resolve) => (posted = resolve))
    this.opening = this.block(scene.block, blockAt, posted)
    this.opening.catch(() => {}) // awaited in play(); a stop before that is no crash
    await Promise.race([heard, this.opening])
  }

  run(): void {
    this.loop = this.play().catch((err: unknown) => {
      if (!this.ctx.signal.aborted) this.ctx.log(`demo agent ${this.spec.project} failed: ${(err as Error).message}`)
    })
  }

  stopped(): Promise<void> {
    this.wakeMod?.()
    return this.loop
  }

  private async play(): Promise<void> {
    const { spec } = this
    let answer: Answer | null
    if (spec.busyForMs) {
      await sleep(spec.busyForMs, undefined, { signal: this.ctx.signal })
      const [first, ...rest] = spec.scenes[0]!.work
      await this.post(this.p.tool(first!)[1]!)
      answer = await this.scene({ work: rest, block: spec.scenes[0]!.block })
    } else answer = await this.opening
    // No answer: its hold ended without one (`tend back`, the window passed); it waits at its terminal.
    while (answer && !this.ctx.signal.aborted) {
      if (answer.kind === 'allow' && this.allowed) await this.post(this.allowed)
      this.allowed = null
      if (answer.kind === 'reply') {
        this.continued = answer.path === 'hook'
        // The mod submits the reply as the person's prompt: Claude Code's UserPromptSubmit follows.
        if (answer.path === 'mod') await this.post(this.p.prompt(answer.text))
      }
      const next = nextScene(spec, this.index, answer)
      this.index = next.index
      answer = await this.scene(next.scene)
    }
  }

  private async scene(scene: Scene): Promise<Answer | null> {
    for (const call of scene.work) {
      const [pre, post] = this.p.tool(call)
      await this.post(pre!)
      await sleep(STEP_MS, undefined, { signal: this.ctx.signal })
      await this.post(post!)
    }
    await sleep(STEP_MS, undefined, { signal: this.ctx.signal })
    return this.block(scene.block)
  }

  /** Ends the turn on `block` and waits for the person's answer (null: none will come). */
  private async block(block: Block, at?: number, posted: () => void = () => {}): Promise<Answer | null> {
    const { p } = this
    if (block.kind === 'permission') {
      const ask = p.ask(block.tool)
      await this.post(ask.before, { at: at && at - 1_500 })
      this.allowed = ask.after
      const out = await this.post(ask.request, { at, hold: true, posted })
      const decision = (out['hookSpecificOutput'] as { decision?: { behavior?: string; message?: string } })?.decision
      if (decision?.behavior === 'allow') return { kind: 'allow' }
      if (decision?.behavior === 'deny') return { kind: 'deny', message: decision.message }
      return null
    }
    if (block.kind === 'error') {
      await this.post(p.failure(block.error, block.message), { at })
      posted()
      return this.spec.mod ? this.modReply() : null
    }
    const out = await this.post(p.stop(block.message, this.continued), { at, hold: true, posted })
    if (out['decision'] === 'block' && typeof out['reason'] === 'string') {
      return { kind: 'reply', text: out['reason'], path: 'hook' }
    }
    return this.spec.mod ? this.modReply() : null
  }

  /**
   * POST /v1/hooks with tend-hook's headers. `at` back-dates the event (X-Tend-Time); `hold` gives the
   * receiver the budget of a held hook; `posted` is called once the event is stored (response headers).
   */
  private async post(
    payload: Payload,
    opts: { at?: number; hold?: boolean; posted?: () => void } = {},
  ): Promise<Record<string, unknown>> {
    const { at, hold = false } = opts
    const res = await fetch(`${this.ctx.url}/v1/hooks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.ctx.token}`,
        'content-type': 'application/json',
        'x-tend-time': String(at || Date.now()),
        // Claude Code's pid, as CLAUDE_PID gives it: the demo's own, so its agents live while it runs.
        'x-tend-pid': String(process.pid),
        'x-tend-ppid': String(process.pid),
        'x-tend-machine': this.ctx.machine,
        'x-tend-hold': String(hold ? HOLD_BUDGET_SEC : 0),
      },
      body: JSON.stringify(payload),
      signal: this.ctx.signal,
    })
    opts.posted?.()
    const body = res.text()
    if (!res.ok) {
      this.ctx.log(`demo: ${payload.hook_event_name} refused (${res.status}): ${await body}`)
      return {}
    }
    // A held call streams heartbeats (spaces) before its answer.
    const text = (await body).trim()
    return text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {}
  }

  private async hello(): Promise<void> {
    await this.api(`/v1/mod/${this.sessionId}/hello`, 'POST', {
      claudeVersion: '2.1.332',
      modVersion: '0.1.0',
      attended: true,
    })
    void this.poll()
  }

  /** The mod's long-poll: each reply is confirmed as submitted, then played as the next prompt. */
  private async poll(): Promise<void> {
    while (!this.ctx.signal.aborted) {
      try {
        const res = await fetch(`${this.ctx.url}/v1/mod/${this.sessionId}/next?waitSec=${POLL_SEC}`, {
          headers: { authorization: `Bearer ${this.ctx.token}` },
          signal: this.ctx.signal,
        })
        if (res.status !== 200) {
          await res.body?.cancel()
          // 204: the poll ran out with nothing for it. Anything else: not so fast.
          if (res.status !== 204) await sleep(1_000, undefined, { signal: this.ctx.signal })
          continue
        }
        const { reply } = (await res.json()) as { reply: { id: number; text: string } }
        await this.api(`/v1/mod/${this.sessionId}/replies/${reply.id}/ack`, 'POST', { submitted: true })
        this.modReplies.push(reply.text)
        this.wakeMod?.()
      } catch {
        if (!this.ctx.signal.aborted) await sleep(1_000).catch(() => {})
      }
    }
  }

  private async modReply(): Promise<Answer | null> {
    while (this.modReplies.length === 0) {
      if (this.ctx.signal.aborted) return null
      await new Promise<void>((resolve) => (this.wakeMod = resolve))
    }
    return { kind: 'reply', text: this.modReplies.shift()!, path: 'mod' }
  }

  private async api(path: string, method: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.ctx.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.ctx.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: this.ctx.signal,
    })
    await res.body?.cancel()
  }
}
