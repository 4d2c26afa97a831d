/**
 * Advising end to end through the app (no socket): roles and caseloads, concerns routed to
 * the right owner (wellbeing to student affairs only), a raiser who learns only that the
 * case was handled, mentor assignment stored as MentorAssigned and moving caseloads, the
 * counseling conflict warned about and listed, follow-ups dismissed and snoozed with a
 * reason, no action counting as contact, and the inspection export then erasure.
 */
import { describe, expect, it } from "vitest"
import { bearer, now, schoolId, world, type World } from "../world.js"

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely by the assertions
type Json = Record<string, any>

const keyFor = async (w: World, name: string, scopes: Array<string>, facultyId?: string) => {
  const { key } = await w.control.createKey({ school: schoolId("alpha"), name, scopes: scopes as never, now })
  if (facultyId !== undefined) {
    const r = await call(w, w.keys.alpha.admin, "PUT", `/v1/advising/keys/${name}/faculty`, { facultyId })
    expect(r.status).toBe(200)
  }
  return key
}

const call = async (w: World, key: string, method: string, path: string, body?: unknown) => {
  const init: RequestInit =
    body === undefined
      ? { method, headers: bearer(key) }
      : { method, headers: { ...bearer(key), "content-type": "application/json" }, body: JSON.stringify(body) }
  const response = await w.app.request(path, init)
  const text = await response.text()
  return { status: response.status, text, json: (text.length > 0 ? JSON.parse(text) : {}) as Json }
}

const setUp = async () => {
  const w = await world()
  const admin = w.keys.alpha.admin
  expect(
    (
      await call(w, admin, "PUT", "/v1/advising/settings", {
        programRoles: { "advisory-college": "academic-counselor", "career-advising": "career-advisor" },
        studentAffairs: ["alpha-sa-1"],
        defaultCapacity: 2
      })
    ).status
  ).toBe(200)
  const keys = {
    teacher: await keyFor(w, "teacher-fac-1", ["advising:write"], "alpha-fac-1"),
    advisor: await keyFor(w, "advisor-fac-2", ["advising", "advising:write"], "alpha-fac-2"),
    advisor3: await keyFor(w, "advisor-fac-3", ["advising", "advising:write"], "alpha-fac-3"),
    affairs: await keyFor(w, "student-affairs", ["advising", "advising:write"], "alpha-sa-1"),
    dean: await keyFor(w, "dean", ["dashboards:read", "advising:write"], "alpha-dean"),
    unbound: await keyFor(w, "unbound-advisor", ["advising", "advising:write"])
  }
  return { w, keys }
}

const student = "alpha-stu-01"

describe("advising", () => {
  it("routes concerns to the right owner, tells the raiser only that it was handled, and moves caseloads on assignment", async () => {
    const { w, keys } = await setUp()
    // assignment by the dean's office stores MentorAssigned
    const assigned = await call(w, keys.dean, "POST", `/v1/advising/students/${student}/mentors`, {
      role: "academic-counselor",
      facultyId: "alpha-fac-2"
    })
    expect(assigned.status).toBe(200)
    expect(assigned.json.warnings).toEqual([])
    const page = await w.store
      .readStream({ school: schoolId("alpha"), kind: "student", id: student })
      .pipe((e) => import("effect/Effect").then((E) => E.runPromise(e)))
    expect(page.filter((e) => e.type === "MentorAssigned").map((e) => e.data)).toEqual([
      { studentId: student, facultyId: "alpha-fac-2", program: "advisory-college" }
    ])
    expect((await call(w, keys.advisor, "GET", "/v1/advising/me")).json.caseload["academic-counselor"]).toEqual([
      student
    ])

    // an advisor sees only their advisees
    expect((await call(w, keys.advisor, "GET", `/v1/advising/students/${student}`)).status).toBe(200)
    expect((await call(w, keys.advisor, "GET", "/v1/advising/students/alpha-stu-02")).status).toBe(404)
    const advisee = await call(w, keys.advisor, "GET", `/v1/advising/students/${student}/page`)
    expect(advisee.status).toBe(200)
    expect(advisee.json.relationships.length).toBeGreaterThan(0)
    expect((await call(w, keys.advisor, "GET", "/v1/advising/students/alpha-stu-02/page")).status).toBe(404)
    const views = await call(w, w.keys.alpha.admin, "GET", "/v1/audit")
    expect(views.json.entries).toContainEqual(expect.objectContaining({ studentId: student, keyName: "advisor-fac-2" }))
    const advisorList = await call(w, keys.advisor, "GET", "/v1/worklist")
    expect(advisorList.json.items.map((i: Json) => i.studentId)).toEqual([student])
    expect((await call(w, keys.unbound, "GET", "/v1/worklist")).status).toBe(403)

    // a teaching faculty member raises an academic and a wellbeing concern
    const academic = await call(w, keys.teacher, "POST", `/v1/advising/students/${student}/concerns`, {
      category: "academic",
      note: "Missed two exams"
    })
    expect(academic.status).toBe(201)
    const wellbeing = await call(w, keys.teacher, "POST", `/v1/advising/students/${student}/concerns`, {
      category: "wellbeing",
      note: "Seemed exhausted"
    })
    expect(wellbeing.json.ownerRole).toBe("student-affairs")
    expect(
      (await call(w, keys.teacher, "POST", "/v1/advising/students/alpha-stu-02/concerns", { category: "academic" }))
        .status
    ).toBe(403)

    const caseIdsOf = async (key: string) =>
      (await call(w, key, "GET", "/v1/worklist")).json.items.flatMap((i: Json) =>
        i.behind.cases.map((c: Json) => c.caseId)
      )
    expect(await caseIdsOf(keys.advisor)).toEqual([academic.json.caseId])
    expect(await caseIdsOf(keys.affairs)).toEqual([wellbeing.json.caseId])
    expect(await caseIdsOf(keys.dean)).toEqual([academic.json.caseId])
    const top = (await call(w, keys.advisor, "GET", "/v1/worklist")).json.items[0]
    expect(top.reason).toMatch(/^An open academic concern raised on/)

    // the raiser cannot read the case; the dean cannot read student affairs' case
    expect(
      (await call(w, keys.teacher, "GET", `/v1/advising/students/${student}/cases/${academic.json.caseId}`)).status
    ).toBe(403)
    expect(
      (await call(w, keys.dean, "GET", `/v1/advising/students/${student}/cases/${wellbeing.json.caseId}`)).status
    ).toBe(404)
    expect(
      (await call(w, keys.advisor, "GET", `/v1/advising/students/${student}/cases/${wellbeing.json.caseId}`)).status
    ).toBe(404)

    // the owner adds a note, corrects it, closes the case
    const note = await call(
      w,
      keys.advisor,
      "POST",
      `/v1/advising/students/${student}/cases/${academic.json.caseId}/notes`,
      { text: "Met the student: exam anxiety" }
    )
    expect(note.status).toBe(201)
    expect(
      (
        await call(w, keys.advisor, "POST", `/v1/advising/students/${student}/cases/${academic.json.caseId}/notes`, {
          text: "Met the student: exam anxiety; referred to learning specialist",
          amends: note.json.noteId
        })
      ).status
    ).toBe(201)
    const read = await call(w, keys.advisor, "GET", `/v1/advising/students/${student}/cases/${academic.json.caseId}`)
    expect(read.json.notes.map((n: Json) => n.text)).toEqual([
      "Met the student: exam anxiety; referred to learning specialist"
    ])
    expect(
      (await call(w, keys.advisor, "POST", `/v1/advising/students/${student}/cases/${academic.json.caseId}/close`))
        .status
    ).toBe(200)

    const raised = await call(w, keys.teacher, "GET", "/v1/advising/concerns/raised")
    const byId = new Map(raised.json.concerns.map((c: Json) => [c.caseId, c]))
    expect(byId.get(academic.json.caseId)).toMatchObject({ handled: true })
    expect(byId.get(wellbeing.json.caseId)).toMatchObject({ handled: false })
    expect(raised.text).not.toContain("anxiety")
    expect(raised.text).not.toContain("exhausted")

    // the read of notes is in the advising audit (the inspection export shows it)
    const exported = await call(w, w.keys.alpha.admin, "GET", `/v1/advising/students/${student}/inspection`)
    expect(exported.json.advisingAudit.map((l: Json) => l.action)).toContain("read-notes")
    const log = await call(w, w.keys.alpha.admin, "GET", `/v1/advising/audit?studentId=${student}`)
    expect(log.json.entries).toContainEqual(
      expect.objectContaining({
        actor: "advisor-fac-2",
        facultyId: "alpha-fac-2",
        action: "read-notes",
        subject: academic.json.caseId
      })
    )
    expect(log.json.entries).toContainEqual(
      expect.objectContaining({ actor: "teacher-fac-1", action: "raised-concern" })
    )
    // the advising events are in the OpenAPI document
    const doc = await (await w.app.request("/openapi.json")).json()
    for (const type of [
      "ConcernRaised",
      "CaseNoteAdded",
      "CaseClosed",
      "FollowUpDismissed",
      "FollowUpSnoozed",
      "FollowUpMarkedDone"
    ])
      expect(Object.keys(doc.components.schemas)).toContain(`${type}Record`)

    // changing the mentor moves both caseloads
    await call(w, w.keys.alpha.admin, "PUT", "/v1/advising/faculty/alpha-fac-3", { committees: ["promotions"] })
    const changed = await call(w, keys.advisor, "POST", `/v1/advising/students/${student}/mentors`, {
      role: "academic-counselor",
      facultyId: "alpha-fac-3"
    })
    expect(changed.json.previous).toBe("alpha-fac-2")
    expect(changed.json.warnings).toEqual([expect.stringContaining("sits on the promotions committee")])
    expect((await call(w, keys.advisor, "GET", "/v1/advising/me")).json.caseload["academic-counselor"]).toEqual([])
    expect((await call(w, keys.advisor3, "GET", "/v1/advising/me")).json.caseload["academic-counselor"]).toEqual([
      student
    ])
    const conflicts = await call(w, keys.dean, "GET", "/v1/advising/conflicts")
    expect(conflicts.json.pairs).toEqual([
      expect.objectContaining({
        studentId: student,
        facultyId: "alpha-fac-3",
        role: "academic-counselor",
        conflicts: ["promotions-committee"]
      })
    ])
    const suggestions = await call(
      w,
      keys.dean,
      "GET",
      `/v1/advising/students/${student}/suggestions?role=academic-counselor`
    )
    expect(suggestions.json.suggestions.map((s: Json) => s.facultyId)).not.toContain("alpha-fac-3")
    expect(suggestions.json.suggestions[0].reason).toMatch(/advisees/)
  })

  it("dismisses and snoozes follow-ups with a reason, and no action counts as contact", async () => {
    const { w, keys } = await setUp()
    // A second open follow-up with another faculty member (one open follow-up per pair, issue
    // #17): a research role started a week ago, its first meeting due in a week.
    await call(w, w.keys.alpha["events:write"], "POST", "/v1/events", {
      id: "aaaaaaaa-3333-7000-8000-000000000001",
      type: "ResearchRoleStarted",
      occurredAt: "2026-10-25T12:00:00Z",
      data: { studentId: student, facultyId: "alpha-fac-3", projectId: "p-1", role: "assistant" }
    })
    await w.projector.catchUp()
    await w.projector.refreshFollowUps()
    const before = await call(w, w.keys.alpha["dashboards:read"], "GET", `/v1/students/${student}`)
    await call(w, keys.dean, "POST", `/v1/advising/students/${student}/mentors`, {
      role: "academic-counselor",
      facultyId: "alpha-fac-2"
    })
    const list = (await call(w, keys.advisor, "GET", "/v1/worklist")).json
    const followUps: Array<Json> = list.items[0].behind.followUps
    expect(followUps.length).toBe(2)
    const [first, second] = followUps
    const act = (id: string, body: unknown) =>
      call(w, keys.advisor, "POST", `/v1/advising/students/${student}/follow-ups/${id}`, body)
    expect((await act(first?.followUpId, { action: "dismiss" })).status).toBe(400)
    expect(
      (await act(first?.followUpId, { action: "dismiss", reason: "Letters are arranged outside Rapport" })).status
    ).toBe(200)
    expect(
      (await act(second?.followUpId, { action: "snooze", reason: "On leave until December", until: "2026-12-01" }))
        .status
    ).toBe(200)
    expect((await call(w, keys.advisor, "GET", "/v1/worklist")).json.items).toEqual([])
    // another advisor's student: 404
    expect(
      (await call(w, keys.advisor, "POST", "/v1/advising/students/alpha-stu-02/follow-ups/x", { action: "done" }))
        .status
    ).toBe(404)
    await w.projector.catchUp()
    const after = await call(w, w.keys.alpha["dashboards:read"], "GET", `/v1/students/${student}`)
    // the relationships there were keep their tiers; the assignment itself adds no contact
    const tiers = (page: Json) => new Map(page.relationships.map((r: Json) => [r.facultyId, r.tier]))
    const was = tiers(before.json)
    for (const [facultyId, tier] of tiers(after.json)) expect(tier).toBe(was.get(facultyId) ?? "none")
    expect(after.json.student?.isolated ?? after.json.isolated).toEqual(
      before.json.student?.isolated ?? before.json.isolated
    )
  })

  it("holds an erasure while an inspection request is open; the export holds everything; erasure removes it all", async () => {
    const { w, keys } = await setUp()
    const admin = w.keys.alpha.admin
    const concern = await call(w, keys.teacher, "POST", `/v1/advising/students/${student}/concerns`, {
      category: "health",
      note: "Frequent absences for appointments"
    })
    await call(w, keys.affairs, "POST", `/v1/advising/students/${student}/cases/${concern.json.caseId}/notes`, {
      text: "Accommodation discussed"
    })
    const request = await call(w, admin, "POST", `/v1/advising/students/${student}/inspection-requests`)
    expect(request.status).toBe(201)
    const erase = () =>
      call(w, w.keys.alpha["events:write"], "POST", "/v1/events", {
        id: "aaaaaaaa-2222-7000-8000-000000000001",
        type: "StudentErasureRequested",
        occurredAt: "2026-11-01T11:00:00Z",
        data: { studentId: student }
      })
    const held = await erase()
    expect(held.status).toBe(400)
    expect(held.text).toContain("inspection request")
    const exported = await call(w, admin, "GET", `/v1/advising/students/${student}/inspection`)
    expect(exported.text).toContain("Frequent absences for appointments")
    expect(exported.text).toContain("Accommodation discussed")
    expect(exported.json.events.length).toBeGreaterThan(5)
    expect(exported.json.directory.displayName).toMatch(/Alma Alphaville/)
    expect(
      (
        await call(
          w,
          admin,
          "POST",
          `/v1/advising/students/${student}/inspection-requests/${request.json.requestId}/fulfil`
        )
      ).status
    ).toBe(200)
    expect([200, 202]).toContain((await erase()).status)
    await w.projector.catchUp()
    expect((await call(w, admin, "GET", `/v1/advising/students/${student}/inspection`)).status).toBe(404)
    expect((await call(w, keys.affairs, "GET", "/v1/worklist")).text).not.toContain(student)
    expect((await call(w, keys.teacher, "GET", "/v1/advising/concerns/raised")).text).not.toContain(student)
  })

  it("lets the school's retention name the advising events (notes are education records with their own retention)", async () => {
    const { w } = await setUp()
    const run = await call(w, w.keys.alpha.admin, "POST", "/v1/retention", {
      olderThan: "P1M",
      types: ["CaseNoteAdded", "ConcernRaised"]
    })
    expect(run.status).toBe(200)
    expect(run.json.report?.types ?? run.json.types).toEqual(["CaseNoteAdded", "ConcernRaised"])
    expect(
      (await call(w, w.keys.alpha.admin, "POST", "/v1/retention", { olderThan: "P1M", types: ["CaseGossip"] })).status
    ).toBe(400)
  })

  it("keeps a wellbeing case from a member of student affairs who assessed the student", async () => {
    const { w, keys } = await setUp()
    await call(w, w.keys.alpha.admin, "PUT", "/v1/advising/settings", {
      programRoles: { "advisory-college": "academic-counselor" },
      studentAffairs: ["alpha-sa-1", "alpha-fac-3"],
      defaultCapacity: 2
    })
    const assessor = await keyFor(w, "affairs-assessor", ["advising"], "alpha-fac-3")
    await call(w, w.keys.alpha["events:write"], "POST", "/v1/events", {
      id: "aaaaaaaa-5555-7000-8000-000000000001",
      type: "ClinicalFeedbackGiven",
      occurredAt: "2026-10-20T12:00:00Z",
      data: { studentId: student, facultyId: "alpha-fac-3", setting: "rotation", domains: ["professionalism"] }
    })
    const wellbeing = await call(w, keys.teacher, "POST", `/v1/advising/students/${student}/concerns`, {
      category: "wellbeing"
    })
    expect(
      (await call(w, keys.affairs, "GET", `/v1/advising/students/${student}/cases/${wellbeing.json.caseId}`)).status
    ).toBe(200)
    expect(
      (await call(w, assessor, "GET", `/v1/advising/students/${student}/cases/${wellbeing.json.caseId}`)).status
    ).toBe(404)
    expect((await call(w, assessor, "GET", "/v1/worklist")).text).not.toContain(wellbeing.json.caseId)
  })
})
