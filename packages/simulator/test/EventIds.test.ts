import { Ids } from "@rapport/core"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { eventId } from "../src/EventIds.js"

describe("EventIds", () => {
  it("are lower-case version-7 UUIDs that core accepts, carrying the event's time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.nat(10_000_000),
        fc.integer({ min: 0, max: 2 ** 47 }),
        (seed, counter, ms) => {
          const id = eventId(seed, counter, ms)
          expect(Ids.isEventId(id)).toBe(true)
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
          expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms)
        }
      )
    )
  })

  it("are the same for the same seed and counter, and never repeat within a school", () => {
    expect(eventId(1, 42, 1_700_000_000_000)).toBe(eventId(1, 42, 1_700_000_000_000))
    expect(eventId(1, 42, 1_700_000_000_000)).not.toBe(eventId(2, 42, 1_700_000_000_000))
    const seen = new Set<string>()
    // Same instant for all: uniqueness must come from the counter alone.
    for (let counter = 1; counter <= 200_000; counter++) seen.add(eventId(99, counter, 1_700_000_000_000))
    expect(seen.size).toBe(200_000)
  })
})
