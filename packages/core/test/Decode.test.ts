import { describe, expect, it } from "vitest"
import { decodeEvent, decodeEvents, EventBatchDecodeError, EventDecodeError, encodeEvent } from "../src/Decode.js"

const officeHours = {
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-10-01T15:30:00Z",
  source: "office-hours-scheduler",
  data: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" }
}

const decoded = (input: unknown) => {
  const result = decodeEvent(input)
  if (result._tag === "Failure") throw new Error(result.failure.message)
  return result.success
}

const issuesOf = (input: unknown) => {
  const result = decodeEvent(input)
  if (result._tag === "Success") throw new Error("accepted")
  return result.failure.issues
}

describe("decodeEvent", () => {
  it("decodes the example of the design", () => {
    expect(decoded(officeHours)).toStrictEqual({ ...officeHours, occurredAt: "2026-10-01T15:30:00.000Z" })
  })

  it("normalises occurredAt to a UTC instant, the id to lower case, and v to 1 when absent", () => {
    const { v: _v, ...withoutV } = officeHours
    const event = decoded({ ...withoutV, id: officeHours.id.toUpperCase(), occurredAt: "2026-10-01T17:30:00.5+02:00" })
    expect(event.occurredAt).toBe("2026-10-01T15:30:00.500Z")
    expect(event.id).toBe(officeHours.id)
    expect(event.v).toBe(1)
  })

  it.each([
    ["2026-10-01T15:30:00Z", "2026-10-01T15:30:00.000Z"],
    ["2026-10-01t15:30:00z", "2026-10-01T15:30:00.000Z"],
    ["2026-10-01T15:30:00-00:00", "2026-10-01T15:30:00.000Z"],
    ["2026-10-01T10:00:00-05:30", "2026-10-01T15:30:00.000Z"],
    ["2026-10-01T15:30:00.123456789Z", "2026-10-01T15:30:00.123Z"],
    ["2027-01-01T00:30:00+01:00", "2026-12-31T23:30:00.000Z"],
    ["2028-02-29T23:59:59+14:00", "2028-02-29T09:59:59.000Z"]
  ])("reads %s as %s", (occurredAt, instant) => {
    expect(decoded({ ...officeHours, occurredAt }).occurredAt).toBe(instant)
  })

  it("omits source when it was not sent, and keeps it when it was", () => {
    const { source: _source, ...withoutSource } = officeHours
    expect("source" in decoded(withoutSource)).toBe(false)
    expect(decoded(officeHours).source).toBe("office-hours-scheduler")
  })

  it("reports an unknown type as one issue at type, with no guessed payload errors", () => {
    expect(issuesOf({ ...officeHours, type: "OfficeHoursBooked", data: { anything: 1 } })).toStrictEqual([
      {
        path: ["type"],
        message: 'Unknown event type "OfficeHoursBooked"; the event types are listed in docs/events.md'
      }
    ])
  })

  it("suggests the type meant when only case or punctuation differ", () => {
    expect(issuesOf({ ...officeHours, type: "office_hours_visited" })).toStrictEqual([
      { path: ["type"], message: 'Unknown event type "office_hours_visited"; did you mean "OfficeHoursVisited"?' }
    ])
  })

  it("reports unknown fields in the envelope and the payload, pointing to the field meant", () => {
    const input = { ...officeHours, occurred_at: "x", data: { ...officeHours.data, studentID: "s-1", mood: "ok" } }
    expect(issuesOf(input)).toStrictEqual([
      { path: ["occurred_at"], message: 'Unknown field; did you mean "occurredAt"?' },
      { path: ["data", "studentID"], message: 'Unknown field; did you mean "studentId"?' },
      { path: ["data", "mood"], message: "Unknown field" }
    ])
  })

  it("reports __proto__, constructor and prototype as unknown fields without polluting anything", () => {
    const envelopeText = JSON.stringify(officeHours).replace(
      '"data":{',
      '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"data":{"__proto__":{"polluted":true},"prototype":1,'
    )
    const issues = issuesOf(JSON.parse(envelopeText))
    expect(issues.map((issue) => issue.path)).toStrictEqual([
      ["__proto__"],
      ["constructor"],
      ["data", "__proto__"],
      ["data", "prototype"]
    ])
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false)
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
  })

  it("refuses objects that are not plain JSON, whose inherited properties would be read as fields", () => {
    const inherited = Object.assign(Object.create(officeHours), { data: officeHours.data })
    expect(issuesOf(inherited)).toStrictEqual([
      { path: [], message: "Expected an event (a JSON object), got an object that is not plain JSON" }
    ])
    const data = Object.create(officeHours.data)
    expect(issuesOf({ ...officeHours, data })).toStrictEqual([
      { path: ["data"], message: "Expected the event's data (a JSON object), got an object that is not plain JSON" }
    ])
    expect(decoded({ ...officeHours, data: Object.assign(Object.create(null), officeHours.data) }).data).toStrictEqual(
      officeHours.data
    )
  })

  it("reports every problem of an event at once, each with its path", () => {
    const input = {
      id: "12",
      type: "OfficeHoursVisited",
      occurredAt: "2026-02-30T10:00:00Z",
      source: "",
      data: { studentId: "s 1", durationMinutes: 0, topic: "gossip", initiatedBy: "student", facultyID: "f-1" }
    }
    const paths = issuesOf(input).map((issue) => issue.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        ["id"],
        ["occurredAt"],
        ["source"],
        ["data", "studentId"],
        ["data", "facultyId"],
        ["data", "facultyID"],
        ["data", "durationMinutes"],
        ["data", "topic"]
      ])
    )
    expect(paths).toHaveLength(8)
  })

  it("checks the payload even when the envelope is wrong", () => {
    const paths = issuesOf({ ...officeHours, id: "x", data: { ...officeHours.data, topic: 1 } }).map((i) => i.path)
    expect(paths).toStrictEqual([["id"], ["data", "topic"]])
  })

  it("rejects endedOn before startedOn at endedOn", () => {
    const rotation = {
      ...officeHours,
      type: "RotationCompleted",
      data: {
        studentId: "s-1",
        facultyIds: ["f-1"],
        rotationId: "r-1",
        specialty: "Pediatrics",
        startedOn: "2026-09-28",
        endedOn: "2026-09-01"
      }
    }
    expect(issuesOf(rotation)).toStrictEqual([
      { path: ["data", "endedOn"], message: "Expected endedOn (2026-09-01) not before startedOn (2026-09-28)" }
    ])
    expect(decoded({ ...rotation, data: { ...rotation.data, endedOn: "2026-09-28" } }).type).toBe("RotationCompleted")
  })

  it.each([null, undefined, 0, "event", [], [officeHours], true, Number.NaN])("reports %j as not an event", (input) => {
    const issues = issuesOf(input)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toStrictEqual([])
  })

  it("fails with a tagged error whose message names every path", () => {
    const result = decodeEvent({ ...officeHours, v: 0, data: { ...officeHours.data, durationMinutes: 601 } })
    if (result._tag === "Success") throw new Error("accepted")
    expect(result.failure).toBeInstanceOf(EventDecodeError)
    expect(result.failure._tag).toBe("EventDecodeError")
    expect(result.failure.message).toContain("v: ")
    expect(result.failure.message).toContain("data.durationMinutes: ")
  })

  it("rejects a version newer than the newest, naming both", () => {
    expect(issuesOf({ ...officeHours, v: 7 })).toStrictEqual([
      { path: ["v"], message: "Version 7 of OfficeHoursVisited does not exist; the newest is 1" }
    ])
  })
})

describe("decodeEvents", () => {
  it("decodes a valid batch in order", () => {
    const second = { ...officeHours, id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e70" }
    const result = decodeEvents([officeHours, second])
    expect(result._tag === "Success" ? result.success.map((event) => event.id) : result.failure.issues).toStrictEqual([
      officeHours.id,
      second.id
    ])
  })

  it("reports every issue of every event with its index", () => {
    const result = decodeEvents([officeHours, { ...officeHours, id: 1 }, null, { ...officeHours, type: "Nope" }])
    if (result._tag === "Success") throw new Error("accepted")
    expect(result.failure).toBeInstanceOf(EventBatchDecodeError)
    expect(result.failure.issues.map(({ index, path }) => ({ index, path }))).toStrictEqual([
      { index: 1, path: ["id"] },
      { index: 2, path: [] },
      { index: 3, path: ["type"] }
    ])
    expect(result.failure.message).toBe("Invalid batch: 3 problem(s) in 3 event(s)")
  })
})

describe("encodeEvent", () => {
  it("gives a plain JSON object that decodes to the same event", () => {
    const event = decoded(officeHours)
    const wire = encodeEvent(event)
    expect(JSON.parse(JSON.stringify(wire))).toStrictEqual(wire)
    expect(decoded(JSON.parse(JSON.stringify(wire)))).toStrictEqual(event)
  })
})
