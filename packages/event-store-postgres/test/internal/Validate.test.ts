import { ContentHash, ExpectedState, InvalidAppend, type NewEvent } from "@rapport/event-store"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { prepare } from "../../src/internal/Validate.js"

const stream = { school: "sch", kind: "student", id: "s-1" } as const
const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  id: "e-1",
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-10-01T15:30:00Z",
  data: { studentId: "s-1" },
  ...overrides
})
const one = (e: NewEvent) => prepare([{ stream, expected: ExpectedState.any, events: [e] }])

// strings that jsonb and text columns store unchanged: no NUL, no unpaired surrogate
const storable = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => !s.includes("\u0000"))

describe("Validate.prepare", () => {
  it("prepares the content hash, the UTC instant and the JSON text of an event", () => {
    const prepared = one(event({ occurredAt: "2026-10-01T17:30:00+02:00" }))
    expect(prepared).not.toBeInstanceOf(InvalidAppend)
    if (prepared instanceof InvalidAppend) return
    const [first] = prepared[0] ?? []
    expect(first?.occurredAt).toBe("2026-10-01T15:30:00.000Z")
    expect(first?.hash).toBe(ContentHash.contentHash(event()))
    expect(first?.dataJson).toBe('{"studentId":"s-1"}')
  })

  it("accepts any storable text in data, and refuses NUL or an unpaired surrogate anywhere in it", () => {
    fc.assert(
      fc.property(storable, storable, fc.constantFrom("\u0000", "\uD800", "\uDFFF"), (key, value, bad) => {
        expect(one(event({ data: { [key]: [value] } }))).not.toBeInstanceOf(InvalidAppend)
        expect(one(event({ data: { [key]: [`${value}${bad}`] } }))).toBeInstanceOf(InvalidAppend)
        expect(one(event({ data: { [`${key}${bad}`]: value } }))).toBeInstanceOf(InvalidAppend)
      })
    )
  })

  it("refuses ids, types and sources PostgreSQL would refuse or alter, and instants outside years 1–9999", () => {
    const bad: ReadonlyArray<Partial<NewEvent>> = [
      { id: "" },
      { id: "x".repeat(513) },
      { id: "a\u0000" },
      { type: "" },
      { source: "\uDC00" },
      { v: 1.5 },
      { v: 2 ** 31 },
      { occurredAt: "not a date" },
      { occurredAt: "0000-12-31T23:59:59Z" },
      { occurredAt: "+010000-01-01T00:00:00Z" },
      { data: undefined }
    ]
    for (const overrides of bad) expect(one(event(overrides)), JSON.stringify(overrides)).toBeInstanceOf(InvalidAppend)
  })

  it("refuses an invalid stream id and the same stream twice in one request", () => {
    expect(prepare([{ stream: { ...stream, id: "" }, expected: ExpectedState.any, events: [] }])).toBeInstanceOf(
      InvalidAppend
    )
    const twice = prepare([
      { stream, expected: ExpectedState.any, events: [] },
      { stream: { ...stream }, expected: ExpectedState.any, events: [] }
    ])
    expect(twice).toBeInstanceOf(InvalidAppend)
  })
})
