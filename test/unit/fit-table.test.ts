// Fitting a table to a width: columns shrink, then drop, in the order given.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fitTable, fitWidths } from '../../src/cli/fit-table.ts'

describe('fitTable', () => {
  const headers = ['#', 'NAME', 'WHAT', 'WHY']
  const rows = [['1', 'api·aaaa1111', 'Bash: terraform apply -target=module.redis_cache', 'permission ×4 · waiting 2m']]
  const steps = [
    { col: 2, to: 12 },
    { col: 3, to: 0, dropUnder: 8 },
    { col: 1, to: 6 },
  ]

  it('leaves a table that fits as it is', () => {
    const lines = fitTable(headers, rows, 200, steps)
    assert.match(lines[1]!, /terraform apply -target=module\.redis_cache  permission ×4 · waiting 2m$/)
  })

  it('cuts the first column in the order with an ellipsis, then drops a column that gets too narrow', () => {
    const wide = fitTable(headers, rows, 70, steps)
    for (const l of wide) assert.ok(Array.from(l).length <= 70, l)
    assert.match(wide[1]!, /Bash: terraform apply -t…  permission/)
    const narrow = fitTable(headers, rows, 32, steps)
    assert.equal(narrow[0], '#  NAME          WHAT')
    assert.match(narrow[1]!, /^1  api·aaaa1111  Bash: terra…$/)
  })

  it('stops at the floors the steps give, even if the line stays too long', () => {
    assert.deepEqual(fitWidths([1, 12, 40, 20], 5, steps), [1, 6, 12, 0])
  })

  it('styles cells after padding, so colour never shifts the columns', () => {
    const lines = fitTable(headers, rows, 200, steps, (col, cell) => (col === 1 ? `<${cell}>` : cell))
    assert.match(lines[0]!, /^# {2}<NAME {8}>/)
  })
})
