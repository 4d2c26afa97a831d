/**
 * The advising state the authorization matrix needs in each school of the world: the
 * `advising` key bound to faculty 2 and advising student 1 (academic counselor), the
 * `advising:write` key bound to faculty 1 (who teaches student 1) and having raised an
 * academic concern about them (owned by faculty 2), an open follow-up of student 1, and an
 * open inspection request about them.
 */
import { schoolNames, type SchoolName, type World, bearer } from "../world.js"

export interface AdvisingFixture {
  readonly caseId: string
  readonly followUpId: string
  readonly requestId: string
}

const fixtures = new WeakMap<World, Record<SchoolName, AdvisingFixture>>()

export const advisingFixture = (w: World, school: SchoolName): AdvisingFixture | undefined => fixtures.get(w)?.[school]

const send = async (w: World, key: string, method: string, path: string, body?: unknown) => {
  const response = await w.app.request(path, {
    method,
    headers: { ...bearer(key), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

export const seedAdvising = async (w: World): Promise<void> => {
  const out = {} as Record<SchoolName, AdvisingFixture>
  for (const name of schoolNames) {
    const keys = w.keys[name]
    const student = w.students[name][0] ?? ""
    await send(w, keys.admin, "PUT", `/v1/advising/keys/${name}-key-advising/faculty`, { facultyId: `${name}-fac-2` })
    await send(w, keys.admin, "PUT", `/v1/advising/keys/${name}-key-advising:write/faculty`, {
      facultyId: `${name}-fac-1`
    })
    await send(w, keys["events:write"], "POST", "/v1/events", {
      id: `${name === "alpha" ? "aaaaaaaa" : "bbbbbbbb"}-3333-7000-8000-000000000001`,
      type: "MentorAssigned",
      v: 2,
      occurredAt: "2026-10-25T12:00:00Z",
      data: { studentId: student, facultyId: `${name}-fac-2`, program: "advisory-college" }
    })
    const concern = await send(w, keys["advising:write"], "POST", `/v1/advising/students/${student}/concerns`, {
      category: "academic",
      note: `${name}-concern-note`
    })
    const inspection = await send(w, keys.admin, "POST", `/v1/advising/students/${student}/inspection-requests`)
    await w.projector.catchUp()
    const list = await send(w, keys.advising, "GET", "/v1/worklist")
    const followUpId: string = list.items[0]?.behind.followUps[0]?.followUpId ?? "missing"
    out[name] = { caseId: concern.caseId, followUpId, requestId: inspection.requestId }
  }
  fixtures.set(w, out)
}
