/**
 * Support check-ins are sensitive: counted in aggregates, never shown per student. Twin
 * students in two schools with the very same events (same ids), one of whom also had
 * support check-ins (one with a faculty member they otherwise never met): their rows in
 * the students and pairs tables, their pages, their rows in the students list and the
 * faculty pages are the same, and nothing on the page names a check-in — while the
 * school-wide trends count the check-ins.
 */
import { DatabaseSync } from "node:sqlite"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sqliteFiles } from "../../src/Config.js"
import { enrolled, event, facultyJoined, officeHours, postEvents, request } from "./client.js"
import { createKey, ensureBuilt, serve, tempDir, killLeftovers } from "./processes.js"

const twinHistory = (studentId: string) => [
  enrolled(studentId),
  officeHours(studentId, "f-1", "2026-03-03T15:00:00Z"),
  officeHours(studentId, "f-1", "2026-04-07T15:00:00Z"),
  event("MentorshipMeetingHeld", "2026-05-05T15:00:00Z", {
    studentId,
    facultyId: "f-1",
    durationMinutes: 30,
    topics: ["work-life-balance"]
  })
]

const rowsOf = (db: string, table: string, school: string) => {
  const sqlite = new DatabaseSync(sqliteFiles(db).analytics, { readOnly: true })
  try {
    return sqlite
      .prepare(`SELECT * FROM ${table} WHERE school = ? AND student_id = 's-twin' ORDER BY 1, 2, 3`)
      .all(school)
      .map((row) => ({ ...row, school: "(either)" }))
  } finally {
    sqlite.close()
  }
}

/** Waits (up to 60 s) until every school named has follow-up rows for the twin. */
const followUpsWritten = async (db: string, schools: ReadonlyArray<string>): Promise<void> => {
  const until = Date.now() + 60_000
  while (schools.some((school) => rowsOf(db, "rm_follow_ups", school).length === 0) && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 100))
}

/** an answer without its meta (generation time), reals rounded (read at different instants) */
const comparable = (body: unknown): unknown => {
  const { meta: _meta, ...rest } = body as Record<string, unknown>
  return JSON.parse(JSON.stringify(rest), (_, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value
  )
}

describe("support check-ins", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("count in aggregates and show nowhere per student", async () => {
    const env = { RAPPORT_SUPPRESSION_THRESHOLD: "1" }
    const keys = {
      plain: {
        writer: await createKey(db, "school-p", "events:write", "writer-p", env),
        dean: await createKey(db, "school-p", "dashboards:read", "dean-p", env)
      },
      support: {
        writer: await createKey(db, "school-q", "events:write", "writer-q", env),
        dean: await createKey(db, "school-q", "dashboards:read", "dean-q", env)
      }
    }
    const server = await serve(db, env)
    try {
      const shared = [facultyJoined("f-1"), facultyJoined("f-support-only", "Psychiatry"), ...twinHistory("s-twin")]
      const checkIns = [
        event("SupportCheckInHeld", "2026-04-08T12:00:00Z", {
          studentId: "s-twin",
          facultyId: "f-1",
          kind: "wellbeing"
        }),
        event("SupportCheckInHeld", "2026-04-09T12:00:00Z", {
          studentId: "s-twin",
          facultyId: "f-support-only",
          kind: "encouragement"
        })
      ]
      const plain = await postEvents(server.url, keys.plain.writer, shared)
      const support = await postEvents(server.url, keys.support.writer, [...shared, ...checkIns])
      expect([plain.status, support.status]).toEqual([200, 200])
      // each school waits with its own position token (another school's is refused)
      const wait = {
        plain: `waitFor=${(plain.body as { position: string }).position}`,
        support: `waitFor=${(support.body as { position: string }).position}`
      }
      const get = (school: "plain" | "support", path: string) =>
        request(`${server.url}${path}${path.includes("?") ? "&" : "?"}${wait[school]}`, keys[school].dean)

      for (const path of ["/v1/students/s-twin?asOf=2026-10-01", "/v1/students/s-twin", "/v1/faculty/f-1"]) {
        const [a, b] = [await get("plain", path), await get("support", path)]
        expect(b.status, path).toBe(200)
        expect(comparable(b.body), path).toEqual(comparable(a.body))
      }
      const page = JSON.stringify((await get("support", "/v1/students/s-twin")).body)
      for (const word of ["SupportCheckIn", "wellbeing", "encouragement", "f-support-only", "support"]) {
        expect(page).not.toContain(word)
      }
      // follow-ups are written by the projector's own schedule (FollowUpSchedule), after the
      // events it has caught up with: wait until both schools' are there
      await followUpsWritten(db, ["school-p", "school-q"])
      for (const table of ["rm_students", "rm_pairs", "rm_letters", "rm_follow_ups"]) {
        expect(rowsOf(db, table, "school-q"), table).toEqual(rowsOf(db, table, "school-p"))
      }
      const [listA, listB] = [
        await get("plain", "/v1/dashboard/students"),
        await get("support", "/v1/dashboard/students")
      ]
      expect(comparable(listB.body)).toEqual(comparable(listA.body))
      const faculty = await get("support", "/v1/faculty/f-support-only")
      expect(JSON.stringify(faculty.body)).not.toContain("s-twin")

      // The aggregate counts them (the threshold is 1 here, so the cell is shown).
      const trends = await get("support", "/v1/dashboard/trends?from=2026-01")
      const points = (trends.body as { supportCheckIns: Array<{ month: string; checkIns: unknown }> }).supportCheckIns
      expect(points.find((p) => p.month === "2026-04")?.checkIns).toBe(2)
    } finally {
      await server.proc.stop()
    }
  }, 120_000)
})
