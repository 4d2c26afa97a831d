import { describe, expect, it } from "vitest"
import * as fc from "fast-check"
import { createHash } from "node:crypto"
import { Canonical } from "@rapport/core"
import { contentHash, sameContent } from "../src/ContentHash.js"

const base = {
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-10-01T15:30:00Z",
  source: "office-hours-scheduler",
  data: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" }
}

describe("contentHash", () => {
  it("is the hex SHA-256 of the canonical content", () => {
    const expected = createHash("sha256").update(Canonical.canonicalContent(base)).digest("hex")
    expect(contentHash(base)).toBe(expected)
    expect(contentHash(base)).toMatch(/^[0-9a-f]{64}$/)
  })

  it("ignores source, id, key order and the offset of occurredAt", () => {
    const reordered = {
      initiatedBy: "student",
      topic: "career",
      durationMinutes: 20,
      facultyId: "f-204",
      studentId: "s-1001"
    }
    const resent = { ...base, id: "other", source: undefined }
    expect(sameContent(base, resent)).toBe(true)
    expect(sameContent(base, { ...base, data: reordered })).toBe(true)
    expect(sameContent(base, { ...base, occurredAt: "2026-10-01T17:30:00+02:00" })).toBe(true)
    expect(sameContent(base, { ...base, occurredAt: "2026-10-01T15:30:00.000Z" })).toBe(true)
  })

  it("changes with type, v, the instant and data", () => {
    expect(sameContent(base, { ...base, type: "FollowUpSent" })).toBe(false)
    expect(sameContent(base, { ...base, v: 2 })).toBe(false)
    expect(sameContent(base, { ...base, occurredAt: "2026-10-01T15:30:01Z" })).toBe(false)
    expect(sameContent(base, { ...base, data: { ...base.data, durationMinutes: 21 } })).toBe(false)
    // Unicode normalisation is content: NFC and NFD spellings are different events.
    expect(sameContent({ ...base, data: { note: "\u00e9" } }, { ...base, data: { note: "e\u0301" } })).toBe(false)
  })

  it("equal hashes exactly when canonical contents are equal", () => {
    const json = fc.jsonValue({ maxDepth: 3 })
    fc.assert(
      fc.property(json, json, (a, b) => {
        const x = { ...base, data: a }
        const y = { ...base, data: b }
        expect(contentHash(x) === contentHash(y)).toBe(Canonical.canonicalContent(x) === Canonical.canonicalContent(y))
      }),
      { numRuns: 300 }
    )
  })
})
