/**
 * A binary min-heap ordered by a time and then by insertion order, so that two entries
 * at the same instant always come out in the order they went in. The simulator's agenda,
 * its not-yet-released events and its not-yet-delivered events are all such heaps; the
 * insertion tie-break is what keeps the output byte-identical from run to run.
 *
 * Keys, sequence numbers and values live in three parallel arrays: pushing an event
 * allocates nothing (millions of events pass through).
 *
 * Internal: not part of the public surface.
 *
 * @since 0.1.0
 */

/**
 * A min-heap of values keyed by `at` (ties: first in, first out).
 *
 * @since 0.1.0
 * @category models
 */
export class Heap<A> {
  private readonly ats: Array<number> = []
  private readonly seqs: Array<number> = []
  private readonly values: Array<A> = []
  private counter = 0

  get size(): number {
    return this.values.length
  }

  /** The smallest key, or `Infinity` when empty. */
  peekAt(): number {
    return this.ats[0] ?? Number.POSITIVE_INFINITY
  }

  private before(i: number, at: number, seq: number): boolean {
    const other = this.ats[i] ?? Number.POSITIVE_INFINITY
    return other < at || (other === at && (this.seqs[i] ?? 0) < seq)
  }

  private move(from: number, to: number): void {
    this.ats[to] = this.ats[from] ?? 0
    this.seqs[to] = this.seqs[from] ?? 0
    const value = this.values[from]
    if (value !== undefined) this.values[to] = value
  }

  push(at: number, value: A): void {
    const seq = this.counter++
    let i = this.values.length
    this.ats.push(at)
    this.seqs.push(seq)
    this.values.push(value)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.before(parent, at, seq)) break
      this.move(parent, i)
      i = parent
    }
    this.ats[i] = at
    this.seqs[i] = seq
    this.values[i] = value
  }

  /** Removes and returns the smallest entry's value, or `undefined` when empty. */
  pop(): A | undefined {
    const top = this.values[0]
    const lastAt = this.ats.pop()
    const lastSeq = this.seqs.pop()
    const last = this.values.pop()
    if (top === undefined || last === undefined || lastAt === undefined || lastSeq === undefined) return undefined
    const n = this.values.length
    if (n === 0) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && this.before(right, this.ats[left] ?? 0, this.seqs[left] ?? 0) ? right : left
      if (!this.before(child, lastAt, lastSeq)) break
      this.move(child, i)
      i = child
    }
    this.ats[i] = lastAt
    this.seqs[i] = lastSeq
    this.values[i] = last
    return top
  }
}
