import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeEvent } from "../src/Decode.js"
import { dedupe } from "../src/Dedupe.js"
import type { RapportEvent } from "../src/Event.js"
import { arbitraryEvent } from "./arbitraries.js"

const event = (overrides: { readonly [key: string]: unknown } = {}): RapportEvent => {
  const result = decodeEvent({
    id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
    type: "FollowUpSent",
    occurredAt: "2026-10-01T15:30:00Z",
    data: { studentId: "s-1", facultyId: "f-1", kind: "thank-you", channel: "email" },
    ...overrides
  })
  if (result._tag === "Failure") throw new Error(result.failure.message)
  return result.success
}

describe("dedupe", () => {
  it("counts an exact repeat once, whatever its source or offset", () => {
    const first = event()
    const again = event({ source: "another-system", occurredAt: "2026-10-01T17:30:00+02:00" })
    expect(dedupe([first, again])).toStrictEqual({ events: [first], duplicates: 1, conflicts: [] })
  })

  it("keeps the first of a conflicting repeat and reports the pair", () => {
    const first = event()
    const other = event({ data: { studentId: "s-1", facultyId: "f-1", kind: "update", channel: "email" } })
    const later = event({ occurredAt: "2026-10-02T15:30:00Z" })
    const result = dedupe([first, other, later])
    expect(result.events).toStrictEqual([first])
    expect(result.duplicates).toBe(0)
    expect(result.conflicts).toStrictEqual([
      { id: first.id, first, other },
      { id: first.id, first, other: later }
    ])
  })

  it("keeps distinct ids in input order, from any iterable", () => {
    const a = event()
    const b = event({ id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e70" })
    function* events() {
      yield b
      yield a
      yield b
    }
    expect(dedupe(events())).toStrictEqual({ events: [b, a], duplicates: 1, conflicts: [] })
  })

  it("is idempotent and loses no id: dedupe(x ++ x) keeps what dedupe(x) keeps", () => {
    fc.assert(
      fc.property(fc.array(arbitraryEvent(), { maxLength: 30 }), (events) => {
        const once = dedupe(events)
        const twice = dedupe([...events, ...events])
        expect(twice.events).toStrictEqual(once.events)
        expect(twice.duplicates).toBe(once.duplicates + events.length - once.conflicts.length)
        expect(new Set(once.events.map((e) => e.id))).toStrictEqual(new Set(events.map((e) => e.id)))
        expect(dedupe(once.events)).toStrictEqual({ events: once.events, duplicates: 0, conflicts: [] })
      })
    )
  })
})
