// A measure with its spread: median, interquartile range, sample count, and "not enough data" below a
// minimum; and a bootstrap interval for a ratio of two medians. Pure and deterministic (seeded).

/** Fewer samples than this and a measure says "not enough data" instead of a number. */
export const MIN_SAMPLES = 5

export interface Measure {
  samples: number
  /** Null when there are fewer than MIN_SAMPLES samples: a number would mislead. */
  median: number | null
  /** 25th and 75th percentiles; null with the median. */
  iqr: [number, number] | null
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  )
}

/** Linear interpolation between order statistics (type 7, as R and numpy default). `sorted` ascending. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values')
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export function measure(values: number[], minSamples = MIN_SAMPLES): Measure {
  if (values.length < minSamples || values.length === 0) return { samples: values.length, median: null, iqr: null }
  const s = [...values].sort((a, b) => a - b)
  return { samples: s.length, median: quantile(s, 0.5), iqr: [quantile(s, 0.25), quantile(s, 0.75)] }
}

/** A small seeded generator (mulberry32): the same samples always give the same interval. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function resampledMedian(values: number[], rand: () => number): number {
  const pick = values.map(() => values[Math.floor(rand() * values.length)]!)
  return median(pick)!
}

export interface RatioEstimate {
  value: number
  /** 95% percentile-bootstrap interval: each side resampled independently. */
  interval: [number, number]
}

/**
 * median(numerator) / median(denominator) with a bootstrap interval. Null when either side has
 * fewer than `minSamples` samples or the denominator's median is 0.
 */
export function ratioOfMedians(
  numerator: number[],
  denominator: number[],
  opts: { minSamples?: number; rounds?: number; seed?: number } = {},
): RatioEstimate | null {
  const min = opts.minSamples ?? MIN_SAMPLES
  if (numerator.length < min || denominator.length < min) return null
  const top = median(numerator)!
  const bottom = median(denominator)!
  if (bottom <= 0) return null
  const rand = seededRandom(opts.seed ?? 1)
  const ratios: number[] = []
  // Each round resamples both sides: bound the work (the SessionStart hook waits on it) for large histories.
  const rounds =
    opts.rounds ?? Math.max(200, Math.min(1000, Math.floor(400_000 / (numerator.length + denominator.length))))
  for (let i = 0; i < rounds; i++) {
    const d = resampledMedian(denominator, rand)
    if (d > 0) ratios.push(resampledMedian(numerator, rand) / d)
  }
  ratios.sort((a, b) => a - b)
  return { value: top / bottom, interval: [quantile(ratios, 0.025), quantile(ratios, 0.975)] }
}
