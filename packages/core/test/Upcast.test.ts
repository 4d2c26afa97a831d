import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeEvent, encodeEvent } from "../src/Decode.js"
import { currentVersions, eventTypes as allTypes } from "../src/Event.js"
import { currentVersion, dataDecoderAt, dataDecoders, unspecifiedProgram } from "../src/Upcast.js"
import { arbitraryEventOf } from "./arbitraries.js"

const mentorAssignedV1 = {
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
  type: "MentorAssigned",
  v: 1,
  occurredAt: "2025-08-15T09:00:00-04:00",
  data: { studentId: "s-1001", facultyId: "f-204" }
}

const decoded = (input: unknown) => {
  const result = decodeEvent(input)
  if (result._tag === "Failure") throw new Error(result.failure.message)
  return result.success
}

describe("versions", () => {
  it("are 1 for every type but the mentorship ones, which are at 2", () => {
    const versions = Object.fromEntries(allTypes.map((type) => [type, currentVersion(type)]))
    const newer = Object.entries(versions).filter(([, v]) => v !== 1)
    expect(newer).toStrictEqual([
      ["MentorAssigned", 2],
      ["MentorshipEnded", 2]
    ])
  })

  it("agree with the versions Event declares: one decoder per version", () => {
    for (const type of allTypes) expect(dataDecoders[type].length).toBe(currentVersions[type])
  })

  it.each([0, -1, 1.5, 3, Number.NaN])("has no decoder for MentorAssigned v%s", (v) => {
    expect(dataDecoderAt("MentorAssigned", v)).toBeUndefined()
  })
})

describe("upcasting", () => {
  it("brings MentorAssigned v1 to v2 with an unspecified program", () => {
    expect(decoded(mentorAssignedV1)).toStrictEqual({
      ...mentorAssignedV1,
      v: 2,
      occurredAt: "2025-08-15T13:00:00.000Z",
      data: { studentId: "s-1001", facultyId: "f-204", program: unspecifiedProgram }
    })
  })

  it("brings MentorshipEnded v1 to v2 likewise", () => {
    const event = decoded({ ...mentorAssignedV1, type: "MentorshipEnded" })
    expect(event.v).toBe(2)
    expect(event.data).toStrictEqual({ studentId: "s-1001", facultyId: "f-204", program: unspecifiedProgram })
  })

  it("treats a MentorAssigned without v as v1, and checks it against the v1 shape", () => {
    const { v: _v, ...withoutV } = mentorAssignedV1
    expect(decoded(withoutV).v).toBe(2)
    const result = decodeEvent({ ...withoutV, data: { ...mentorAssignedV1.data, program: "advisory-college" } })
    expect(result._tag === "Failure" ? result.failure.issues : []).toStrictEqual([
      {
        path: ["data", "program"],
        message:
          'Unknown field in version 1 of MentorAssigned; it exists from a later version (the newest is 2: send "v": 2)'
      }
    ])
  })

  it("requires program at v2", () => {
    const result = decodeEvent({ ...mentorAssignedV1, v: 2 })
    expect(result._tag === "Failure" ? result.failure.issues : []).toStrictEqual([
      { path: ["data", "program"], message: "Missing required field" }
    ])
  })

  it("does not guess the payload's version when v is malformed", () => {
    const result = decodeEvent({ ...mentorAssignedV1, v: "2", data: { nonsense: true } })
    expect(result._tag === "Failure" ? result.failure.issues.map((issue) => issue.path) : []).toStrictEqual([["v"]])
  })

  it("leaves current events as they are: a v2 round trip keeps the program", () => {
    fc.assert(
      fc.property(arbitraryEventOf("MentorAssigned"), (event) => {
        const again = decoded(encodeEvent(event))
        expect(again.v).toBe(2)
        expect(again).toStrictEqual(event)
      })
    )
  })

  it("gives the same event for the same facts written at v1 and at v2 with program unspecified", () => {
    const v2 = { ...mentorAssignedV1, v: 2, data: { ...mentorAssignedV1.data, program: unspecifiedProgram } }
    expect(decoded(mentorAssignedV1)).toStrictEqual(decoded(v2))
  })
})
