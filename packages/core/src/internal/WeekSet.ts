/**
 * The set of local weeks with scored contact of one pair (Contribution.week): a sorted
 * Int32Array, which every pair keeps, so it must cost little per event.
 *
 * A `Set<number>` per pair made the fold markedly slower (a hash table per pair, grown
 * step by step, and a hash per event); week keys are small integers and a pair has a few
 * dozen of them, so a sorted array is smaller and faster: adding the latest week (the
 * usual case, events arriving in order) is O(1), any other week a binary search and a
 * short shift. Readers see it as a `ReadonlySet<number>` (in ascending order).
 *
 * @since 0.3.0
 */

const initialCapacity = 8

/** A growable sorted set of week keys (32-bit integers). */
export class WeekSet implements ReadonlySet<number> {
  private weeks: Int32Array = new Int32Array(initialCapacity)
  private count = 0

  get size(): number {
    return this.count
  }

  /** Where `week` is, or `-(insertion point) - 1`. */
  private search(week: number): number {
    let lo = 0
    let hi = this.count - 1
    const weeks = this.weeks
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const w = weeks[mid] ?? 0
      if (w < week) lo = mid + 1
      else if (w > week) hi = mid - 1
      else return mid
    }
    return -lo - 1
  }

  add(week: number): this {
    const n = this.count
    let i = n
    if (n > 0 && week <= (this.weeks[n - 1] ?? 0)) {
      const found = this.search(week)
      if (found >= 0) return this
      i = -found - 1
    }
    if (n === this.weeks.length) {
      const grown = new Int32Array(n * 2)
      grown.set(this.weeks)
      this.weeks = grown
    }
    if (i < n) this.weeks.copyWithin(i + 1, i, n)
    this.weeks[i] = week
    this.count = n + 1
    return this
  }

  clear(): void {
    this.count = 0
  }

  has(week: number): boolean {
    return this.search(week) >= 0
  }

  /** The weeks in ascending order (a copy). */
  private list(): Array<number> {
    return Array.from(this.weeks.subarray(0, this.count))
  }

  values(): SetIterator<number> {
    return this.list().values()
  }

  keys(): SetIterator<number> {
    return this.list().values()
  }

  entries(): SetIterator<[number, number]> {
    return this.list()
      .map((w): [number, number] => [w, w])
      .values()
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.list().values()
  }

  forEach(callback: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.count; i++) {
      const w = this.weeks[i] ?? 0
      callback.call(thisArg, w, w, this)
    }
  }
}
