/**
 * Admin routes: the directory (PUT creates with 201, updates with 200, strict bodies,
 * names shown on the pages of the key's school only) and the audit log (every view of a
 * student's page, under the viewing key's name, within the admin key's school).
 */
import { describe, expect, it } from "vitest"
import { bearer, now, schoolId, world, type World } from "./world.js"

const put = (w: World, path: string, body: string, headers: Record<string, string> = {}) =>
  w.app.request(path, {
    method: "PUT",
    headers: { ...bearer(w.keys.alpha.admin), "content-type": "application/json", ...headers },
    body
  })

const entry = (displayName: string | null, email: string | null) => JSON.stringify({ displayName, email })

interface AuditEntry {
  readonly viewedAt: string
  readonly keyName: string
  readonly studentId: string
  readonly asOf: string | null
  readonly requestId: string
}

const audit = async (w: World, query = "", key = w.keys.alpha.admin) => {
  const response = await w.app.request(`/v1/audit${query}`, { headers: bearer(key) })
  return { status: response.status, body: (await response.json()) as { entries: Array<AuditEntry> } }
}

describe("PUT /v1/directory/{students,faculty}/{id}", () => {
  it("creates with 201, then updates with 200, for students and faculty", async () => {
    const w = await world()
    for (const kind of ["students", "faculty"] as const) {
      const path = `/v1/directory/${kind}/new-person-1`
      const first = await put(w, path, entry("Noor New", "noor@example.org"))
      expect(first.status).toBe(201)
      expect(await first.json()).toEqual({
        kind: kind === "students" ? "student" : "faculty",
        id: "new-person-1",
        created: true
      })
      const second = await put(w, path, entry("Noor Renamed", null))
      expect(second.status).toBe(200)
      expect(await second.json()).toMatchObject({ created: false })
    }
    const stored = await w.control.getDirectory(schoolId("alpha"), "faculty", "new-person-1")
    expect(stored).toMatchObject({ displayName: "Noor Renamed", email: null })
  })

  it("names the student on the pages of the key's school only", async () => {
    const w = await world()
    const student = w.students.alpha[0] ?? ""
    expect((await put(w, `/v1/directory/students/${student}`, entry("Ines Indexed", null))).status).toBe(200)
    const page = await w.app.request(`/v1/students/${student}`, { headers: bearer(w.keys.alpha["dashboards:read"]) })
    expect(await page.json()).toMatchObject({ studentId: student, displayName: "Ines Indexed" })
    const bravo = await w.app.request("/v1/directory/students/bravo-stu-01", {
      method: "PUT",
      headers: { ...bearer(w.keys.bravo.admin), "content-type": "application/json" },
      body: entry("Written By Bravo", null)
    })
    expect(bravo.status).toBe(200)
    expect((await w.control.getDirectory(schoolId("alpha"), "student", student))?.displayName).toBe("Ines Indexed")
  })

  it("refuses bad bodies with every problem and its path, and changes nothing", async () => {
    const w = await world()
    const path = "/v1/directory/students/alpha-stu-02"
    const before = await w.control.getDirectory(schoolId("alpha"), "student", "alpha-stu-02")
    const invalid = await put(w, path, JSON.stringify({ displayName: "", email: "not-an-address", nickname: "x" }))
    expect(invalid.status).toBe(400)
    const body = await invalid.json()
    expect(body.type).toBe("https://rapport.dev/problems/validation-failed")
    expect(body.errors.map((e: { path: Array<string> }) => e.path.join("."))).toEqual(
      expect.arrayContaining(["displayName", "email", "nickname"])
    )
    expect((await put(w, path, "{")).status).toBe(400)
    expect((await put(w, path, JSON.stringify({ displayName: "x".repeat(201), email: null }))).status).toBe(400)
    expect((await put(w, path, entry("x", null), { "content-type": "text/plain" })).status).toBe(415)
    expect((await put(w, path, entry("x".repeat(20_000), null))).status).toBe(413)
    expect(await w.control.getDirectory(schoolId("alpha"), "student", "alpha-stu-02")).toEqual(before)
  })

  it("answers 404 to ids that are not ids", async () => {
    const w = await world()
    for (const id of ["x".repeat(129), "has%20space", "semi%3Bcolon", "%F0%9F%98%80"]) {
      expect((await put(w, `/v1/directory/students/${id}`, entry("x", null))).status, id).toBe(404)
    }
  })
})

describe("GET /v1/audit", () => {
  it("lists every view of a student's page with the key's name, newest first, in the admin's school", async () => {
    const w = await world()
    const second = await w.control.createKey({
      school: schoolId("alpha"),
      name: "alpha-dean-second",
      scopes: ["dashboards:read"],
      now
    })
    const [s1, s2] = w.students.alpha
    const views: Array<{ key: string; path: string; keyName: string; studentId: string; asOf: string | null }> = [
      {
        key: w.keys.alpha["dashboards:read"],
        path: `/v1/students/${s1}`,
        keyName: "alpha-key-dashboards:read",
        studentId: s1 ?? "",
        asOf: null
      },
      {
        key: second.key,
        path: `/v1/students/${s1}?asOf=2026-08-01`,
        keyName: "alpha-dean-second",
        studentId: s1 ?? "",
        asOf: "2026-08-01"
      },
      {
        key: second.key,
        path: `/v1/students/${s2}`,
        keyName: "alpha-dean-second",
        studentId: s2 ?? "",
        asOf: null
      }
    ]
    const requestIds: Array<string> = []
    for (const view of views) {
      const response = await w.app.request(view.path, { headers: bearer(view.key) })
      expect(response.status).toBe(200)
      requestIds.push(response.headers.get("x-request-id") ?? "")
    }
    // not views of an alpha page: a 404, a faculty page, another school's view
    await w.app.request("/v1/students/nobody-here", { headers: bearer(second.key) })
    await w.app.request(`/v1/faculty/${w.faculty.alpha[0]}`, { headers: bearer(second.key) })
    await w.app.request(`/v1/students/${w.students.bravo[0]}`, { headers: bearer(w.keys.bravo["dashboards:read"]) })
    const { status, body } = await audit(w)
    expect(status).toBe(200)
    const expected = views.map((view, i) => ({
      viewedAt: now.toISOString(),
      keyName: view.keyName,
      studentId: view.studentId,
      asOf: view.asOf,
      requestId: requestIds[i] ?? ""
    }))
    expect([...body.entries].sort((a, b) => a.requestId.localeCompare(b.requestId))).toEqual(
      [...expected].sort((a, b) => a.requestId.localeCompare(b.requestId))
    )
    expect((await audit(w, `?studentId=${s2}`)).body.entries).toHaveLength(1)
    // all three share one instant: a page never splits an instant, so none is skipped
    expect((await audit(w, "?limit=2")).body.entries).toHaveLength(3)
    const bravo = await audit(w, "", w.keys.bravo.admin)
    expect(bravo.body.entries.map((e) => e.studentId)).toEqual([w.students.bravo[0]])
  })

  it("pages with before without skipping views that share an instant", async () => {
    const w = await world({ seed: false })
    const times = ["01", "02", "03", "03", "04"].map((s) => `2026-10-01T10:00:${s}.000Z`)
    for (const [i, viewedAt] of times.entries()) {
      await w.control.audit(schoolId("alpha"), {
        viewedAt,
        keyName: "k",
        studentId: `s-${i}`,
        asOf: null,
        requestId: `r-${i}`
      })
    }
    const pages: Array<Array<string>> = []
    let before = ""
    for (;;) {
      const { body } = await audit(w, `?limit=2${before === "" ? "" : `&before=${before}`}`)
      if (body.entries.length === 0) break
      pages.push(body.entries.map((e) => e.studentId))
      before = body.entries.at(-1)?.viewedAt ?? ""
    }
    // the first page reaches 03 and takes both of its views
    expect(pages).toEqual([
      ["s-4", "s-2", "s-3"],
      ["s-1", "s-0"]
    ])
  })

  it("answers 400 to bad queries and 403 to keys without admin", async () => {
    const w = await world()
    for (const query of ["?limit=0", "?limit=1001", "?limit=ten", "?studentId=a%20b", "?nope=1", "?limit=1&limit=2"]) {
      expect((await audit(w, query)).status, query).toBe(400)
    }
    expect((await audit(w, "", w.keys.alpha["dashboards:read"])).status).toBe(403)
  })
})
