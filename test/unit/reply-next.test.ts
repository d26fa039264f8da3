// `tend reply next` / `approve next`: the top of the ranking that can take that answer.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cannotTake, pickNext } from '../../src/cli/answer.ts'

type A = Parameters<typeof pickNext>[0][number]
const agent = (label: string, rank: number | null, kind: string | null, extra: Partial<A> = {}): A =>
  ({
    label,
    rank,
    state: kind ? `blocked:${kind}` : 'working',
    wait: kind ? { kind, detail: {} } : null,
    held: false,
    replyPath: 'hook',
    ...extra,
  }) as A

describe('reply next', () => {
  const fleet = [
    agent('web·1', 1, 'permission', { held: true }),
    agent('api·2', 2, 'question'), // hook path, Stop not held: nothing would take the reply
    agent('docs·3', 3, 'done', { replyPath: 'mod' }),
    agent('cli·4', null, null),
  ]

  it('skips agents that cannot take a reply, and says why', () => {
    const { agent: picked, skipped } = pickNext(fleet, 'reply')
    assert.equal(picked?.label, 'docs·3')
    assert.deepEqual(skipped, [
      { label: 'web·1', why: 'waits for a permission' },
      { label: 'api·2', why: 'its Stop is not held' },
    ])
  })

  it('a held Stop takes a reply; so does a mod at its prompt, but not a dialog', () => {
    assert.equal(cannotTake(agent('a', 1, 'question', { held: true }), 'reply'), null)
    assert.equal(
      cannotTake(
        agent('a', 1, 'question', {
          replyPath: 'mod',
          wait: { kind: 'question', detail: { toolName: 'AskUserQuestion' } } as unknown as A['wait'],
        }),
        'reply',
      ),
      'asks through a dialog: answer it in its terminal',
    )
  })

  it('approve next takes the top held permission', () => {
    assert.equal(pickNext(fleet, 'approve').agent?.label, 'web·1')
    assert.equal(pickNext([fleet[1]!], 'approve').agent, null)
  })

  it('finds nobody when nobody waits', () => {
    assert.deepEqual(pickNext([fleet[3]!], 'reply'), { agent: null, skipped: [] })
  })
})
