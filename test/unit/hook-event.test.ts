// The hook payload schemas: what tend accepts, and the depth bound that keeps a poison event out.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HookEventSchema, MAX_DEPTH, nestedDeeperThan } from '../../src/core/hook-event.ts'

const nest = (depth: number): unknown => {
  let v: unknown = 'leaf'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v }
  return v
}

describe('nestedDeeperThan', () => {
  it('counts objects and arrays alike, and walks 100,000 levels without recursion', () => {
    assert.equal(nestedDeeperThan(nest(3), 3), false)
    assert.equal(nestedDeeperThan(nest(4), 3), true)
    assert.equal(nestedDeeperThan('text', 0), false)
    assert.equal(nestedDeeperThan(nest(100_000), MAX_DEPTH), true)
  })
})

describe('HookEventSchema', () => {
  const base = { session_id: 's', hook_event_name: 'PostToolUse', tool_name: 'Bash' }
  it('accepts real depths, unknown events and unknown fields', () => {
    assert.ok(HookEventSchema.safeParse({ ...base, tool_response: nest(30) }).success)
    assert.ok(HookEventSchema.safeParse({ session_id: 's', hook_event_name: 'FutureEvent', extra: [1] }).success)
  })

  it('refuses a payload nested deeper than the bound, naming why', () => {
    const r = HookEventSchema.safeParse({ ...base, tool_response: nest(MAX_DEPTH + 5) })
    assert.equal(r.success, false)
    assert.match(r.error!.issues[0]!.message, /nested deeper than 100 levels/)
  })
})
