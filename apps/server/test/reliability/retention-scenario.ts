/**
 * Retention through a real `rapport serve` and `rapport retention` (the same on SQLite and
 * PostgreSQL): a school with interactions years old and recent ones, a retraction of an
 * old event, facts (enrolment) as old, and a second school with events as old. A dry run
 * removes nothing and reports exactly what the real run then removes (same report, same
 * selection); the real run removes those events for good and nothing of the other
 * school; the read models follow and equal a rebuild of a copy; every run is in the audit
 * log; a stale `expect` removes nothing; the command line does the same.
 */
import { randomBytes } from "node:crypto"
import { expect } from "vitest"
import { type Json, enrolled, event, facultyJoined, officeHours, postEvents, request } from "./client.js"
import { createKey, run, serve } from "./processes.js"
import { everyCell, readModelRows, rebuiltRows, storedIds } from "./stores.js"

const withSource = (e: Json, source: string): Json => ({ ...e, source })

interface Outcome {
  readonly dryRun: boolean
  readonly removed: number
  readonly readModels: string
  readonly report: { readonly events: number; readonly selection: string; readonly byType: Record<string, number> }
}

const outcomeOf = (body: unknown): Outcome => body as Outcome

export const checkRetention = async (db: string, folder: string): Promise<void> => {
  const m = randomBytes(4).toString("hex")
  const school = `school-${m}`
  const neighbour = `school-${m}-b`
  const expired = `expired-src-${m}`
  const keys = {
    writer: await createKey(db, school, "events:write", `writer-${m}`),
    dean: await createKey(db, school, "dashboards:read", `dean-${m}`),
    admin: await createKey(db, school, "admin", `admin-${m}`),
    neighbour: await createKey(db, neighbour, "events:write", `neighbour-${m}`)
  }
  const [oldOnly, both] = [`s-${m}-old`, `s-${m}-both`]
  const faculty = `f-${m}-1`
  const forgotten = `f-${m}-old-only`
  // Years before any retention period: interactions, and an enrolment (a fact, kept).
  const old = [
    withSource(officeHours(oldOnly, faculty, "2018-03-05T15:00:00Z"), expired),
    withSource(officeHours(both, faculty, "2018-04-05T15:00:00Z"), expired),
    withSource(officeHours(both, forgotten, "2018-05-05T15:00:00Z"), expired),
    withSource(
      event("FollowUpSent", "2019-01-10T12:00:00Z", {
        studentId: both,
        facultyId: faculty,
        kind: "thank-you",
        channel: "email"
      }),
      expired
    )
  ]
  const facts = [
    facultyJoined(faculty),
    enrolled(oldOnly, "2017-08-20T12:00:00Z"),
    enrolled(both, "2017-08-20T12:00:00Z")
  ]
  const recent = [
    officeHours(both, faculty, "2026-02-05T15:00:00Z"),
    event("FollowUpSent", "2026-02-06T12:00:00Z", {
      studentId: both,
      facultyId: faculty,
      kind: "update",
      channel: "email"
    })
  ]
  // a correction sent today of an old event: it goes with the event it retracts
  const retraction = event("EventRetracted", "2026-02-07T12:00:00Z", { eventId: old[1]?.id, reason: "entered twice" })
  const neighbours = [officeHours(`s-${m}-n`, `f-${m}-n`, "2018-03-05T15:00:00Z")]

  const server = await serve(db)
  try {
    expect((await postEvents(server.url, keys.writer, [...facts, ...old, ...recent, retraction])).status).toBe(200)
    expect((await postEvents(server.url, keys.neighbour, neighbours)).status).toBe(200)
    const before = await storedIds(db, school)
    const retention = (body: Record<string, unknown>) =>
      request(`${server.url}/v1/retention`, keys.admin, {
        method: "POST",
        body: JSON.stringify(body),
        contentType: "application/json"
      })

    const dry = await retention({ olderThan: "P5Y" })
    expect(dry.status, JSON.stringify(dry.body)).toBe(200)
    const dryOutcome = outcomeOf(dry.body)
    expect(dryOutcome).toMatchObject({ dryRun: true, removed: 0, readModels: "unchanged" })
    expect(dryOutcome.report).toMatchObject({
      events: 5,
      byType: { EventRetracted: 1, FollowUpSent: 1, OfficeHoursVisited: 3 },
      students: 2,
      retractions: 1
    })
    expect(await storedIds(db, school)).toEqual(before)

    const real = await retention({ olderThan: "P5Y", dryRun: false, expect: dryOutcome.report.selection })
    expect(real.status, JSON.stringify(real.body)).toBe(200)
    const realOutcome = outcomeOf(real.body)
    expect(realOutcome).toMatchObject({ dryRun: false, removed: 5, readModels: "updated" })
    expect(realOutcome.report).toEqual(dryOutcome.report)
    const after = await storedIds(db, school)
    for (const e of [...old, retraction]) expect(after.has(String(e.id))).toBe(false)
    for (const e of [...facts, ...recent]) expect(after.has(String(e.id))).toBe(true)
    expect((await storedIds(db, neighbour)).size).toBe(1)
    // nothing of the removed events anywhere: their ids, their source (coverage)
    const cells = await everyCell(db)
    for (const needle of [expired, forgotten, ...old.map((e) => String(e.id))]) {
      expect(
        cells.filter((cell) => cell.text.includes(needle)).map((cell) => cell.where),
        needle
      ).toEqual([])
    }
    const page = await request(`${server.url}/v1/students/${both}`, keys.dean)
    expect(page.status).toBe(200)
    expect(JSON.stringify(page.body)).not.toContain(String(old[2]?.id))

    const stale = await retention({ olderThan: "P5Y", dryRun: false, expect: dryOutcome.report.selection })
    expect(stale.status).toBe(409)
    expect(JSON.stringify(stale.body)).toContain("retention-selection-changed")

    // the command line: a dry run, then the same with --apply (by type, of any age)
    const args = ["retention", "--db", db, "--school", school, "--types", "FollowUpSent"]
    const cliDry = await run(args)
    expect(cliDry.code, cliDry.stderr).toBe(0)
    expect(cliDry.stdout).toMatch(/dry run/)
    const dryReport = JSON.parse(cliDry.stdout.split("report: ")[1] ?? "{}")
    expect(dryReport).toMatchObject({ events: 1, byType: { FollowUpSent: 1 }, cutoff: null })
    const cliApply = await run([...args, "--apply", "--expect", String(dryReport.selection)])
    expect(cliApply.code, cliApply.stderr).toBe(0)
    expect(JSON.parse(cliApply.stdout.split("report: ")[1] ?? "{}")).toEqual(dryReport)
    expect(cliApply.stdout).toMatch(/removed 1 events/)
    expect(cliApply.stdout).toMatch(/The read models are up to date/)
    expect((await storedIds(db, school)).has(String(recent[1]?.id))).toBe(false)

    const runs = await request(`${server.url}/v1/retention`, keys.admin)
    const listed = (runs.body as { runs: Array<{ actor: string; dryRun: boolean; removed: number | null }> }).runs
    expect(listed.map((r) => [r.dryRun, r.removed])).toEqual([
      [false, 1],
      [true, 0],
      [false, 5],
      [true, 0]
    ])
    expect(listed[2]?.actor).toBe(`admin-${m}`)
    expect(listed[0]?.actor).toMatch(/^command line/)
    const forbidden = await request(`${server.url}/v1/retention`, keys.dean)
    expect(forbidden.status).toBe(403)
  } finally {
    await server.proc.stop()
  }
  expect(await readModelRows(db)).toEqual(await rebuiltRows(db, folder))
}
