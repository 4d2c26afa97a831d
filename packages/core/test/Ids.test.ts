import * as fc from "fast-check"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { EventId, FacultyId, isEventId, isOpaqueId, OpaqueId, StudentId } from "../src/Ids.js"
import { arbitraryOpaqueId } from "./arbitraries.js"

const accepts = (schema: Schema.Decoder<string>, value: unknown) =>
  Schema.decodeUnknownResult(schema)(value)._tag === "Success"

describe("opaque ids", () => {
  it.each(["s-1001", "a", "x".repeat(128), "S.1_~:@-z", "2026", "user@school.edu", "urn:x:1"])("accept %s", (id) => {
    for (const schema of [StudentId, FacultyId, OpaqueId]) expect(accepts(schema, id)).toBe(true)
    expect(isOpaqueId(id)).toBe(true)
  })

  it.each(["", "x".repeat(129), "has space", "ünï", "a/b", "a+b", "a#b", "tab\t", "new\nline", "a,b", "(x)"])(
    "reject %j",
    (id) => {
      for (const schema of [StudentId, FacultyId, OpaqueId]) expect(accepts(schema, id)).toBe(false)
      expect(isOpaqueId(id)).toBe(false)
    }
  )

  it("reject anything that is not a string", () => {
    for (const value of [1, null, undefined, ["s-1"], { id: "s-1" }]) expect(accepts(StudentId, value)).toBe(false)
  })

  it("agree with the guard on any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), arbitraryOpaqueId), (text) => {
        expect(accepts(StudentId, text)).toBe(isOpaqueId(text))
      })
    )
  })

  it("are kept exactly as sent (no case folding)", () => {
    expect(Schema.decodeUnknownSync(StudentId)("S-1001")).toBe("S-1001")
  })
})

describe("event ids", () => {
  it.each([
    "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
    "00000000-0000-0000-0000-000000000000",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
  ])("accept %s and decode it in lower case", (id) => {
    expect(isEventId(id)).toBe(true)
    expect(Schema.decodeUnknownSync(EventId)(id)).toBe(id.toLowerCase())
  })

  it.each([
    "",
    "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6",
    "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6ff",
    "0193a1c45e2b7c1d9f003b2a1c4d5e6f",
    "{0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f}",
    "urn:uuid:0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
    "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6g",
    " 0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f"
  ])("reject %j", (id) => {
    expect(isEventId(id)).toBe(false)
    expect(accepts(EventId, id)).toBe(false)
  })

  it("accept every UUID fast-check makes, of any version", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(isEventId(id)).toBe(true)
      })
    )
  })
})
