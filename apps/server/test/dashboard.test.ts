/**
 * The read routes over a projected school: every JSON answer matches the schema the
 * OpenAPI document gives for it (for both audiences), the students view filters, sorts and
 * pages as documented and refuses bad filters with 400 naming them, and person pages are
 * 404 for unknown ids and for another school's people, and honour `asOf`.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import type { Scope } from "../src/http/Route.js"
import { seedAdvising } from "./advising/fixture.js"
import { plan } from "./requests.js"
import { bearer, schoolId, world, type World } from "./world.js"

const get = async (w: World, path: string, scope: Scope = "dashboards:read") => {
  const response = await w.app.request(path, { headers: bearer(w.keys.alpha[scope]) })
  return { status: response.status, body: await response.json() }
}

describe("every JSON answer", () => {
  it("matches the schema the OpenAPI document gives for it, for both audiences", async () => {
    const w = await world()
    await seedAdvising(w)
    let checked = 0
    for (const scope of ["dashboards:read", "aggregates:read", "admin", "events:write"] as const) {
      for (const route of w.table.filter((r) => r.access._tag === "Scoped" && r.access.anyOf.includes(scope))) {
        const planned = plan(w, route, "alpha", scope)
        const response = await w.app.request(planned.path, planned.init)
        const spec = route.responses[response.status]
        expect(spec, `${route.operationId} answered ${response.status}`).toBeDefined()
        if (spec?.schema === undefined) continue
        const decoded = Schema.decodeUnknownResult(spec.schema)(await response.json(), {
          errors: "all",
          onExcessProperty: "error"
        })
        expect(Result.isSuccess(decoded) ? "ok" : String(decoded.failure), `${route.operationId} as ${scope}`).toBe(
          "ok"
        )
        checked += 1
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15)
  })
})

describe("GET /v1/dashboard/students", () => {
  it("filters, sorts and pages as documented", async () => {
    const w = await world()
    const ids = (body: { rows: Array<{ studentId: string }> }) => body.rows.map((r) => r.studentId)
    expect((await get(w, "/v1/dashboard/students?graduationYear=2027")).body.total).toBe(12)
    expect((await get(w, "/v1/dashboard/students?graduationYear=2030")).body.total).toBe(0)
    expect((await get(w, "/v1/dashboard/students?isolated=true")).body.total).toBe(0)
    expect((await get(w, "/v1/dashboard/students?tier=strong")).body.total).toBe(12)
    expect(ids((await get(w, "/v1/dashboard/students?q=alpha-stu-1")).body)).toEqual([
      "alpha-stu-10",
      "alpha-stu-11",
      "alpha-stu-12"
    ])
    const desc = await get(w, "/v1/dashboard/students?sort=studentId&order=desc&pageSize=5&page=3")
    expect(desc.body).toMatchObject({ total: 12, page: 3, pageSize: 5 })
    expect(ids(desc.body)).toEqual(["alpha-stu-02", "alpha-stu-01"])
    const named = await get(w, "/v1/dashboard/students?pageSize=1")
    expect(named.body.rows[0]).toMatchObject({ studentId: "alpha-stu-01", displayName: "Alma Alphaville 0" })
  })

  it("answers 400 naming each bad filter", async () => {
    const w = await world()
    const bad: ReadonlyArray<[string, string]> = [
      ["pageSize=0", "pageSize"],
      ["pageSize=201", "pageSize"],
      ["page=abc", "page"],
      ["tier=bogus", "tier"],
      ["sort=name", "sort"],
      ["order=up", "order"],
      ["graduationYear=1800", "graduationYear"],
      ["isolated=yes", "isolated"],
      ["waitFor=-1", "waitFor"],
      ["studentID=alpha-stu-01", "studentID"]
    ]
    for (const [query, name] of bad) {
      const { status, body } = await get(w, `/v1/dashboard/students?${query}`)
      expect(status, query).toBe(400)
      expect(
        body.errors.map((e: { path: Array<string> }) => e.path.join(".")),
        query
      ).toContain(`query.${name}`)
    }
    expect((await get(w, "/v1/dashboard/students?tier=strong&tier=none")).status).toBe(400)
    expect((await get(w, "/v1/dashboard/students", "aggregates:read")).status).toBe(403)
  })
})

describe("GET /v1/students/{id} and /v1/faculty/{id}", () => {
  it("answer 404 to unknown people and to another school's people", async () => {
    const w = await world()
    for (const path of [
      "/v1/students/nobody",
      `/v1/students/${w.students.bravo[0]}`,
      "/v1/faculty/nobody",
      `/v1/faculty/${w.faculty.bravo[0]}`,
      `/v1/students/${"x".repeat(129)}`
    ]) {
      const { status, body } = await get(w, path)
      expect(status, path).toBe(404)
      expect(body.type).toBe("https://rapport.dev/problems/not-found")
      expect(JSON.stringify(body)).not.toMatch(/bravo/)
    }
  })

  it("show a student as of a past date, from the events that occurred before it", async () => {
    const w = await world()
    const student = w.students.alpha[0]
    const today = (await get(w, `/v1/students/${student}`)).body
    const summer = (await get(w, `/v1/students/${student}?asOf=2026-07-01`)).body
    const enrolled = (await get(w, `/v1/students/${student}?asOf=2025-06-01`)).body
    expect(today.timeline.length).toBeGreaterThan(summer.timeline.length)
    expect(summer.timeline.length).toBeGreaterThan(enrolled.timeline.length)
    expect(enrolled.relationships).toEqual([])
    expect(summer.relationships[0].score).toBeLessThan(today.relationships[0].score)
    // before they were enrolled or seen, the school did not know them
    expect((await get(w, `/v1/students/${student}?asOf=2025-01-01`)).status).toBe(404)
    for (const asOf of ["yesterday", "2026-13-01x", "2026-07-01T10:00"]) {
      expect((await get(w, `/v1/students/${student}?asOf=${asOf}`)).status, asOf).toBe(400)
    }
  })

  it("read their writes with waitFor", async () => {
    const w = await world()
    const ready = await get(w, `/v1/dashboard/overview?waitFor=${w.positions.seal(schoolId("alpha"), 0)}`)
    expect(ready.status).toBe(200)
    expect(w.positions.open(schoolId("alpha"), ready.body.meta.position)).toBeGreaterThan(0)
  })
})
