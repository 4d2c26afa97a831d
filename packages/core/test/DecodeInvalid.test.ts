/**
 * Invalid input, generated systematically: every field of every fixed type missing, of
 * the wrong type and out of range, and every envelope field likewise. Each case must give
 * a typed error whose issues all point at the field, never an exception.
 */
import { describe, expect, it } from "vitest"
import { decodeEvent } from "../src/Decode.js"
import type { EventType } from "../src/Event.js"

type Case = readonly [label: string, value: unknown]

interface FieldKind {
  readonly wrongType: ReadonlyArray<unknown>
  readonly outOfRange: ReadonlyArray<unknown>
}

const id: FieldKind = {
  wrongType: [42, null, true, ["s-1"], { id: "s-1" }],
  outOfRange: ["", "has space", "x".repeat(129), "ünï", "semi;colon", "slash/es"]
}
const label = (max: number): FieldKind => ({
  wrongType: [42, null, ["MD"]],
  outOfRange: ["", "   ", "x".repeat(max + 1), "two\nlines", "tab\there"]
})
const duration: FieldKind = { wrongType: ["20", null, [20]], outOfRange: [0, -1, 601, 1.5, 1e9] }
const year: FieldKind = { wrongType: ["2028", null], outOfRange: [1949, 2151, 2028.5, -2028] }
const choice = (example: string): FieldKind => ({
  wrongType: [1, null, [example]],
  outOfRange: ["", "nope", example.toUpperCase(), ` ${example}`]
})
const choices = (example: string): FieldKind => ({
  wrongType: [example, {}, null],
  outOfRange: [[], ["nope"], [example, 1], Array.from({ length: 17 }, () => example)]
})
const faculty: FieldKind = {
  wrongType: ["f-1", null, {}],
  outOfRange: [[], ["bad id"], ["f-1", "f-1"], Array.from({ length: 101 }, (_, i) => `f-${i}`), [7]]
}
const date: FieldKind = {
  wrongType: [20260101, null],
  outOfRange: ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "2026-01-01T00:00:00Z", "1899-12-31"]
}
const labels: FieldKind = {
  wrongType: ["Pediatrics", null],
  outOfRange: [[""], [42], Array.from({ length: 21 }, (_, i) => `s${i}`)]
}

interface FixedType {
  readonly type: EventType
  readonly example: { readonly [field: string]: unknown }
  readonly fields: { readonly [field: string]: FieldKind }
  readonly optional?: ReadonlyArray<string>
}

const fixedTypes: ReadonlyArray<FixedType> = [
  {
    type: "StudentEnrolled",
    example: { studentId: "s-1001", graduationYear: 2028, program: "MD", specialtyInterests: ["Pediatrics"] },
    fields: { studentId: id, graduationYear: year, program: label(100), specialtyInterests: labels },
    optional: ["specialtyInterests"]
  },
  {
    type: "FacultyJoined",
    example: { facultyId: "f-204", department: "Medicine", rank: "Professor" },
    fields: { facultyId: id, department: label(200), rank: label(100) },
    optional: ["rank"]
  },
  {
    type: "OfficeHoursVisited",
    example: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" },
    fields: {
      studentId: id,
      facultyId: id,
      durationMinutes: duration,
      topic: choice("career"),
      initiatedBy: choice("student")
    }
  },
  {
    type: "MentorshipMeetingHeld",
    example: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 45, topics: ["research"] },
    fields: { studentId: id, facultyId: id, durationMinutes: duration, topics: choices("research") }
  },
  {
    type: "RotationCompleted",
    example: {
      studentId: "s-1001",
      facultyIds: ["f-204", "f-7"],
      rotationId: "rot-2026-im-3",
      specialty: "Internal Medicine",
      startedOn: "2026-09-01",
      endedOn: "2026-09-28"
    },
    fields: {
      studentId: id,
      facultyIds: faculty,
      rotationId: id,
      specialty: label(100),
      startedOn: date,
      endedOn: date
    }
  },
  {
    type: "FollowUpSent",
    example: { studentId: "s-1001", facultyId: "f-204", kind: "thank-you", channel: "email" },
    fields: { studentId: id, facultyId: id, kind: choice("thank-you"), channel: choice("email") }
  },
  {
    type: "LetterRequested",
    example: { studentId: "s-1001", facultyId: "f-204", letterId: "l-1", cycle: 2028, specialty: "Pediatrics" },
    fields: { studentId: id, facultyId: id, letterId: id, cycle: year, specialty: label(100) }
  },
  {
    type: "LetterSubmitted",
    example: { studentId: "s-1001", facultyId: "f-204", letterId: "l-1" },
    fields: { studentId: id, facultyId: id, letterId: id }
  }
]

const envelope = (type: EventType, data: unknown) => ({
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
  type,
  v: 1,
  occurredAt: "2026-10-01T15:30:00Z",
  source: "office-hours-scheduler",
  data
})

const issuesOf = (input: unknown) => {
  const result = decodeEvent(input)
  if (result._tag === "Success") throw new Error(`accepted ${JSON.stringify(input)}`)
  expect(result.failure._tag).toBe("EventDecodeError")
  return result.failure.issues
}

const expectAllAt = (input: unknown, path: ReadonlyArray<string>) => {
  const issues = issuesOf(input)
  expect(issues.length).toBeGreaterThan(0)
  for (const issue of issues) expect(issue.path.slice(0, path.length)).toStrictEqual(path)
  for (const issue of issues) expect(issue.message).not.toBe("")
}

describe.each(fixedTypes)("$type", ({ type, example, fields, optional = [] }) => {
  const without = (field: string) => Object.fromEntries(Object.entries(example).filter(([key]) => key !== field))

  it("accepts the example, with and without its optional fields", () => {
    expect(decodeEvent(envelope(type, example))._tag).toBe("Success")
    const minimal = Object.fromEntries(Object.entries(example).filter(([key]) => !optional.includes(key)))
    expect(decodeEvent(envelope(type, minimal))._tag).toBe("Success")
  })

  const required = Object.keys(fields).filter((field) => !optional.includes(field))
  it.each(required)("reports %s missing", (field) => {
    expect(issuesOf(envelope(type, without(field)))).toStrictEqual([
      { path: ["data", field], message: "Missing required field" }
    ])
  })

  const cases: ReadonlyArray<readonly [string, string, unknown]> = Object.entries(fields).flatMap(([field, kind]) => [
    ...kind.wrongType.map((value): readonly [string, string, unknown] => [field, "of the wrong type", value]),
    ...kind.outOfRange.map((value): readonly [string, string, unknown] => [field, "out of range", value])
  ])
  it.each(cases)("reports %s %s: %j", (field, _why, value) => {
    expectAllAt(envelope(type, { ...example, [field]: value }), ["data", field])
  })

  it("reports an unknown field, and every problem at once", () => {
    const [first, second] = Object.keys(fields)
    if (first === undefined || second === undefined) throw new Error("needs two fields")
    const data = { ...without(first), [second]: { wrong: true }, extra: 1 }
    const paths = issuesOf(envelope(type, data)).map((issue) => issue.path)
    expect(paths).toContainEqual(["data", first])
    expect(paths).toContainEqual(["data", second])
    expect(paths).toContainEqual(["data", "extra"])
  })
})

describe("the envelope", () => {
  const valid = envelope("OfficeHoursVisited", fixedTypes[2]?.example)
  const envelopeCases: ReadonlyArray<readonly [string, ReadonlyArray<Case>]> = [
    [
      "id",
      [
        ["a number", 42],
        ["not a UUID", "not-a-uuid"],
        ["too short", "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6"],
        ["in braces", "{0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f}"],
        ["without dashes", "0193a1c45e2b7c1d9f003b2a1c4d5e6f"],
        ["not hex", "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6g"]
      ]
    ],
    [
      "type",
      [
        ["a number", 42],
        ["null", null]
      ]
    ],
    [
      "v",
      [
        ["a string", "1"],
        ["zero", 0],
        ["negative", -1],
        ["a fraction", 1.5],
        ["newer than known", 2],
        ["infinite", Number.POSITIVE_INFINITY]
      ]
    ],
    [
      "occurredAt",
      [
        ["a number", 1_790_000_000_000],
        ["without an offset", "2026-10-01T15:30:00"],
        ["a day that does not exist", "2026-02-30T10:00:00Z"],
        ["hour 25", "2026-10-01T25:00:00Z"],
        ["minute 60", "2026-10-01T15:60:00Z"],
        ["a leap second", "2026-12-31T23:59:60Z"],
        ["a date only", "2026-10-01"],
        ["without seconds", "2026-10-01T15:30Z"],
        ["an offset of 24 hours", "2026-10-01T15:30:00+24:00"],
        ["an offset without a colon", "2026-10-01T15:30:00+0200"],
        ["an HTTP date", "Thu, 01 Oct 2026 15:30:00 GMT"],
        ["before 1900", "1899-12-31T23:59:59Z"],
        ["a six-digit year", "+010000-01-01T00:00:00Z"]
      ]
    ],
    [
      "source",
      [
        ["a number", 42],
        ["empty", ""],
        ["two lines", "a\nb"],
        ["too long", "s".repeat(129)]
      ]
    ],
    [
      "data",
      [
        ["null", null],
        ["an array", []],
        ["a string", "x"]
      ]
    ]
  ]
  const flat = envelopeCases.flatMap(([field, cases]) => cases.map(([why, value]) => [field, why, value] as const))

  it.each(flat)("reports %s %s", (field, _why, value) => {
    expectAllAt({ ...valid, [field]: value }, [field])
  })

  it.each(["id", "type", "occurredAt", "data"])("reports %s missing", (field) => {
    const input = Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field))
    expect(issuesOf(input)).toStrictEqual([{ path: [field], message: "Missing required field" }])
  })
})
