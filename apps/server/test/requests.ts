/**
 * A well-formed request for every route of the table (by operationId), on behalf of a
 * caller of one school about the people of a target school, and the status the contract
 * (docs/api.md, DESIGN.md "Interfaces") promises for it. The authorization matrix, the
 * header checks and the log checks all drive the app through these.
 */
import type { AnyRoute } from "../src/http/Route.js"
import { advisingFixture } from "./advising/fixture.js"
import { type Caller, credentials, type SchoolName, type World } from "./world.js"

export interface PlannedRequest {
  readonly path: string
  readonly init: RequestInit
}

let counter = 0
/** a fresh event id; the first group names the school so that leaks are easy to spot */
export const freshEventId = (school: SchoolName): string => {
  counter += 1
  return `${school === "alpha" ? "aaaaaaaa" : "bbbbbbbb"}-1111-7000-8000-${counter.toString(16).padStart(12, "0")}`
}

export const officeHoursEvent = (school: SchoolName, studentId: string, facultyId: string) => ({
  id: freshEventId(school),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-10-20T15:00:00Z",
  source: `${school}-scheduler`,
  data: { studentId, facultyId, durationMinutes: 15, topic: "feedback", initiatedBy: "student" }
})

const json = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { ...headers, "content-type": "application/json" }
})

const keyText = (w: World, school: SchoolName, caller: Caller): string =>
  caller === "anonymous" || caller === "bad-key"
    ? (credentials(w, school, caller).authorization ?? "").replace(/^Bearer /, "")
    : w.keys[school][caller]

/**
 * The request a `caller` of `from` makes to `route` about the people of `about`.
 */
export const plan = (
  w: World,
  route: AnyRoute,
  from: SchoolName,
  caller: Caller,
  about: SchoolName = from
): PlannedRequest => {
  const headers = credentials(w, from, caller)
  const student = w.students[about][0] ?? "missing"
  const faculty = w.faculty[about][0] ?? "missing"
  switch (route.operationId) {
    case "postEvents":
      // always about the caller's own school: events land in the key's school whatever they say
      return {
        path: route.path,
        init: json("POST", officeHoursEvent(from, `${from}-stu-new`, `${from}-fac-new`), headers)
      }
    case "studentPage":
      return { path: `/v1/students/${student}`, init: { headers } }
    case "facultyPage":
      return { path: `/v1/faculty/${faculty}`, init: { headers } }
    case "searchDirectory":
      // a search that reaches the read models (an id prefix), not the empty query answered at once
      return { path: `/v1/directory/search?q=${encodeURIComponent(student.slice(0, 3))}`, init: { headers } }
    case "putStudentDirectory":
      return {
        path: `/v1/directory/students/${student}`,
        init: json("PUT", { displayName: "Dana Directory", email: "dana@example.org" }, headers)
      }
    case "putFacultyDirectory":
      return {
        path: `/v1/directory/faculty/${faculty}`,
        init: json("PUT", { displayName: "Prof Directory", email: null }, headers)
      }
    case "signIn":
      return { path: route.path, init: json("POST", { key: keyText(w, from, caller) }, {}) }
    case "postRetention":
      // a dry run: it reads the key's school only, and removes nothing
      return { path: route.path, init: json("POST", { olderThan: "P1M" }, headers) }
    // sign-in with the school's identity provider: no school of the world has one configured
    case "oidcStart":
    case "oidcCallback":
    case "samlStart":
    case "samlMetadata":
    case "samlLogoutReturn":
      return { path: route.path.replace("{school}", from), init: { method: route.method, headers } }
    case "samlAcs":
      return {
        path: route.path.replace("{school}", from),
        init: {
          method: "POST",
          body: "SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4%3D",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }
        }
      }
    case "bindPersonToFaculty":
      return { path: `/v1/people/${w.people[about]}/faculty`, init: json("PUT", { facultyId: faculty }, headers) }
    case "endPersonSessions":
      return { path: `/v1/people/${w.people[about]}/sessions`, init: { method: "DELETE", headers } }
    default: {
      const advising = planAdvising(w, route, from, about, headers, student, faculty)
      return advising ?? { path: route.path, init: { method: route.method, headers } }
    }
  }
}

/** The advising routes (docs/advising.md), with the ids of the fixture of `about` (test/advising/fixture.ts). */
const planAdvising = (
  w: World,
  route: AnyRoute,
  from: SchoolName,
  about: SchoolName,
  headers: Record<string, string>,
  student: string,
  faculty: string
): PlannedRequest | undefined => {
  const fixture = advisingFixture(w, about)
  const caseId = fixture?.caseId ?? "no-case"
  const path = route.path
    .replace("{id}", route.operationId === "putAdvisingProfile" ? faculty : student)
    .replace("{caseId}", caseId)
    .replace("{followUpId}", fixture?.followUpId ?? "no-follow-up")
    .replace("{requestId}", fixture?.requestId ?? "no-request")
    .replace("{name}", `${about}-key-advising`)
  switch (route.operationId) {
    case "mentorSuggestions":
      return { path: `${path}?role=academic-counselor`, init: { headers } }
    case "raiseConcern":
      return { path, init: json("POST", { category: "academic" }, headers) }
    case "addCaseNote":
      return { path, init: json("POST", { text: `${from} note` }, headers) }
    case "actOnFollowUp":
      return { path, init: json("POST", { action: "dismiss", reason: "arranged elsewhere" }, headers) }
    case "assignMentor":
      return { path, init: json("POST", { role: "academic-counselor", facultyId: faculty }, headers) }
    case "putAdvisingSettings":
      return {
        path,
        init: json(
          "PUT",
          { programRoles: { "advisory-college": "academic-counselor" }, studentAffairs: [], defaultCapacity: 12 },
          headers
        )
      }
    case "putAdvisingProfile":
      return { path, init: json("PUT", { committees: [] }, headers) }
    case "bindKeyToFaculty":
      return { path, init: json("PUT", { facultyId: `${about}-fac-2` }, headers) }
    default:
      return route.path.startsWith("/v1/advising/") || route.path === "/v1/worklist"
        ? { path, init: { method: route.method, headers } }
        : undefined
  }
}

const success: Readonly<Record<string, ReadonlyArray<number>>> = {
  putStudentDirectory: [200, 201],
  putFacultyDirectory: [200, 201],
  signOut: [204],
  raiseConcern: [201],
  requestInspection: [201],
  // the `advising:write` key of the fixture is the raiser of the case: never its handler
  addCaseNote: [404],
  closeCase: [404],
  // …nor the advisor of the student: their follow-ups and mentors are not theirs to touch
  actOnFollowUp: [404],
  assignMentor: [404]
}

/** Routes that answer 404 about another school's people (nothing of it is ever found). */
const notFoundAcross = [
  "studentPage",
  "facultyPage",
  "bindPersonToFaculty",
  "endPersonSessions",
  "advisingStudent",
  "adviseeStudentPage",
  "advisingCase",
  "raiseConcern",
  "addCaseNote",
  "closeCase",
  "actOnFollowUp",
  "mentorSuggestions",
  "assignMentor",
  "bindKeyToFaculty",
  "requestInspection",
  "fulfilInspection",
  "inspectionExport"
]

/**
 * The statuses the contract allows for a planned request.
 */
export const expectedStatuses = (route: AnyRoute, caller: Caller, crossSchool: boolean): ReadonlyArray<number> => {
  const unauthenticated = caller === "anonymous" || caller === "bad-key" || caller === "revoked"
  if (route.access._tag === "Public") {
    switch (route.operationId) {
      case "signIn":
        if (unauthenticated) return [401]
        return ["dashboards:read", "aggregates:read", "advising", "advising:write"].includes(caller) ? [200] : [403]
      case "currentSession":
      case "signOut":
        return [401]
      // no school of the world signs in with an identity provider
      case "oidcStart":
      case "oidcCallback":
      case "samlStart":
      case "samlAcs":
      case "samlMetadata":
        return [404]
      case "samlLogoutReturn":
        return [302]
      default:
        return [200]
    }
  }
  if (unauthenticated) return [401]
  if (caller === "no-scopes" || !route.access.anyOf.includes(caller)) return [403]
  if (crossSchool && notFoundAcross.includes(route.operationId)) return [404]
  return success[route.operationId] ?? [200]
}

/** the texts that identify a school's data: people, events, names, keys, sources */
export const identifyingTexts = (w: World, school: SchoolName): ReadonlyArray<string> => [
  ...w.students[school],
  ...w.faculty[school],
  ...w.eventIds[school],
  school === "alpha" ? "aaaaaaaa-" : "bbbbbbbb-",
  school === "alpha" ? "Alma Alphaville" : "Bruno Bravo",
  `${school}-key-`,
  `${school}-scheduler`,
  `school-${school}`,
  `${school}-letter-`
]

/** the whole visible answer: status line, headers and body */
export const responseText = async (response: Response): Promise<string> => {
  const headers: Array<string> = []
  response.headers.forEach((value, name) => {
    headers.push(`${name}: ${value}`)
  })
  return `${headers.join("\n")}\n\n${await response.text()}`
}

/** the text a request itself carries (ids it names may come back without being a leak) */
export const requestText = (planned: PlannedRequest): string =>
  `${planned.path} ${typeof planned.init.body === "string" ? planned.init.body : ""}`
