// A table that fits a terminal's width: columns shrink (their cells cut with '…') or drop out in a
// given order until the line fits. Pure; colour is applied to cells after they are padded.
import { clip } from '../core/clip.ts'

const SEP = '  '

/** One shrinking step: column `col` may go down to `to` characters; below `dropUnder` it is left out. */
export interface ShrinkStep {
  col: number
  to: number
  dropUnder?: number
}

/** Column widths for `width` (0: the column is left out). */
export function fitWidths(natural: number[], width: number, steps: ShrinkStep[]): number[] {
  const widths = [...natural]
  const total = () => {
    const shown = widths.filter((w) => w > 0)
    return shown.reduce((a, b) => a + b, 0) + SEP.length * Math.max(0, shown.length - 1)
  }
  for (const step of steps) {
    const excess = total() - width
    if (excess <= 0) break
    const current = widths[step.col] ?? 0
    if (current === 0) continue
    const next = Math.max(step.to, current - excess)
    widths[step.col] = step.dropUnder !== undefined && next < step.dropUnder ? 0 : Math.min(current, next)
  }
  return widths
}

const cps = (s: string) => Array.from(s).length

/**
 * Lines of the table at most `width` wide (as far as `steps` allow). `style(col, cell, row)` colours a
 * cell after it was cut and padded (row -1 is the header).
 */
export function fitTable(
  headers: string[],
  rows: string[][],
  width: number,
  steps: ShrinkStep[],
  style: (col: number, cell: string, row: number) => string = (_c, cell) => cell,
): string[] {
  const natural = headers.map((h, i) => Math.max(cps(h), ...rows.map((r) => cps(r[i] ?? ''))))
  const widths = fitWidths(natural, width, steps)
  const last = widths.reduce((at, w, i) => (w > 0 ? i : at), 0)
  const line = (cells: string[], row: number) => {
    const parts: string[] = []
    widths.forEach((w, i) => {
      if (w === 0) return
      const cut = clip(cells[i] ?? '', w)
      const padded = i === last ? cut : cut + ' '.repeat(w - cps(cut))
      parts.push(style(i, padded, row))
    })
    return parts.join(SEP).trimEnd()
  }
  return [line(headers, -1), ...rows.map((r, i) => line(r, i))]
}
