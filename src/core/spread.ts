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

/** Above this many samples a side's bootstrap median is drawn from its distribution, not by resampling. */
const EXACT_BELOW = 100

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 through erf; error under 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/**
 * A sampler of the median of a resample with replacement from ascending `sorted`. Small samples are
 * resampled (indices counted, no sort: O(n) a draw). Large ones draw from the bootstrap median's own
 * distribution — P(median ≤ x_j) = P(Binomial(n, (j+1)/n) ≥ ⌈n/2⌉), normal-approximated — in O(log n).
 */
function medianSampler(sorted: Float64Array, rand: () => number): () => number {
  const n = sorted.length
  if (n < EXACT_BELOW) {
    const counts = new Uint32Array(n)
    const at = (k: number) => {
      let seen = 0
      for (let j = 0; j < n; j++) {
        seen += counts[j]!
        if (seen > k) return sorted[j]!
      }
      return sorted[n - 1]!
    }
    return () => {
      counts.fill(0)
      for (let i = 0; i < n; i++) counts[Math.floor(rand() * n)]!++
      const mid = n >> 1
      return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2
    }
  }
  const need = Math.ceil(n / 2)
  const cdf = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    const p = (j + 1) / n
    const sd = Math.sqrt(n * p * (1 - p))
    cdf[j] = sd === 0 ? 1 : 1 - phi((need - 0.5 - n * p) / sd)
  }
  return () => {
    const u = rand()
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! >= u) hi = mid
      else lo = mid + 1
    }
    return sorted[lo]!
  }
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
  // Small sides are resampled (the SessionStart hook waits on this: bounded work), large ones drawn.
  const small = Math.max(numerator.length, denominator.length) < EXACT_BELOW
  const rounds =
    opts.rounds ??
    (small ? Math.max(200, Math.min(1000, Math.floor(200_000 / (numerator.length + denominator.length)))) : 1000)
  const drawTop = medianSampler(Float64Array.from(numerator).sort(), rand)
  const drawBottom = medianSampler(Float64Array.from(denominator).sort(), rand)
  for (let i = 0; i < rounds; i++) {
    const d = drawBottom()
    if (d > 0) ratios.push(drawTop() / d)
  }
  ratios.sort((a, b) => a - b)
  return { value: top / bottom, interval: [quantile(ratios, 0.025), quantile(ratios, 0.975)] }
}
