// Cutting text to a size for a person to read: one rule for every place tend shows text. Pure.

/**
 * Cut to `max` code points (never splitting a surrogate pair), marked with '…'. `atWord`: end at a
 * word boundary when one is near the end (desktop bodies read better so).
 */
export function clip(text: string, max: number, opts: { atWord?: boolean } = {}): string {
  const cps = Array.from(text)
  if (cps.length <= max) return text
  let cut = cps.slice(0, Math.max(0, max - 1)).join('')
  if (opts.atWord) {
    const space = cut.search(/\s\S*$/)
    if (space >= cut.length * 0.8) cut = cut.slice(0, space)
    cut = cut.trimEnd()
  }
  return `${cut}…`
}

/** One line: whitespace runs (newlines too) become one space, then clipped. */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max)
}
