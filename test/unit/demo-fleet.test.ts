// The demo's fleet and how each agent goes on when answered.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HookEventSchema } from '../../src/core/hook-event.ts'
import { isQuestion } from '../../src/core/question.ts'
import { afterwards, FLEET, nextScene, sessionPayloads } from '../../src/cli/demo-fleet.ts'

describe('demo fleet', () => {
  it('is 5 to 8 agents on distinct projects, blocked in every way, one still at work', () => {
    assert.ok(FLEET.length >= 5 && FLEET.length <= 8)
    assert.equal(new Set(FLEET.map((a) => a.project)).size, FLEET.length)
    const opening = FLEET.filter((a) => !a.busyForMs).map((a) => a.scenes[0]!.block)
    assert.ok(opening.some((b) => b.kind === 'permission' && b.tool.name === 'Bash'))
    assert.ok(opening.some((b) => b.kind === 'error'))
    assert.ok(opening.some((b) => b.kind === 'stop' && isQuestion(b.message)))
    assert.ok(opening.some((b) => b.kind === 'stop' && !isQuestion(b.message)))
    assert.ok(FLEET.some((a) => a.busyForMs))
    assert.ok(FLEET.some((a) => a.mod) && FLEET.some((a) => !a.mod))
    // An Edit permission with a real-looking diff comes later in a script.
    assert.ok(FLEET.some((a) => a.scenes.some((s) => s.block.kind === 'permission' && s.block.tool.name === 'Edit')))
  })

  it('an answered agent plays its next scene; a denied one its denial; then it does what it is told', () => {
    const api = FLEET.find((a) => a.project === 'billing-api')!
    const approved = nextScene(api, 0, { kind: 'allow' })
    assert.equal(approved.index, 1)
    assert.match((approved.scene.block as { message: string }).message, /Shall I open the PR/)
    const denied = nextScene(api, 0, { kind: 'deny' })
    assert.equal(denied.index, 0)
    assert.match((denied.scene.block as { message: string }).message, /did not touch staging/)
    const last = nextScene(api, api.scenes.length - 1, { kind: 'reply', text: 'rebase it', path: 'hook' })
    assert.deepEqual(last.scene, afterwards({ kind: 'reply', text: 'rebase it', path: 'hook' }))
    assert.match((last.scene.block as { message: string }).message, /^Done: “rebase it”/)
  })

  it('builds payloads the receiver accepts', () => {
    const p = sessionPayloads('5f0c7d0e-1111-4c1e-9d1c-000000000001', '/home/ann/work/billing-api', '/home/ann')
    const call = FLEET[0]!.scenes[0]!.work[0]!
    const ask = p.ask(call)
    for (const payload of [
      p.start('claude-sonnet-4-5'),
      p.prompt('go'),
      ...p.tool(call, 'Explore'),
      ask.before,
      ask.request,
      ask.after,
      p.stop('Done.', true),
      p.failure('overloaded_error', 'API Error: 529'),
    ]) {
      assert.equal(HookEventSchema.safeParse(payload).success, true, JSON.stringify(payload))
    }
    assert.equal(ask.before['tool_use_id'], ask.after['tool_use_id'])
  })
})
