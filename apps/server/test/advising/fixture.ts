/**
 * The advising state the authorization matrix needs in each school of the world: the
 * `advising` key bound to faculty 2 and advising student 1 (academic counselor), the
 * `advising:write` key bound to faculty 1 (who teaches student 1) and having raised an
 * academic concern about them (owned by faculty 2), an open follow-up of student 1, and an
 * open inspection request about them.
 */
import * as Effect from "effect/Effect"
import { bearer, type SchoolName, schoolId, schoolNames, type World } from "../world.js"

export interface AdvisingFixture {
  readonly caseId: string
  readonly followUpId: string
  readonly requestId: string
}

/** the texts of the fixture's notes, which must reach nobody but whoever handles the case */
export const concernNoteText = (name: SchoolName): string => `${name}-concern-note`
export const caseNoteText = (name: SchoolName): string => `${name}-case-note: exam anxiety`

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
      note: concernNoteText(name)
    })
    // the owner's note on the case (written as the advising routes write it)
    await Effect.runPromise(
      w.store.appendMany([
        {
          stream: { school: schoolId(name), kind: "student", id: student },
          expected: { _tag: "Any" },
          events: [
            {
              id: `${name === "alpha" ? "aaaaaaaa" : "bbbbbbbb"}-4444-7000-8000-000000000001`,
              type: "CaseNoteAdded",
              v: 1,
              occurredAt: "2026-11-01T12:00:00.000Z",
              data: {
                caseId: concern.caseId,
                studentId: student,
                noteId: "n-1",
                text: caseNoteText(name),
                author: `${name}-fac-2`
              }
            }
          ]
        }
      ])
    )
    const inspection = await send(w, keys.admin, "POST", `/v1/advising/students/${student}/inspection-requests`)
    await w.projector.catchUp()
    const list = await send(w, keys.advising, "GET", "/v1/worklist")
    const followUpId: string = list.items[0]?.behind.followUps[0]?.followUpId ?? "missing"
    out[name] = { caseId: concern.caseId, followUpId, requestId: inspection.requestId }
  }
  fixtures.set(w, out)
}
