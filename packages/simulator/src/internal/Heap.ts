/**
 * A binary min-heap ordered by a time and then by insertion order, so that two entries
 * at the same instant always come out in the order they went in. The simulator's agenda,
 * its not-yet-released events and its not-yet-delivered events are all such heaps; the
 * insertion tie-break is what keeps the output byte-identical from run to run.
 *
 * Internal: not part of the public surface.
 *
 * @since 0.1.0
 */

interface Entry<A> {
  readonly at: number
  readonly seq: number
  readonly value: A
}

const before = <A>(x: Entry<A>, y: Entry<A>): boolean => x.at < y.at || (x.at === y.at && x.seq < y.seq)

/**
 * A min-heap of values keyed by `at` (ties: first in, first out).
 *
 * @since 0.1.0
 * @category models
 */
export class Heap<A> {
  private readonly entries: Array<Entry<A>> = []
  private counter = 0

  get size(): number {
    return this.entries.length
  }

  /** The smallest key, or `Infinity` when empty. */
  peekAt(): number {
    return this.entries[0]?.at ?? Number.POSITIVE_INFINITY
  }

  push(at: number, value: A): void {
    const entries = this.entries
    const entry: Entry<A> = { at, seq: this.counter++, value }
    let i = entries.length
    entries.push(entry)
    while (i > 0) {
      const parent = (i - 1) >> 1
      const above = entries[parent]
      if (above === undefined || !before(entry, above)) break
      entries[i] = above
      i = parent
    }
    entries[i] = entry
  }

  /** Removes and returns the smallest entry's value, or `undefined` when empty. */
  pop(): A | undefined {
    const entries = this.entries
    const top = entries[0]
    const last = entries.pop()
    if (top === undefined || last === undefined) return undefined
    const n = entries.length
    if (n === 0) return top.value
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      const leftEntry = entries[left]
      const rightEntry = entries[right]
      if (leftEntry === undefined) break
      const child = rightEntry !== undefined && before(rightEntry, leftEntry) ? right : left
      const childEntry = child === right ? rightEntry : leftEntry
      if (childEntry === undefined || !before(childEntry, last)) break
      entries[i] = childEntry
      i = child
    }
    entries[i] = last
    return top.value
  }
}
