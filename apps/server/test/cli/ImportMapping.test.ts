/**
 * Mapping files: the example in examples/ is valid; mistakes are refused with one sentence
 * that names them (a field the type lacks, an unknown event type, a header without a column
 * the mapping reads); rows become events with stable ids, value maps applied case-blind,
 * empty optional cells left out, and problems that name their column.
 */
import { readFileSync } from "node:fs"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as ImportMapping from "../../src/cli/ImportMapping.js"
import * as StableId from "../../src/ingest/StableId.js"

const example = readFileSync(new URL("../../../../examples/scheduler-mapping.json", import.meta.url), "utf8")
const header =
  readFileSync(new URL("../../../../examples/scheduler-export.csv", import.meta.url), "utf8")
    .split("\n")[0]
    ?.split(",") ?? []

const parsed = (text: string) => {
  const result = ImportMapping.parse(text)
  return Result.isSuccess(result) ? result.success : result.failure
}

const readerOf = (mapping: ImportMapping.Mapping, columns: ReadonlyArray<string> = header) => {
  const result = ImportMapping.reader(mapping, columns, "America/New_York")
  if (Result.isFailure(result)) throw new Error(result.failure)
  return result.success
}

describe("ImportMapping", () => {
  it("accepts the example mapping, and refuses mistakes with one sentence naming them", () => {
    const mapping = parsed(example)
    expect(typeof mapping).toBe("object")
    const withTypo = JSON.parse(example)
    withTypo.data.OfficeHoursVisited.studentID = "Student ID"
    expect(parsed(JSON.stringify(withTypo))).toMatch(
      /^data\.OfficeHoursVisited\.studentID: OfficeHoursVisited has no field "studentID"/
    )
    const unknownType = JSON.parse(example)
    unknownType.type.values["Office Hours"] = "OfficeHoursVisit"
    expect(parsed(JSON.stringify(unknownType))).toMatch(/type.*Expected an event type/)
    expect(parsed("{")).toMatch(/^it is not JSON/)
    if (typeof mapping === "string") return
    const missing = ImportMapping.reader(
      mapping,
      header.filter((column) => column !== "Reason"),
      "UTC"
    )
    expect(Result.isFailure(missing) ? missing.failure : "").toMatch(/^the header has no column "Reason"/)
  })

  it("maps a row: stable id, local time, value maps case-blind, extra columns ignored", () => {
    const mapping = parsed(example)
    if (typeof mapping === "string") throw new Error(mapping)
    const read = readerOf(mapping)
    const row = [
      "A-1",
      "office hours",
      "Completed",
      "10/1/2026",
      "3:30 PM",
      "20",
      "s-1",
      "Okafor, Chidi",
      "f-2",
      "Dr. Levin",
      "career ADVICE",
      "Student",
      "Room 4B",
      'He said "hi",\nthen left'
    ]
    const mapped = ImportMapping.mapRow(read, row)
    expect(mapped.problems).toEqual([])
    expect(mapped.event).toEqual({
      id: StableId.eventId(StableId.sourceNamespace("acme-scheduler"), "A-1"),
      type: "OfficeHoursVisited",
      occurredAt: "2026-10-01T19:30:00.000Z",
      source: "acme-scheduler",
      data: { studentId: "s-1", facultyId: "f-2", durationMinutes: 20, topic: "career", initiatedBy: "student" }
    })
    const bad = ImportMapping.mapRow(
      read,
      row.map((cell, i) => (i === 5 ? "twenty" : i === 0 ? "" : cell))
    )
    expect(bad.problems).toEqual([
      { path: ["id"], column: "Appointment ID", message: "Expected the record's own id; the cell is empty" },
      { path: ["data", "durationMinutes"], column: "Duration (min)", message: 'Expected a whole number, got "twenty"' }
    ])
    expect(
      ImportMapping.mapRow(
        read,
        row.map((cell, i) => (i === 2 ? "no-show" : cell))
      ).skip
    ).toBe(true)
  })

  it("joins several record-id columns with /, and reads a constant type and ISO times with their offset", () => {
    const mapping = parsed(
      JSON.stringify({
        source: "letters",
        recordId: ["Letter", "Stage"],
        occurredAt: "When",
        type: "LetterSubmitted",
        data: { LetterSubmitted: { studentId: "Student", facultyId: "Writer", letterId: "Letter" } }
      })
    )
    if (typeof mapping === "string") throw new Error(mapping)
    const read = readerOf(mapping, ["Letter", "Stage", "When", "Student", "Writer", "Comment"])
    const mapped = ImportMapping.mapRow(read, ["L-88", "submitted", "2026-09-20T10:00:00+02:00", "s-1", "f-2", "x, y"])
    expect(mapped.problems).toEqual([])
    expect(mapped.event).toMatchObject({
      id: StableId.eventId(StableId.sourceNamespace("letters"), "L-88/submitted"),
      type: "LetterSubmitted",
      occurredAt: "2026-09-20T08:00:00.000Z",
      data: { studentId: "s-1", facultyId: "f-2", letterId: "L-88" }
    })
  })
})
