// The notification policy over simulated time: five agents, 30 minutes, a tick every 5 s.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  inQuietHours,
  nextWakeAt,
  planPings,
  stepOf,
  suppressionKey,
  type NotifyPolicyConfig,
  type PlannedPing,
  type PlannedSuppression,
  type PolicyInput,
  type RankedWait,
  type SentPing,
} from '../../src/core/notify-policy.ts'

const MIN = 60_000
const T0 = 1_800_000_000_000

const CONFIG: NotifyPolicyConfig = {
  graceMs: 15_000,
  escalationMs: [2 * MIN, 10 * MIN, 30 * MIN],
  maxPerHour: 20,
  minGapMs: 20_000,
  presenceHoldMs: 60_000,
  quietHours: null,
  desktop: true,
  slack: true,
  slackAfterMs: 5 * MIN,
}

/** A wait in the scenario: blocked from `from` until `to` (ms after T0), with a fixed rank weight. */
interface ScenarioWait extends RankedWait {
  from: number
  to: number
  weight: number
}

function wait(id: string, kind: RankedWait['kind'], from: number, to: number, weight: number): ScenarioWait {
  return {
    waitId: id,
    sessionId: `s-${id}`,
    label: `proj-${id}`,
    kind,
    startedAt: T0 + from,
    what: `${kind} of ${id}`,
    from,
    to,
    weight,
  }
}

interface Sim {
  pings: Array<PlannedPing & { at: number }>
  suppressions: Array<PlannedSuppression & { at: number }>
}

function simulate(
  waits: ScenarioWait[],
  opts: {
    minutes?: number
    config?: Partial<NotifyPolicyConfig>
    prompts?: number[]
    away?: (t: number) => boolean
    minuteOfDay?: (t: number) => number
    slack?: boolean
  } = {},
): Sim {
  const config = { ...CONFIG, ...opts.config }
  const sent: SentPing[] = []
  const recorded = new Set<string>()
  const sim: Sim = { pings: [], suppressions: [] }
  for (let t = 0; t <= (opts.minutes ?? 30) * MIN; t += 5000) {
    const now = T0 + t
    const ranked = waits
      .filter((w) => w.from <= t && t < w.to)
      // The real ranking is tested elsewhere; here a fixed weight grows with the wait.
      .sort((a, b) => b.weight * (now - b.startedAt + MIN) - a.weight * (now - a.startedAt + MIN))
    const lastPrompt = (opts.prompts ?? []).filter((p) => p <= t).at(-1)
    const out = planPings({
      now,
      minuteOfDay: opts.minuteOfDay?.(t) ?? 12 * 60,
      ranked,
      sent,
      recorded,
      away: opts.away?.(t) ?? false,
      lastPromptAt: lastPrompt === undefined ? null : T0 + lastPrompt,
      available: { desktop: true, slack: opts.slack ?? false },
      config,
    })
    for (const p of out.pings) {
      sent.push({ waitId: p.waitId, channel: p.channel, step: p.step, at: now })
      sim.pings.push({ ...p, at: t })
    }
    for (const s of out.suppressions) {
      recorded.add(suppressionKey(s))
      sim.suppressions.push({ ...s, at: t })
    }
  }
  return sim
}

const FIVE = [
  wait('a', 'done', 0, 40 * MIN, 1),
  wait('b', 'permission', 1 * MIN, 40 * MIN, 4),
  wait('c', 'question', 3 * MIN, 3 * MIN + 10_000, 3), // answered within the grace
  wait('d', 'question', 5 * MIN, 12 * MIN, 3),
  wait('e', 'error', 8 * MIN, 40 * MIN, 2),
]

describe('notification policy: five agents over 30 minutes', () => {
  const sim = simulate(FIVE)
  const desktop = sim.pings.filter((p) => p.channel === 'desktop')

  it('pings the top agent after the grace period, with a count of the others', () => {
    assert.deepEqual(desktop[0] && [desktop[0].waitId, desktop[0].step, desktop[0].at], ['a', 0, 15_000])
    const firstB = desktop.find((p) => p.waitId === 'b')!
    assert.equal(firstB.at, 1 * MIN + 15_000, 'b becomes top and is pinged when its grace is over')
    assert.match(firstB.title, /proj-b needs your permission \(\d+s\)/)
    assert.match(firstB.body, /^permission of b\n\+1 more, longest 1m\d\ds$/)
  })

  it('never pings an agent that resumed within the grace period', () => {
    assert.equal(
      sim.pings.some((p) => p.waitId === 'c'),
      false,
    )
    assert.equal(
      sim.suppressions.some((s) => s.waitId === 'c'),
      false,
    )
  })

  it('escalates the top wait at 2, 10 and 30 minutes, each step once', () => {
    const b = desktop.filter((p) => p.waitId === 'b').map((p) => [p.step, p.at])
    assert.deepEqual(b, [
      [0, 1 * MIN + 15_000],
      [1, 3 * MIN],
      [2, 11 * MIN],
    ])
    const keys = sim.pings.map((p) => `${p.waitId}:${p.channel}:${p.step}`)
    assert.equal(new Set(keys).size, keys.length, 'never two pings for the same wait, channel and step')
  })

  it('records why the others were not pinged, once each', () => {
    const notTop = sim.suppressions.filter((s) => s.reason === 'not_top')
    assert.ok(notTop.some((s) => s.waitId === 'd' && s.step === 0))
    assert.ok(notTop.some((s) => s.waitId === 'e'))
    const keys = sim.suppressions.map(suppressionKey)
    assert.equal(new Set(keys).size, keys.length)
  })

  it('keeps the desktop quiet for the minimum gap and within the hourly limit', () => {
    for (let i = 1; i < desktop.length; i++) assert.ok(desktop[i]!.at - desktop[i - 1]!.at >= CONFIG.minGapMs)
    const limited = simulate(FIVE, { config: { maxPerHour: 2 } })
    assert.equal(limited.pings.length, 2)
    assert.ok(limited.suppressions.some((s) => s.reason === 'rate_limit'))
  })
})

describe('notification policy: presence, quiet hours, Slack', () => {
  it('holds desktop pings back while the person is typing prompts, and sends them after', () => {
    const sim = simulate([wait('a', 'question', 0, 30 * MIN, 1)], { prompts: [10_000, 50_000] })
    const first = sim.pings[0]!
    assert.equal(first.at, 50_000 + 60_000, 'a minute after the last prompt')
    assert.ok(sim.suppressions.some((s) => s.reason === 'presence' && s.at === 15_000))
  })

  it('sends nothing during quiet hours, then catches up with the current step', () => {
    // 22:00–07:00; the simulation starts at 06:50.
    const sim = simulate([wait('a', 'permission', 0, 30 * MIN, 1)], {
      config: { quietHours: { startMin: 22 * 60, endMin: 7 * 60 } },
      minuteOfDay: (t) => (6 * 60 + 50 + Math.floor(t / MIN)) % 1440,
    })
    assert.ok(sim.pings.every((p) => p.at >= 10 * MIN))
    assert.deepEqual(sim.pings[0] && [sim.pings[0].at, sim.pings[0].step], [10 * MIN, 2])
    assert.equal(sim.suppressions.filter((s) => s.reason === 'quiet_hours').length, 2, 'steps 0 and 1, once each')
  })

  it('adds Slack after its delay, once per wait; at once when away', () => {
    const present = simulate([wait('a', 'question', 0, 30 * MIN, 1)], { slack: true })
    const slack = present.pings.filter((p) => p.channel === 'slack')
    assert.deepEqual(
      slack.map((p) => [p.at, p.step]),
      [[5 * MIN, 0]],
    )
    const away = simulate([wait('a', 'question', 0, 30 * MIN, 1)], { slack: true, away: () => true })
    assert.equal(away.pings.find((p) => p.channel === 'slack')!.at, 15_000)
  })

  it('a prompt typed does not hold Slack back, and away ignores presence for the desktop', () => {
    const sim = simulate([wait('a', 'question', 0, 30 * MIN, 1)], { slack: true, away: () => true, prompts: [5_000] })
    assert.equal(sim.pings.find((p) => p.channel === 'desktop')!.at, 15_000)
    assert.equal(sim.pings.find((p) => p.channel === 'slack')!.at, 15_000)
    // Present (not away), the same prompt holds the desktop back for a minute but never Slack.
    const present = simulate([wait('a', 'question', 0, 30 * MIN, 1)], {
      slack: true,
      prompts: [2 * MIN - 10_000, 5 * MIN - 10_000],
    })
    assert.equal(present.pings.find((p) => p.channel === 'slack')!.at, 5 * MIN)
    assert.ok(present.suppressions.some((s) => s.channel === 'desktop' && s.reason === 'presence'))
    assert.equal(
      present.suppressions.some((s) => s.channel === 'slack' && s.reason === 'presence'),
      false,
    )
  })
})

describe('policy helpers', () => {
  it('stepOf counts grace and escalation', () => {
    assert.equal(stepOf(14_999, CONFIG), -1)
    assert.equal(stepOf(15_000, CONFIG), 0)
    assert.equal(stepOf(2 * MIN, CONFIG), 1)
    assert.equal(stepOf(31 * MIN, CONFIG), 3)
  })

  it('quiet hours wrap midnight', () => {
    const q = { startMin: 22 * 60, endMin: 7 * 60 }
    assert.equal(inQuietHours(23 * 60, q), true)
    assert.equal(inQuietHours(3 * 60, q), true)
    assert.equal(inQuietHours(7 * 60, q), false)
    assert.equal(inQuietHours(12 * 60, { startMin: 12 * 60, endMin: 13 * 60 }), true)
    assert.equal(inQuietHours(12 * 60, null), false)
  })
})

describe('nextWakeAt', () => {
  it('wakes when a grace period, a step, a presence hold or a gap runs out', async () => {
    const { nextWakeAt } = await import('../../src/core/notify-policy.ts')
    const w = wait('a', 'question', 0, 30 * MIN, 1)
    const input = { now: T0 + 1000, ranked: [w], sent: [], lastPromptAt: null, config: CONFIG }
    assert.equal(nextWakeAt(input), T0 + CONFIG.graceMs)
    assert.equal(nextWakeAt({ ...input, now: T0 + 20_000 }), T0 + 2 * MIN)
    assert.equal(nextWakeAt({ ...input, now: T0 + 20_000, lastPromptAt: T0 + 10_000 }), T0 + 70_000)
    assert.equal(nextWakeAt({ ...input, ranked: [] }), null)
  })
})

const available = { desktop: true, slack: true }

describe('nextWakeAt, every timer the plan depends on', () => {
  const base = (over: Partial<PolicyInput> = {}) => ({
    now: T0 + 20_000,
    ranked: [wait('a', 'question', 0, 30 * MIN, 1)],
    sent: [] as SentPing[],
    lastPromptAt: null,
    config: CONFIG,
    ...over,
  })

  it("wakes for every waiting agent's grace end, step and Slack delay, not only the top's", () => {
    const top = wait('a', 'question', 0, 30 * MIN, 1)
    const other = wait('b', 'done', 100 * 1000, 30 * MIN, 1)
    const config = { ...CONFIG, escalationMs: [10 * MIN], slackAfterMs: 20 * MIN }
    // b leaves its grace at 115 s, long before a's step at 10 min.
    assert.equal(nextWakeAt(base({ now: T0 + 110_000, ranked: [top, other], config })), T0 + 115_000)
    // Past b's grace: b's own step at 100 s + 10 min comes after a's.
    assert.equal(nextWakeAt(base({ now: T0 + 10 * MIN + 1, ranked: [top, other], config })), T0 + 100_000 + 10 * MIN)
  })

  it('wakes when quiet hours end, from the start of the local minute', () => {
    const config = { ...CONFIG, escalationMs: [], slack: false, quietHours: { startMin: 22 * 60, endMin: 7 * 60 } }
    const now = T0 + 20_000
    const minuteStart = Math.floor(now / MIN) * MIN
    assert.equal(nextWakeAt(base({ now, config, minuteOfDay: 6 * 60 + 58 })), minuteStart + 2 * MIN)
    assert.equal(nextWakeAt(base({ now, config, minuteOfDay: 23 * 60 })), minuteStart + 8 * 60 * MIN)
    assert.equal(nextWakeAt(base({ now, config, minuteOfDay: 12 * 60 })), null, 'not in quiet hours: nothing due')
  })

  it('wakes when the hourly limit frees a ping', () => {
    const config = { ...CONFIG, escalationMs: [], slack: false, maxPerHour: 2, minGapMs: 0 }
    const sent: SentPing[] = [
      { waitId: 'x', channel: 'desktop', step: 0, at: T0 - 50 * MIN },
      { waitId: 'y', channel: 'desktop', step: 0, at: T0 - 40 * MIN },
    ]
    assert.equal(nextWakeAt(base({ config, sent })), T0 - 50 * MIN + 60 * MIN + 1)
    assert.equal(nextWakeAt(base({ config, sent: sent.slice(1) })), null, 'under the limit: nothing due')
  })

  it('sleeps with nobody waiting, whatever was sent', () => {
    const sent: SentPing[] = [{ waitId: 'x', channel: 'desktop', step: 0, at: T0 }]
    assert.equal(nextWakeAt(base({ ranked: [], sent, lastPromptAt: T0, minuteOfDay: 0 })), null)
  })

  it('a plan made at the wake differs from the one made just before it (the wake is never late)', () => {
    const top = wait('a', 'permission', 0, 30 * MIN, 1)
    let now = T0 + 1000
    const sent: SentPing[] = []
    for (let i = 0; i < 20; i++) {
      const input = { now, minuteOfDay: 600, ranked: [top], sent, recorded: new Set<string>(), away: false }
      const at = nextWakeAt({ ...input, lastPromptAt: null, config: CONFIG })
      if (at === null) break
      const before = planPings({ ...input, now: at - 1, lastPromptAt: null, available, config: CONFIG })
      const after = planPings({ ...input, now: at, lastPromptAt: null, available, config: CONFIG })
      assert.equal(before.pings.length, 0, `nothing due just before the wake at ${at - T0} ms`)
      for (const p of after.pings) sent.push({ waitId: p.waitId, channel: p.channel, step: p.step, at })
      now = at
    }
    assert.deepEqual(
      sent.map((p) => [p.channel, p.step, (p.at - T0) / 1000]),
      [
        ['desktop', 0, 15],
        ['desktop', 1, 120],
        ['slack', 0, 300],
        ['desktop', 2, 600],
        ['desktop', 3, 1800],
      ],
    )
  })
})
