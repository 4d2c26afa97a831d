/**
 * The authorization matrix: every route of the table × every kind of caller (each scope,
 * a key without scopes, a revoked key, a malformed key, no key) × the caller's own school
 * and the other one. Each answer has the contract's status, and no answer carries an id,
 * a name or a key name of a school the caller does not belong to; `aggregates:read` never
 * sees an individual (student, faculty member or event).
 */
import { describe, expect, it } from "vitest"
import { statusesOf } from "../src/http/Route.js"
import { expectedStatuses, identifyingTexts, plan, requestText, responseText } from "./requests.js"
import { caseNoteText, concernNoteText, seedAdvising } from "./advising/fixture.js"
import { callers, credentials, other, type SchoolName, schoolNames, world } from "./world.js"

const leaks = (text: string, forbidden: ReadonlyArray<string>, asked: string): ReadonlyArray<string> =>
  forbidden.filter((token) => !asked.includes(token) && text.includes(token))

describe.each(schoolNames)("a caller of %s", (from: SchoolName) => {
  it("gets the contract's status on every route, and nothing of the other school", async () => {
    const w = await world({ sweepLimit: { perSecond: 50, burst: 2000 } })
    await seedAdvising(w)
    const outcomes: Array<string> = []
    const problems: Array<string> = []
    for (const about of [from, other(from)]) {
      for (const caller of callers) {
        for (const route of w.table) {
          const planned = plan(w, route, from, caller, about)
          const response = await w.app.request(planned.path, planned.init)
          const allowed = expectedStatuses(route, caller, about !== from)
          const label = `${route.method} ${planned.path} as ${caller}${about === from ? "" : " (about the other school)"}`
          outcomes.push(label)
          if (!allowed.includes(response.status)) problems.push(`${label}: ${response.status}, expected ${allowed}`)
          const declared = [...Object.keys(route.responses).map(Number), ...statusesOf(route)]
          if (!declared.includes(response.status)) problems.push(`${label}: ${response.status} is not in the OpenAPI`)
          const text = await responseText(response)
          const leaked = leaks(text, identifyingTexts(w, other(from)), requestText(planned))
          if (leaked.length > 0) problems.push(`${label} leaks ${leaked.join(", ")}`)
          if (caller === "aggregates:read") {
            // no individual at all: no student, no faculty member (the views promise
            // individual rows to dashboards:read only), no event that could name one
            const people = [
              ...w.students[from],
              ...w.faculty[from],
              ...w.eventIds[from],
              from === "alpha" ? "Alma Alphaville" : "Bruno Bravo"
            ]
            const seen = leaks(text, people, requestText(planned))
            if (seen.length > 0) problems.push(`${label} shows ${seen.join(", ")} to aggregates:read`)
          }
        }
      }
    }
    expect(problems).toEqual([])
    expect(outcomes).toHaveLength(w.table.length * callers.length * 2)
  })
})

describe("aggregates:read", () => {
  it("sees no individual whatever filter it sets on the views it may read", async () => {
    const w = await world()
    const doc = await (await w.app.request("/openapi.json")).json()
    const headers = credentials(w, "alpha", "aggregates:read")
    const individuals = [...w.students.alpha, ...w.faculty.alpha, ...w.eventIds.alpha, "Alma Alphaville"]
    const values = [w.students.alpha[0] ?? "", w.faculty.alpha[0] ?? "", "alpha-stu-0", "Surgery", "2027", "true"]
    const seen: Array<string> = []
    let answered = 0
    for (const route of w.table.filter(
      (r) => r.access._tag === "Scoped" && r.access.anyOf.includes("aggregates:read")
    )) {
      const parameters: Array<{ name: string; in: string }> = doc.paths[route.path].get.parameters
      for (const { name } of parameters.filter((p) => p.in === "query" && p.name !== "waitFor")) {
        for (const value of values) {
          const path = `${route.path}?${name}=${encodeURIComponent(value)}`
          const response = await w.app.request(path, { headers })
          if (response.status === 200) answered += 1
          const leaked = leaks(await responseText(response), individuals, path)
          if (leaked.length > 0) seen.push(`${path}: ${leaked.join(", ")}`)
        }
      }
    }
    expect(seen).toEqual([])
    expect(answered).toBeGreaterThan(20)
  })
})

describe("the scan can fail", () => {
  it("sees a school's own data in its own dashboards:read answers", async () => {
    const w = await world()
    for (const operationId of ["dashboardStudents", "studentPage", "facultyPage", "dashboardFollowUps"]) {
      const route = w.table.find((r) => r.operationId === operationId)
      if (route === undefined) throw new Error(`no route ${operationId}`)
      const planned = plan(w, route, "alpha", "dashboards:read")
      const text = await responseText(await w.app.request(planned.path, planned.init))
      expect(text, operationId).toContain(w.students.alpha[0])
    }
  })

  it("finds student ids in the dashboards:read answers of the views aggregates:read shares", async () => {
    const w = await world()
    const shared = w.table.filter((r) => r.access._tag === "Scoped" && r.access.anyOf.includes("aggregates:read"))
    expect(shared.length).toBeGreaterThanOrEqual(6)
    let named = 0
    for (const route of shared) {
      const planned = plan(w, route, "alpha", "dashboards:read")
      const text = await responseText(await w.app.request(planned.path, planned.init))
      if (w.students.alpha.some((id) => text.includes(id))) named += 1
    }
    expect(named).toBeGreaterThan(0)
  })
})

describe("notes are education records", () => {
  it("reach no other school, no other advisor, not the raiser, no aggregate reader, no school system", async () => {
    const w = await world({ sweepLimit: { perSecond: 50, burst: 4000 } })
    await seedAdvising(w)
    const notes = [concernNoteText("alpha"), caseNoteText("alpha")]
    const seen: Array<string> = []
    let asked = 0
    const sweep = async (caller: Parameters<typeof plan>[3], from: SchoolName) => {
      for (const route of w.table) {
        const planned = plan(w, route, from, caller, "alpha")
        const text = await responseText(await w.app.request(planned.path, planned.init))
        asked += 1
        for (const note of notes) if (text.includes(note)) seen.push(`${route.operationId} as ${caller} of ${from}`)
      }
    }
    for (const caller of callers) await sweep(caller, "bravo")
    for (const caller of ["aggregates:read", "events:write", "advising:write", "no-scopes"] as const)
      await sweep(caller, "alpha")
    // another advisor of the same school: the `advising` key, now bound to someone else
    await w.app.request("/v1/advising/keys/alpha-key-advising/faculty", {
      method: "PUT",
      headers: { ...credentials(w, "alpha", "admin"), "content-type": "application/json" },
      body: JSON.stringify({ facultyId: "alpha-fac-3" })
    })
    await sweep("advising", "alpha")
    expect(seen).toEqual([])
    // the scan can fail: the owner and the dean's office read them
    const caseRoute = w.table.find((r) => r.operationId === "advisingCase")
    if (caseRoute === undefined) throw new Error("no route advisingCase")
    const owner = plan(w, caseRoute, "alpha", "dashboards:read")
    const ownerText = await responseText(await w.app.request(owner.path, owner.init))
    expect(ownerText.slice(ownerText.indexOf("\n\n"))).toContain(caseNoteText("alpha"))
    expect(asked).toBeGreaterThan(w.table.length * 10)
  })
})
