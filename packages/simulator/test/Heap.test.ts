import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Heap } from "../src/internal/Heap.js"

describe("Heap", () => {
  it("pops by time, and in insertion order at equal times", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const heap = new Heap<number>()
        times.forEach((at, index) => {
          heap.push(at, index)
        })
        const popped: Array<number> = []
        for (let v = heap.pop(); v !== undefined; v = heap.pop()) popped.push(v)
        const expected = times.map((at, index) => [at, index] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
        expect(popped).toEqual(expected.map(([, index]) => index))
        expect(heap.size).toBe(0)
        expect(heap.peekAt()).toBe(Number.POSITIVE_INFINITY)
      })
    )
  })

  it("interleaves pushes and pops", () => {
    const heap = new Heap<string>()
    heap.push(5, "e")
    heap.push(1, "a")
    expect(heap.pop()).toBe("a")
    heap.push(3, "c")
    heap.push(3, "d")
    expect(heap.peekAt()).toBe(3)
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual(["c", "d", "e", undefined])
  })
})
