/**
 * Erasure is final, through a real `rapport serve` (the same on SQLite and PostgreSQL):
 * once a student's erasure is requested, a JSON batch naming them stores nothing and lists
 * the refused indexes (409 `erased`), a single event too, an NDJSON upload and
 * `rapport import` refuse only those lines, the refusal survives a restart, nothing of the
 * student is left in any table, and the read models still equal a rebuild of a copy.
 */
import { randomBytes } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { expect } from "vitest"
import { enrolled, event, facultyJoined, officeHours, postEvents, request, readConsistent } from "./client.js"
import { erased, traces } from "./erasure-scenario.js"
import { createKey, run, serve } from "./processes.js"
import { readModelRows, rebuiltRows, storedIds } from "./stores.js"

const ndjson = (events: ReadonlyArray<Record<string, unknown>>) => events.map((e) => JSON.stringify(e)).join("\n")

const problemType = (body: unknown): string =>
  typeof body === "object" && body !== null && "type" in body ? String(body.type) : ""

const refusedIndexes = (body: unknown): Array<number> =>
  typeof body === "object" && body !== null && "errors" in body && Array.isArray(body.errors)
    ? body.errors.map((issue: { index: number }) => issue.index)
    : []

/** Runs the whole check on the installation at `db` (a SQLite file or a PostgreSQL URL); `folder` holds files. */
export const checkErasureIsFinal = async (db: string, folder: string): Promise<void> => {
  const m = randomBytes(4).toString("hex")
  const school = `school-${m}`
  const gone = `zq${m}-erased`
  const kept = `zq${m}-kept`
  const faculty = `f-${m}-1`
  const writer = await createKey(db, school, "events:write", `writer-${m}`)
  const dean = await createKey(db, school, "dashboards:read", `dean-${m}`)
  let server = await serve(db)
  try {
    const history = [
      facultyJoined(faculty),
      enrolled(gone),
      enrolled(kept),
      officeHours(gone, faculty, "2026-02-03T15:00:00Z"),
      officeHours(kept, faculty, "2026-02-04T15:00:00Z")
    ]
    expect((await postEvents(server.url, writer, history)).status).toBe(200)
    const erasure = await postEvents(server.url, writer, [
      event("StudentErasureRequested", "2026-03-01T12:00:00Z", { studentId: gone })
    ])
    expect(erasure.status).toBe(200)
    expect(await erased(db, { studentId: gone })).toEqual([])

    // A JSON batch: nothing stored, every event about the student listed.
    const keptVisit = officeHours(kept, faculty, "2026-04-01T15:00:00Z")
    const late = [
      keptVisit,
      officeHours(gone, faculty, "2026-04-02T15:00:00Z"),
      event("RotationCompleted", "2026-04-30T18:00:00Z", {
        studentId: gone,
        facultyIds: [faculty],
        rotationId: `rot-${m}`,
        specialty: "Surgery",
        startedOn: "2026-04-01",
        endedOn: "2026-04-30"
      }),
      event("LetterSubmitted", "2026-05-01T12:00:00Z", { studentId: gone, facultyId: faculty, letterId: `l-${m}` })
    ]
    const batch = await postEvents(server.url, writer, late)
    expect(batch.status, JSON.stringify(batch.body)).toBe(409)
    expect(problemType(batch.body)).toBe("https://rapport.dev/problems/erased")
    expect(refusedIndexes(batch.body)).toEqual([1, 2, 3])
    const single = await request(`${server.url}/v1/events`, writer, {
      method: "POST",
      body: JSON.stringify(officeHours(gone, faculty, "2026-04-03T15:00:00Z")),
      contentType: "application/json"
    })
    expect(single.status).toBe(409)
    expect(refusedIndexes(single.body)).toEqual([0])
    expect((await storedIds(db, school)).has(String(keptVisit.id))).toBe(false)

    // NDJSON: only that line is refused.
    const lines = [
      officeHours(kept, faculty, "2026-04-05T15:00:00Z"),
      officeHours(gone, faculty, "2026-04-06T15:00:00Z"),
      officeHours(kept, faculty, "2026-04-07T15:00:00Z")
    ]
    const upload = await request(`${server.url}/v1/events`, writer, {
      method: "POST",
      body: ndjson(lines),
      contentType: "application/x-ndjson"
    })
    expect(upload.status).toBe(200)
    expect(upload.body).toMatchObject({ stored: 2, rejected: 1 })
    expect(refusedIndexes(upload.body)).toEqual([2])
    const position = String((upload.body as { position: string }).position)
    expect((await readConsistent(`${server.url}/v1/students/${gone}?waitFor=${position}`, dean)).status).toBe(404)

    // A restart forgets nothing.
    await server.proc.stop()
    server = await serve(db)
    const afterRestart = await postEvents(server.url, writer, [officeHours(gone, faculty, "2026-04-08T15:00:00Z")])
    expect(afterRestart.status).toBe(409)

    // `rapport import`, beside the running server: only that record is refused.
    const file = join(folder, `late-${m}.ndjson`)
    const imported = [
      officeHours(kept, faculty, "2026-04-09T15:00:00Z"),
      officeHours(gone, faculty, "2026-04-10T15:00:00Z")
    ]
    writeFileSync(file, `${ndjson(imported)}\n`)
    const done = await run(["import", file, "--school", school, "--db", db])
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toMatch(/1 events stored, 0 duplicates \(already in the store\), 1 rejected/)
    const rejected = readFileSync(`${file}.rejected.ndjson`, "utf8").trim().split("\n")
    expect(rejected.map((line) => (JSON.parse(line) as { line: number }).line)).toEqual([2])
    expect(rejected[0]).toMatch(/erased/)

    const ids = await storedIds(db, school)
    for (const e of [...lines, ...imported]) {
      const about = (e.data as { studentId: string }).studentId
      expect(ids.has(String(e.id)), `${about} ${String(e.id)}`).toBe(about === kept)
    }
    expect((await request(`${server.url}/v1/students/${kept}`, dean)).status).toBe(200)
    expect((await request(`${server.url}/v1/students/${gone}`, dean)).status).toBe(404)
    expect(await traces(db, { studentId: gone })).toEqual([])
  } finally {
    await server.proc.stop()
  }
  expect(await readModelRows(db)).toEqual(await rebuiltRows(db, folder))
}
