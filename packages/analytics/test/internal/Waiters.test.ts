import { describe, expect, it } from "vitest"
import { Waiters } from "../../src/internal/Waiters.js"

describe("Waiters", () => {
  it("answers true those whose position is reached, false after their time, and reports who waits", async () => {
    const changes: Array<number> = []
    const waiters = new Waiters(() => changes.push(waiters.size))
    const early = waiters.wait(5, 60_000)
    const late = waiters.wait(9, 60_000)
    const timedOut = waiters.wait(100, 1)
    expect(waiters.waitsFor(5)).toBe(true)
    expect(waiters.waitsFor(4)).toBe(false)
    waiters.reached(6)
    await expect(early).resolves.toBe(true)
    await expect(timedOut).resolves.toBe(false)
    expect(waiters.waitsFor(8)).toBe(false)
    waiters.reached(9)
    await expect(late).resolves.toBe(true)
    expect(waiters.size).toBe(0)
    expect(changes.slice(0, 3)).toEqual([1, 2, 3])
  })
})
