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
