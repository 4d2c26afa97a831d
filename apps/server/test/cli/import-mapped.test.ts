/**
 * `rapport import --map` of a scheduler's own export, through the real CLI, on SQLite and
 * on PostgreSQL: local times read in the school's zone (summer, winter, the hour a
 * daylight-saving change skips), names and notes with commas, quotes and line breaks,
 * unknown topics and impossible times rejected with their line and column while the good
 * rows are stored, cancelled rows and room bookings skipped; an import killed midway
 * (SIGKILL) and resumed stores every good row once; importing the export again stores
 * nothing; each event's id is the UUIDv5 of its appointment id in the source's namespace.
 */
import { PostgresEventStore } from "@rapport/event-store-postgres"
import { SqliteEventStore } from "@rapport/event-store-sqlite"
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import postgres from "postgres"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as StableId from "../../src/ingest/StableId.js"
import { postgresSchemas } from "../../src/Installation.js"
import { ensureBuilt, finished, rapport, spawnRapport, tempDir } from "./cli.js"

const folder = tempDir()
const mappingFile = new URL("../../../../examples/scheduler-mapping.json", import.meta.url).pathname
const env = { RAPPORT_TIME_ZONES: "school-1=America/New_York" }
const rows = 6000

type Fate =
  | { readonly kind: "stored" }
  | { readonly kind: "skipped" }
  | { readonly kind: "rejected"; readonly column: string }

const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

/** A scheduler export, and what should become of each row (by appointment id). */
const schedulerExport = (count: number) => {
  const header =
    "Appointment ID,Appointment Type,Status,Start Date,Start Time,Duration (min),Student ID,Student Name,Host ID,Host Name,Reason,Booked By,Location,Notes"
  const lines = [header]
  const fates = new Map<string, Fate>()
  const topics = ["Exam review", "Career advice", "Feedback on assignment", "Research opportunity", "Personal"]
  for (let i = 0; i < count; i++) {
    const id = `A-${100000 + i}`
    const type = ["Office Hours", "Office Hours", "Drop-in", "Mentoring Session", "Room Booking"][i % 5] ?? ""
    const cancelled = i % 17 === 3
    const day = new Date(Date.UTC(2025, 8, 1) + (i % 400) * 86_400_000)
    let date = `${day.getUTCMonth() + 1}/${day.getUTCDate()}/${day.getUTCFullYear()}`
    let time = `${(i % 12) + 1}:${i % 2 === 0 ? "00" : "30"} ${i % 3 === 0 ? "AM" : "PM"}`
    let reason = type === "Mentoring Session" ? "Specialty choice; Residency applications" : (topics[i % 5] ?? "")
    let fate: Fate = { kind: "stored" }
    if (type === "Room Booking" || cancelled) fate = { kind: "skipped" }
    else if (i % 97 === 5) {
      date = "3/8/2026"
      time = "2:30 AM"
      fate = { kind: "rejected", column: "Start Date + Start Time" }
    } else if (i % 23 === 11 && type !== "Mentoring Session") {
      reason = "Visa paperwork"
      fate = { kind: "rejected", column: "Reason" }
    }
    const notes = i % 3 === 0 ? `Talked about "the match", rotations,\nand a research year (${i})` : ""
    const cells = [
      id,
      type,
      cancelled ? "Cancelled" : "Completed",
      date,
      time,
      String(10 + (i % 50)),
      type === "Room Booking" ? "" : `s-${i % 300}`,
      `Student ${i % 300}, Jr.`,
      `f-${i % 40}`,
      `Dr. "Doc" ${i % 40}`,
      reason,
      i % 4 === 0 ? "Host" : "Student",
      "Room 4B, Clinical Sciences",
      notes
    ]
    lines.push(cells.map(quote).join(","))
    fates.set(id, fate)
  }
  return { text: `${lines.join("\r\n")}\r\n`, fates }
}

const { text, fates } = schedulerExport(rows)
const namespace = StableId.sourceNamespace("acme-scheduler")
const idOf = (appointment: string) => StableId.eventId(namespace, appointment)
const expectedIds = new Set([...fates].flatMap(([id, fate]) => (fate.kind === "stored" ? [idOf(id)] : [])))
const expectedRejected = [...fates].flatMap(([id, fate]) => (fate.kind === "rejected" ? [{ id, fate }] : []))

interface StoredEvent {
  readonly school: string
  readonly id: string
  readonly occurredAt: string
  readonly source: string | undefined
  readonly data: unknown
}

const readAll = async (
  store: EventStoreShape & { readonly close: Effect.Effect<void> }
): Promise<Array<StoredEvent>> => {
  try {
    const events: Array<StoredEvent> = []
    let after = 0
    for (;;) {
      const page = await Effect.runPromise(store.readAll({ after, maxCount: 5000 }))
      for (const event of page.events)
        events.push({
          school: event.stream.school,
          id: event.id,
          occurredAt: event.occurredAt,
          source: event.source,
          data: event.data
        })
      if (page.isEnd || page.events.length === 0) return events
      after = page.lastPosition
    }
  } finally {
    await Effect.runPromise(store.close)
  }
}

const admin = postgres("postgres://postgres@127.0.0.1:5432/test", { max: 1, onnotice: () => {} })
const databases: Array<string> = []

const targets = {
  sqlite: {
    db: async (name: string) => `${folder.path}/${name}/rapport.db`,
    events: async (db: string) =>
      readAll(await Effect.runPromise(SqliteEventStore.make({ path: db, writer: "inline" })))
  },
  postgres: {
    db: async (name: string) => {
      const database = `rapport_i22_${name.replaceAll("-", "_")}_${process.pid}_${Date.now()}`
      await admin.unsafe(`CREATE DATABASE "${database}"`)
      databases.push(database)
      return `postgres://postgres@127.0.0.1:5432/${database}`
    },
    events: async (db: string) =>
      readAll(await Effect.runPromise(PostgresEventStore.make({ url: db, schema: postgresSchemas.events })))
  }
} as const

beforeAll(async () => {
  await ensureBuilt()
}, 300_000)
afterAll(async () => {
  for (const database of databases) await admin.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
  await admin.end()
  folder.remove()
})

const summaryOf = (stdout: string) => {
  const match = /([\d,]+) events stored, ([\d,]+) duplicates .*, ([\d,]+) rejected.*, ([\d,]+) rows skipped/.exec(
    stdout
  )
  const read = (value: string | undefined) => Number((value ?? "").replaceAll(",", ""))
  return {
    stored: read(match?.[1]),
    duplicates: read(match?.[2]),
    rejected: read(match?.[3]),
    skipped: read(match?.[4])
  }
}

describe.each(["sqlite", "postgres"] as const)("rapport import --map (%s)", (kind) => {
  const target = targets[kind]

  it("imports a scheduler export killed midway and resumed, once, and again without storing anything", async () => {
    const file = `${folder.path}/${kind}-export.csv`
    writeFileSync(file, text)
    const db = await target.db(`${kind}-scheduler`)
    const args = ["import", file, "--map", mappingFile, "--school", "school-1", "--db", db]

    const child = spawnRapport(args, { env })
    const ended = finished(child)
    let exited = false
    void ended.then(() => {
      exited = true
    })
    while (!existsSync(`${file}.progress.json`) && !exited) await new Promise((resolve) => setTimeout(resolve, 2))
    child.kill("SIGKILL")
    expect((await ended).signal, "the first run must be killed before it ends").toBe("SIGKILL")
    const partial = await target.events(db)
    expect(partial.length).toBeGreaterThan(0)
    expect(partial.length).toBeLessThan(expectedIds.size)

    // resuming reads the rest as the start was read: not through another mapping, nor none
    const other = `${folder.path}/${kind}-other-mapping.json`
    const changed = JSON.parse(readFileSync(mappingFile, "utf8"))
    changed.data.OfficeHoursVisited.topic.default = "other"
    writeFileSync(other, JSON.stringify(changed))
    const otherMapping = await rapport(["import", file, "--map", other, "--school", "school-1", "--db", db], { env })
    expect(otherMapping.code).toBe(2)
    expect(otherMapping.stderr).toContain("through another mapping")
    const unmapped = await rapport(["import", file, "--school", "school-1", "--db", db], { env })
    expect(unmapped.code).toBe(2)

    const resumed = await rapport(args, { env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(/Resuming .*-export\.csv at line [\d,]+/)
    const events = await target.events(db)
    expect(events.map((event) => event.id).sort()).toEqual([...expectedIds].sort())
    expect(events.every((event) => event.school === "school-1" && event.source === "acme-scheduler")).toBe(true)

    // every rejected row once, with its line and the column at fault; the notes' line breaks counted
    const aside = readFileSync(`${file}.rejected.ndjson`, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line))
    expect(aside.map((rejection) => rejection.input.split(",")[0])).toEqual(expectedRejected.map(({ id }) => id))
    // the line a row starts on, counting the line breaks inside quoted notes
    const lineOf = (appointment: string) => text.slice(0, text.indexOf(`\n${appointment},`) + 1).split("\n").length
    for (const [index, rejection] of aside.entries()) {
      const expected = expectedRejected[index]
      expect(rejection.errors.map((error: { column?: string }) => error.column)).toEqual([
        expected?.fate.kind === "rejected" ? expected.fate.column : ""
      ])
      expect(rejection.line).toBe(lineOf(expected?.id ?? ""))
    }
    expect(aside[0]?.errors[0]?.message).toMatch(/does not exist in America\/New_York|is not a value the mapping knows/)

    // local times in the school's zone: EDT in October, EST in December
    const byId = new Map(events.map((event) => [event.id, event]))
    const first = byId.get(idOf("A-100000"))
    expect(first?.occurredAt).toBe("2025-09-01T05:00:00.000Z") // 9/1/2025 1:00 AM EDT
    expect(first?.data).toEqual({
      studentId: "s-0",
      facultyId: "f-0",
      durationMinutes: 10,
      topic: "coursework",
      initiatedBy: "faculty"
    })
    const winter = byId.get(idOf("A-100091")) // 12/1/2025 8:30 PM EST
    expect(winter?.occurredAt).toBe("2025-12-02T01:30:00.000Z")
    const mentoring = byId.get(idOf("A-100008"))
    expect(mentoring?.data).toMatchObject({ topics: ["specialty-selection", "residency-application"] })

    // the same export again: nothing stored twice
    const again = await rapport(args, { env })
    expect(again.code, again.stderr).toBe(0)
    const summary = summaryOf(again.stdout)
    expect(summary).toEqual({
      stored: 0,
      duplicates: expectedIds.size,
      rejected: expectedRejected.length,
      skipped: [...fates.values()].filter((fate) => fate.kind === "skipped").length
    })
    expect((await target.events(db)).length).toBe(expectedIds.size)
  }, 240_000)
})
