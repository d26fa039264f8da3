// Which learned suggestion a review digest carries, and when one is offered again (time passed in).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  digestSuggestion,
  suggestionKey,
  suggestionLine,
  suggestionPlace,
  SUGGESTION_QUIET_MS,
} from '../../src/core/digest-suggestion.ts'
import type { Suggestion } from '../../src/core/rules/suggest.ts'
import { FakeClock } from '../helpers/fake-clock.ts'

const HOME = '/home/me'
const DAY = 86_400_000
const s = (rule: string, path: string, approvals: number, days: number, denials = 0): Suggestion => ({
  rule,
  path,
  approvals,
  denials,
  days,
  firstAt: 0,
  lastAt: 0,
  risk: null,
})
const TEST = s('Bash(npm test)', '/home/me/work/api/**', 14, 9)
const LINT = s('Bash(npm run lint)', '/srv/web/**', 3, 1)

describe('digestSuggestion', () => {
  it('reads as one line the person can act on', () => {
    assert.equal(
      suggestionLine(TEST, 2, HOME),
      'you approved Bash(npm test) in ~/work/api 14 of 14 times over 9 days — `tend rules accept 2`',
    )
    assert.equal(suggestionLine(LINT, 1, HOME).includes('in /srv/web 3 of 3 times over 1 day'), true)
    assert.equal(suggestionPlace('/home/meow/x/**', HOME), '/home/meow/x', 'only the home directory itself is ~')
    assert.equal(suggestionPlace('/home/me/**', HOME), '~')
  })

  it('offers the best suggestion not shown in the last 3 days, then the next, then nothing until 3 days pass', () => {
    const clock = new FakeClock()
    let shown = {}
    const next = () => {
      const out = digestSuggestion({ now: clock.now, suggestions: [TEST, LINT], shown, home: HOME })
      if (out) shown = out.shown
      return out?.line ?? null
    }
    assert.match(next()!, /Bash\(npm test\).*`tend rules accept 1`/)
    clock.advance(30 * 60_000)
    assert.match(next()!, /Bash\(npm run lint\).*`tend rules accept 2`/, 'the numbers are tend rules suggest’s')
    clock.advance(DAY)
    assert.equal(next(), null, 'both were shown within 3 days')
    clock.advance(SUGGESTION_QUIET_MS - DAY - 30 * 60_000 - 1)
    assert.equal(next(), null, 'a millisecond before the quiet time is over')
    clock.advance(1)
    assert.match(next()!, /Bash\(npm test\)/, 'offered again after 3 days')
    assert.deepEqual(Object.keys(shown).sort(), [suggestionKey(LINT), suggestionKey(TEST)].sort())
  })

  it('no suggestion: no line; what was shown long ago is forgotten', () => {
    assert.equal(digestSuggestion({ now: 10 * DAY, suggestions: [], shown: {}, home: HOME }), null)
    const out = digestSuggestion({ now: 10 * DAY, suggestions: [LINT], shown: { old: 1 }, home: HOME })!
    assert.deepEqual(out.shown, { [suggestionKey(LINT)]: 10 * DAY })
  })
})
