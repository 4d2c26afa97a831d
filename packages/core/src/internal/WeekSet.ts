/**
 * The set of local weeks with scored contact of one pair (Contribution.week): a bitset
 * over a window of weeks, which every pair keeps, so it must cost little per event.
 *
 * A `Set<number>` per pair made the fold markedly slower (a hash table per pair, grown
 * step by step, and a hash per event). Week keys are small integers and a pair's weeks
 * lie within a few years, so one bit per week of a window that grows when a week falls
 * outside it is smaller and faster: adding a week, in any order, is a shift, a mask and a
 * test. Readers see it as a `ReadonlySet<number>` (in ascending order).
 *
 * @since 0.3.0
 */

/**
 * Weeks per word: 30 bits keep every word a small integer (V8 stores it unboxed in a plain
 * array), and a plain array spares each pair the array buffer a typed array would bring.
 */
const bits = 30

/** Words a new set starts with, centred on its first week: about four and a half years. */
const initialWords = 8

/** A set of week keys (32-bit integers) as a growable bitset. */
export class WeekSet implements ReadonlySet<number> {
  private words: Array<number> = [0, 0, 0, 0, 0, 0, 0, 0]
  /** The absolute index (week ÷ 30, rounded down) of `words[0]`; set by the first week. */
  private first = 0
  private count = 0

  get size(): number {
    return this.count
  }

  add(week: number): this {
    const word = Math.floor(week / bits)
    if (this.count === 0) this.first = word - (initialWords >> 1)
    let at = word - this.first
    if (at < 0 || at >= this.words.length) at = this.grow(word)
    const bit = 1 << (week - word * bits)
    const w = this.words[at] ?? 0
    if ((w & bit) === 0) {
      this.words[at] = w | bit
      this.count++
    }
    return this
  }

  /** Widens the window to hold absolute word `word` (at least doubling it); its new index. */
  private grow(word: number): number {
    const length = this.words.length
    const below = word < this.first ? Math.max(length, this.first - word) : 0
    const above = word >= this.first + length ? Math.max(length, word - this.first - length + 1) : 0
    const grown: Array<number> = new Array<number>(length + below + above).fill(0)
    for (let i = 0; i < length; i++) grown[below + i] = this.words[i] ?? 0
    this.words = grown
    this.first -= below
    return word - this.first
  }

  clear(): void {
    this.words.fill(0)
    this.count = 0
  }

  has(week: number): boolean {
    const word = Math.floor(week / bits)
    const at = word - this.first
    if (at < 0 || at >= this.words.length) return false
    return ((this.words[at] ?? 0) & (1 << (week - word * bits))) !== 0
  }

  /** The weeks in ascending order (a copy). */
  private list(): Array<number> {
    const out: Array<number> = []
    for (let i = 0; i < this.words.length; i++) {
      const w = this.words[i] ?? 0
      if (w === 0) continue
      for (let b = 0; b < bits; b++) if ((w & (1 << b)) !== 0) out.push((this.first + i) * bits + b)
    }
    return out
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
    for (const w of this.list()) callback.call(thisArg, w, w, this)
  }
}
