/**
 * `rapport import` of the simulator's tiny school, as NDJSON and as CSV, through the real
 * CLI: every valid event stored exactly once, the malformed deliveries (flagged by the
 * simulator) written aside with their line numbers and reasons, and an import killed
 * midway (SIGKILL) finished by a second run without a duplicate anywhere.
 */
import { Sql } from "@rapport/analytics"
import { writeCsv, writeNdjson } from "@rapport/simulator"
import * as Effect from "effect/Effect"
import { existsSync, readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sqliteFiles } from "../../src/Config.js"
import * as ControlStore from "../../src/control/ControlStore.js"
import { ensureBuilt, expectations, finished, rapport, spawnRapport, storedEvents, tempDir, tinySchool } from "./cli.js"

const folder = tempDir()
const ndjson = `${folder.path}/history.ndjson`
const csv = `${folder.path}/history.csv`
let expected: ReturnType<typeof expectations>

beforeAll(async () => {
  await ensureBuilt()
  await writeNdjson(ndjson, tinySchool)
  await writeCsv(csv, tinySchool)
  expected = expectations()
}, 120_000)
afterAll(() => folder.remove())

interface Rejection {
  readonly line: number
  readonly errors: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
  readonly input?: string
}

const rejections = (file: string): Array<Rejection> =>
  readFileSync(`${file}.rejected.ndjson`, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line))

const idOf = (rejection: Rejection, format: "csv" | "ndjson"): string =>
  format === "ndjson" ? JSON.parse(rejection.input ?? "{}").id : ((rejection.input ?? "").split(",")[0] ?? "")

/** Every valid event exactly once in the school, every malformed delivery aside exactly once. */
const expectExactlyOnce = async (db: string, file: string, format: "csv" | "ndjson") => {
  const events = await storedEvents(db)
  expect(events.every((event) => event.school === "tiny-school")).toBe(true)
  const ids = events.map((event) => event.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect(new Set(ids)).toEqual(expected.valid)
  const aside = rejections(file)
  const lineOf = (index: number) => index + (format === "csv" ? 2 : 1)
  expect(aside.map((rejection) => rejection.line)).toEqual(expected.malformed.map(({ index }) => lineOf(index)))
  expect(aside.map((rejection) => idOf(rejection, format))).toEqual(expected.malformed.map(({ id }) => id))
  for (const rejection of aside) {
    expect(rejection.errors.length).toBeGreaterThan(0)
    for (const error of rejection.errors) {
      expect(Array.isArray(error.path)).toBe(true)
      expect(error.message.length).toBeGreaterThan(0)
    }
  }
}

const summaryOf = (stdout: string) => {
  const match = /([\d,]+) events stored, ([\d,]+) duplicates .*, ([\d,]+) rejected/.exec(stdout)
  const read = (text: string | undefined) => Number((text ?? "").replaceAll(",", ""))
  return { stored: read(match?.[1]), duplicates: read(match?.[2]), rejected: read(match?.[3]) }
}

describe("rapport import", () => {
  it("stores every valid event of an NDJSON history once and writes the malformed aside with reasons", async () => {
    const db = `${folder.path}/ndjson/rapport.db`
    const result = await rapport(["import", ndjson, "--school", "tiny-school", "--db", db])
    expect(result.code, result.stderr).toBe(0)
    expect(expected.malformed.length).toBeGreaterThan(0)
    expect(summaryOf(result.stdout)).toEqual({
      stored: expected.valid.size,
      duplicates: expected.deliveries - expected.malformed.length - expected.valid.size,
      rejected: expected.malformed.length
    })
    expect(result.stderr).toContain("Importing history.ndjson")
    await expectExactlyOnce(db, ndjson, "ndjson")
    expect(existsSync(`${ndjson}.progress.json`)).toBe(false)
    expect(existsSync(`${ndjson}.import.lock`)).toBe(false)
    // the same history as CSV holds the same events: all duplicates in this store
    const again = await rapport(["import", csv, "--school", "tiny-school", "--db", db])
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again.stdout).stored).toBe(0)
    // both runs counted for the server's /metrics (rapport_events_imported_total)
    const database = Sql.openSqlite(sqliteFiles(db).control)
    try {
      const totals = await Effect.runPromise((await ControlStore.make(database)).importedTotals())
      const first = summaryOf(result.stdout)
      const second = summaryOf(again.stdout)
      expect(totals).toEqual({
        stored: first.stored + second.stored,
        duplicates: first.duplicates + second.duplicates,
        rejected: first.rejected + second.rejected
      })
    } finally {
      await database.close()
    }
  }, 120_000)

  it("stores every valid event of a CSV history once, rejected rows carrying their line numbers", async () => {
    const db = `${folder.path}/csv/rapport.db`
    const result = await rapport(["import", csv, "--school", "tiny-school", "--db", db])
    expect(result.code, result.stderr).toBe(0)
    expect(summaryOf(result.stdout).stored).toBe(expected.valid.size)
    await expectExactlyOnce(db, csv, "csv")
    const unknownField = rejections(csv).find((rejection) =>
      rejection.errors.some((error) => error.path.join(".") === "data.studentID")
    )
    expect(unknownField?.errors.map((error) => error.path.join("."))).toEqual(["data.studentID", "data.studentId"])
  }, 120_000)

  it("finishes an import killed midway (SIGKILL) with every event exactly once", async () => {
    const db = `${folder.path}/killed/rapport.db`
    const progressFile = `${ndjson}.progress.json`
    const child = spawnRapport(["import", ndjson, "--school", "tiny-school", "--db", db])
    const ended = finished(child)
    let exited = false
    void ended.then(() => {
      exited = true
    })
    while (!existsSync(progressFile) && !exited) await new Promise((resolve) => setTimeout(resolve, 2))
    child.kill("SIGKILL")
    const killed = await ended
    expect(killed.signal, "the first run must be killed before it ends").toBe("SIGKILL")
    const recorded: { line: number; stored: number } = JSON.parse(readFileSync(progressFile, "utf8"))
    expect(recorded.line).toBeGreaterThan(0)
    expect(recorded.line).toBeLessThan(expected.deliveries)
    // the lock of the killed process is left behind and taken over
    expect(existsSync(`${ndjson}.import.lock`)).toBe(true)
    const partial = await storedEvents(db)
    expect(partial.length).toBeLessThan(expected.valid.size)

    const resumed = await rapport(["import", ndjson, "--school", "tiny-school", "--db", db])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(/Resuming history\.ndjson at line [\d,]+/)
    await expectExactlyOnce(db, ndjson, "ndjson")
    expect(existsSync(progressFile)).toBe(false)
    expect(existsSync(`${ndjson}.import.lock`)).toBe(false)
  }, 120_000)

  it("refuses to resume into another school", async () => {
    const db = `${folder.path}/other/rapport.db`
    const progressFile = `${csv}.progress.json`
    const child = spawnRapport(["import", csv, "--school", "tiny-school", "--db", db])
    const ended = finished(child)
    while (!existsSync(progressFile)) await new Promise((resolve) => setTimeout(resolve, 2))
    child.kill("SIGKILL")
    await ended
    const other = await rapport(["import", csv, "--school", "another-school", "--db", db])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('"tiny-school", not "another-school"')
    expect((await storedEvents(db)).every((event) => event.school === "tiny-school")).toBe(true)
    const resumed = await rapport(["import", csv, "--school", "tiny-school", "--db", db])
    expect(resumed.code, resumed.stderr).toBe(0)
    await expectExactlyOnce(db, csv, "csv")
  }, 120_000)
})
