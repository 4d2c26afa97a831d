/**
 * The simulator's own seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small
 * Fast Counting generator, 128 bits of state, period ≥ 2³²), seeded through splitmix32 so
 * that neighbouring seeds (1, 2, 3) give unrelated streams, and the distributions the
 * school model draws from (uniform, normal, log-normal, exponential, Poisson, weighted
 * choice).
 *
 * The same seed gives the same sequence on every platform: only 32-bit integer arithmetic
 * (`Math.imul`, `>>>`) and one division by 2³² are used. This module must never call
 * `Math.random` or read a clock — the whole simulator's determinism rests on it.
 *
 * @since 0.1.0
 */

/**
 * A seed: a non-negative integer, or any string (hashed with FNV-1a).
 *
 * @since 0.1.0
 * @category models
 */
export type Seed = number | string

/**
 * Hashes a seed to 32 bits: integers are taken modulo 2³² (negative and fractional seeds
 * are hashed as their text), strings through FNV-1a.
 *
 * @since 0.1.0
 * @category operations
 */
export const hashSeed = (seed: Seed): number => {
  if (typeof seed === "number" && Number.isSafeInteger(seed) && seed >= 0) return seed >>> 0
  const text = String(seed)
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * One step of splitmix32: a bijective mix of a 32-bit counter, used to expand a seed into
 * generator state and to derive independent streams.
 *
 * @since 0.1.0
 * @category operations
 */
export const mix32 = (value: number): number => {
  let z = (value + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/**
 * A seeded generator. Methods mutate its state; two generators made from the same seed
 * and label produce the same values in the same order.
 *
 * @since 0.1.0
 * @category models
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number
  /** The 32-bit seed this stream was made from (for deriving sub-streams). */
  readonly key: number

  constructor(key: number) {
    this.key = key >>> 0
    this.a = mix32(this.key)
    this.b = mix32(this.a ^ 0x6a09e667)
    this.c = mix32(this.b ^ 0xbb67ae85)
    this.d = 1
    // sfc32's first outputs are correlated with the seed: discard a few.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A uniform number in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296
  }

  /** A uniform integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min))
  }

  /** A uniform real number in [min, max). */
  between(min: number, max: number): number {
    return min + this.float() * (max - min)
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** One element of a non-empty array, uniformly; `undefined` for an empty one. */
  pick<A>(values: ReadonlyArray<A>): A | undefined {
    return values[Math.floor(this.float() * values.length)]
  }

  /** An index chosen with probability proportional to its weight; -1 if all are 0. */
  weightedIndex(weights: ReadonlyArray<number>): number {
    let total = 0
    for (const w of weights) total += w
    if (!(total > 0)) return -1
    let target = this.float() * total
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] ?? 0
      if (target < 0) return i
    }
    return weights.length - 1
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float()
    const v = this.float()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** A log-normal deviate `exp(mu + sigma·N(0,1))`. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  /** An exponential deviate with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean
  }

  /** A Poisson deviate (Knuth's method; the simulator's rates are small). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()))
    const limit = Math.exp(-lambda)
    let k = 0
    let p = this.float()
    while (p > limit) {
      k++
      p *= this.float()
    }
    return k
  }

  /** `k` distinct elements in random order (all of them when `k` ≥ length). */
  sample<A>(values: ReadonlyArray<A>, k: number): Array<A> {
    const copy = values.slice()
    const n = Math.min(k, copy.length)
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length)
      const chosen = copy[j]
      const here = copy[i]
      if (chosen === undefined || here === undefined) continue
      copy[i] = chosen
      copy[j] = here
    }
    return copy.slice(0, n)
  }

  /**
   * A new generator derived from this one's key and a label, without consuming any of
   * this generator's values: the derived stream does not shift when other code draws more.
   */
  fork(label: string | number): Random {
    return new Random(mix32(this.key ^ hashSeed(typeof label === "number" ? label : `:${label}`)))
  }
}

/**
 * The standard normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation,
 * relative error below 1.2·10⁻⁹). Used to draw stratified samples: spreading `n` draws
 * over the quantiles `(k + ½)/n` gives a population the same shape under every seed.
 *
 * @since 0.1.0
 * @category operations
 */
export const normalQuantile = (p: number): number => {
  const tail = (q: number): number =>
    (((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q +
      4.374664141464968) *
      q +
      2.938163982698783) /
    ((((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return (
    ((((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.357751867269) * r -
      30.66479806614716) *
      r +
      2.506628277459239) *
      q) /
    (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r -
      13.28068155288572) *
      r +
      1)
  )
}

/**
 * A generator for a seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: Seed): Random => new Random(hashSeed(seed))
