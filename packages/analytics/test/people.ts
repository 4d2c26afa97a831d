/**
 * Hand-written people and events for the edges a simulated school does not reach: a
 * student known only from contact (no enrolment), events built from plain wire objects.
 */
import { Decode, type Event } from "@rapport/core"
import * as Result from "effect/Result"

let counter = 0

/** A fresh, valid event id (UUID shape) for hand-written events. */
export const nextId = (): string => {
  counter += 1
  return `0193a1c4-5e2b-7c1d-9f00-${counter.toString(16).padStart(12, "0")}`
}

/** Decodes a wire object, failing the test on a typo. */
export const event = (wire: {
  readonly type: string
  readonly occurredAt: string
  readonly data: Readonly<Record<string, unknown>>
  readonly id?: string
  readonly source?: string
}): Event.RapportEvent => {
  const decoded = Decode.decodeEvent({ id: wire.id ?? nextId(), v: 1, source: "test", ...wire })
  if (Result.isFailure(decoded)) throw new Error(`bad test event: ${JSON.stringify(decoded.failure)}`)
  return decoded.success
}

export const officeHours = (studentId: string, facultyId: string, occurredAt: string, id?: string) =>
  event({
    type: "OfficeHoursVisited",
    occurredAt,
    ...(id === undefined ? {} : { id }),
    data: { studentId, facultyId, durationMinutes: 30, topic: "career", initiatedBy: "student" }
  })

/** A student the school never enrolled: their status is "unknown", and they count as active. */
export const walkIn = "s-walk-in"

export const walkInEvents: ReadonlyArray<Event.RapportEvent> = [
  officeHours(walkIn, "f-visiting", "2026-06-10T14:00:00Z"),
  officeHours(walkIn, "f-visiting", "2026-07-08T14:00:00Z"),
  officeHours(walkIn, "f-visiting", "2026-08-12T14:00:00Z")
]

/**
 * A school of six students and three faculty: every group in it is smaller than the
 * default suppression threshold of 10. Students graduate in 2027 (the next cycle on
 * 2026-09-20); each meets their faculty monthly and has a support check-in.
 */
export const smallSchool = (): ReadonlyArray<Event.RapportEvent> => {
  const out: Array<Event.RapportEvent> = []
  const faculty = ["f-a", "f-b", "f-c"]
  for (const [i, facultyId] of faculty.entries()) {
    out.push(
      event({
        type: "FacultyJoined",
        occurredAt: "2025-01-01T12:00:00Z",
        data: { facultyId, department: i === 2 ? "Surgery" : "Medicine" }
      })
    )
  }
  for (let s = 1; s <= 6; s++) {
    const studentId = `s-small-${s}`
    out.push(
      event({
        type: "StudentEnrolled",
        occurredAt: "2023-08-01T12:00:00Z",
        data: { studentId, graduationYear: 2027, program: "MD", specialtyInterests: ["Surgery"] }
      })
    )
    const facultyId = faculty[s % 3] ?? "f-a"
    for (const month of ["03", "04", "05", "06", "07", "08"]) {
      out.push(officeHours(studentId, facultyId, `2026-${month}-1${s}T15:00:00Z`))
      out.push(
        event({
          type: "MentorshipMeetingHeld",
          occurredAt: `2026-${month}-2${s}T15:00:00Z`,
          data: { studentId, facultyId, durationMinutes: 45, topics: ["residency-application"] }
        })
      )
    }
    out.push(
      event({
        type: "SupportCheckInHeld",
        occurredAt: "2026-08-05T15:00:00Z",
        data: { studentId, facultyId, kind: "wellbeing" }
      })
    )
    out.push(
      event({
        type: "RotationCompleted",
        occurredAt: "2026-07-31T20:00:00Z",
        data: {
          studentId,
          facultyIds: [facultyId],
          rotationId: `rot-${s}`,
          specialty: "Surgery",
          startedOn: "2026-07-01",
          endedOn: "2026-07-31"
        }
      })
    )
  }
  return out
}
