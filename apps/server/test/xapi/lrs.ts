/**
 * A real `rapport serve` as an xAPI LRS for the statement-resource tests: keys of two
 * source systems (one with its account homePage configured), a dean and an admin, a
 * directory with a student and a faculty member, and a client that speaks xAPI (HTTP
 * Basic, the version header). The same suite runs on SQLite and PostgreSQL.
 */
import { randomUUID } from "node:crypto"
import { createKey, type Serving, serve } from "../reliability/processes.js"

export const lmsHomePage = "https://lms.example.edu"

/** the people of the directory, and how statements name them */
export const people = {
  student: { id: "s-1001", email: "ada@example.edu" },
  faculty: { id: "f-204", email: "grace@example.edu" }
} as const

export const studentByAccount = { objectType: "Agent", account: { homePage: lmsHomePage, name: people.student.id } }
export const facultyByMbox = { objectType: "Agent", mbox: `mailto:${people.faculty.email}` }

export interface Lrs {
  readonly url: string
  readonly serving: Serving
  /** Basic credentials of the keys: lms (homePage configured), clinic (another system) */
  readonly basic: { readonly lms: string; readonly clinic: string; readonly dean: string }
  readonly bearer: { readonly lms: string; readonly dean: string; readonly admin: string }
  readonly stop: () => Promise<void>
}

const basicOf = (key: string): string => {
  const match = /^rapport_([0-9a-f]{16})_(.+)$/.exec(key)
  if (match === null) throw new Error("not a key")
  return `Basic ${Buffer.from(`${match[1]}:${match[2]}`).toString("base64")}`
}

export const startLrs = async (db: string): Promise<Lrs> => {
  const lms = await createKey(db, "school-x", "events:write", "lms-feed")
  const clinic = await createKey(db, "school-x", "events:write", "clinic-feed")
  const dean = await createKey(db, "school-x", "dashboards:read", "dean")
  const admin = await createKey(db, "school-x", "admin", "admin")
  const serving = await serve(db, { RAPPORT_XAPI_ACCOUNTS: `lms-feed=${lmsHomePage}` })
  const lrs: Lrs = {
    url: serving.url,
    serving,
    basic: { lms: basicOf(lms), clinic: basicOf(clinic), dean: basicOf(dean) },
    bearer: { lms: `Bearer ${lms}`, dean: `Bearer ${dean}`, admin: `Bearer ${admin}` },
    stop: async () => {
      await serving.proc.stop()
    }
  }
  for (const [kind, person] of [
    ["students", people.student],
    ["faculty", people.faculty]
  ] as const) {
    const put = await fetch(`${lrs.url}/v1/directory/${kind}/${person.id}`, {
      method: "PUT",
      headers: { authorization: lrs.bearer.admin, "content-type": "application/json" },
      body: JSON.stringify({ displayName: null, email: person.email })
    })
    if (put.status >= 300) throw new Error(`directory: ${put.status} ${await put.text()}`)
  }
  return lrs
}

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
  readonly text: string
}

/** an xAPI request: Basic credentials, the version header unless `version: null` */
export const xapi = async (
  lrs: Lrs,
  method: string,
  path: string,
  options: {
    readonly auth?: string | null
    readonly body?: unknown
    readonly version?: string | null
    readonly headers?: Record<string, string>
  } = {}
): Promise<Answer> => {
  const headers: Record<string, string> = { ...options.headers }
  const auth = options.auth === undefined ? lrs.basic.lms : options.auth
  if (auth !== null) headers.authorization = auth
  const version = options.version === undefined ? "2.0.0" : options.version
  if (version !== null) headers["x-experience-api-version"] = version
  if (options.body !== undefined) headers["content-type"] ??= "application/json"
  const response = await fetch(`${lrs.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
  })
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, body, text }
}

/** a statement outside Rapport's profile (a learner completed a module) */
export const plainStatement = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: randomUUID(),
  actor: { objectType: "Agent", mbox: "mailto:learner@example.edu", name: "A Learner" },
  verb: { id: "http://adlnet.gov/expapi/verbs/completed", display: { "en-US": "completed" } },
  object: { objectType: "Activity", id: "https://lms.example.edu/courses/anatomy/module-1" },
  timestamp: "2026-10-01T15:30:00Z",
  ...overrides
})

/** a statement of the profile: the student attended the faculty member's office hours */
export const officeHoursStatement = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: randomUUID(),
  actor: studentByAccount,
  verb: { id: "http://adlnet.gov/expapi/verbs/attended", display: { "en-US": "attended" } },
  object: {
    objectType: "Activity",
    id: "https://lms.example.edu/office-hours/f-204/2026-10-01",
    definition: { type: "http://adlnet.gov/expapi/activities/meeting", name: { "en-US": "Office hours" } }
  },
  result: { duration: "PT20M" },
  context: {
    instructor: facultyByMbox,
    contextActivities: { category: [{ id: "https://rapport.dev/xapi/activity-types/office-hours" }] },
    extensions: {
      "https://rapport.dev/xapi/extensions/topic": "career",
      "https://rapport.dev/xapi/extensions/initiated-by": "student"
    }
  },
  timestamp: "2026-10-01T15:30:00Z",
  ...overrides
})

/** polls `check` until it holds (the projector works in the background), failing after `ms` */
export const eventually = async (check: () => Promise<boolean>, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error("the condition never held")
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
