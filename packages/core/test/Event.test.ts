import type * as SchemaAST from "effect/SchemaAST"
import { describe, expect, it } from "vitest"
import * as fc from "fast-check"
import { decodeEvent, encodeEvent } from "../src/Decode.js"
import { dataSchemas, eventTypes, fixedEventTypes, isEventType, make } from "../src/Event.js"
import { arbitraryEvent } from "./arbitraries.js"

const fieldsOf = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  ast._tag === "Objects" ? ast.propertySignatures.map((field) => String(field.name)) : []

describe("the vocabulary", () => {
  it("lists every type once, and has a payload schema for each", () => {
    expect(new Set(eventTypes).size).toBe(eventTypes.length)
    expect([...eventTypes].sort()).toStrictEqual(Object.keys(dataSchemas).sort())
    expect(eventTypes).toHaveLength(27)
  })

  it("keeps the eight fixed types and their fields exactly as the design has them", () => {
    const fixed = Object.fromEntries(fixedEventTypes.map((type) => [type, fieldsOf(dataSchemas[type].ast)]))
    expect(fixed).toStrictEqual({
      StudentEnrolled: ["studentId", "graduationYear", "program", "specialtyInterests"],
      FacultyJoined: ["facultyId", "department", "rank"],
      OfficeHoursVisited: ["studentId", "facultyId", "durationMinutes", "topic", "initiatedBy"],
      MentorshipMeetingHeld: ["studentId", "facultyId", "durationMinutes", "topics"],
      RotationCompleted: ["studentId", "facultyIds", "rotationId", "specialty", "startedOn", "endedOn"],
      FollowUpSent: ["studentId", "facultyId", "kind", "channel"],
      LetterRequested: ["studentId", "facultyId", "letterId", "cycle", "specialty"],
      LetterSubmitted: ["studentId", "facultyId", "letterId"]
    })
    expect(eventTypes.slice(0, 8)).toStrictEqual(fixedEventTypes)
  })

  it("gives SupportCheckInHeld no field for free text", () => {
    expect(fieldsOf(dataSchemas.SupportCheckInHeld.ast)).toStrictEqual(["studentId", "facultyId", "kind"])
  })

  it("has every payload name a student or a faculty member, except retractions", () => {
    for (const type of eventTypes) {
      const fields = fieldsOf(dataSchemas[type].ast)
      const namesSomeone = fields.some((field) => ["studentId", "facultyId", "facultyIds"].includes(field))
      expect(namesSomeone || type === "EventRetracted").toBe(true)
    }
  })
})

describe("isEventType", () => {
  it("knows every type", () => {
    for (const type of eventTypes) expect(isEventType(type)).toBe(true)
  })

  it.each(["", "__proto__", "constructor", "toString", "hasOwnProperty", "officehoursvisited", "OfficeHoursVisited "])(
    "rejects %j",
    (text) => {
      expect(isEventType(text)).toBe(false)
    }
  )
})

describe("make", () => {
  it("builds the event decoding would give for the same parts", () => {
    fc.assert(
      fc.property(arbitraryEvent(), (event) => {
        const { id, occurredAt, data } = event
        const parts =
          event.source === undefined ? { id, occurredAt, data } : { id, occurredAt, source: event.source, data }
        const made = make(event.type, parts)
        expect(made).toStrictEqual(event)
        const again = decodeEvent(encodeEvent(made))
        expect(again._tag === "Success" ? again.success : again.failure.issues).toStrictEqual(made)
      })
    )
  })

  it("is typed by its type", () => {
    const event = make("MentorAssigned", {
      id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
      occurredAt: "2026-10-01T15:30:00.000Z",
      data: { studentId: "s-1", facultyId: "f-1", program: "advisory-college" }
    })
    expect(event.data.program).toBe("advisory-college")
    expect(event.v).toBe(2)
    expect("source" in event).toBe(false)
  })
})
