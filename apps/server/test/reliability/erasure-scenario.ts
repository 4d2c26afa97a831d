/**
 * Erasure through the real server, the same on SQLite and PostgreSQL: a school posts a
 * student's history (interactions, a rotation, letters, a support check-in, a nudge), an
 * admin sets their name and e-mail address, a dean views their page (so the audit log has
 * their id), then the school posts `StudentErasureRequested`. The scenario returns what to
 * look for (the needles: id, name, e-mail, letter id, event ids) and the running server;
 * the test files search every place the data could remain.
 */
import { randomBytes } from "node:crypto"
import { expect } from "vitest"
import {
  type Json,
  dayOf,
  enrolled,
  event,
  facultyJoined,
  officeHours,
  postEvents,
  request,
  readConsistent
} from "./client.js"
import { createKey, type Serving, serve } from "./processes.js"
import { everyCell } from "./stores.js"

export interface Scenario {
  readonly school: string
  readonly studentId: string
  /** everything of the erased student that must not survive, by what it is */
  readonly needles: Readonly<Record<string, string>>
  readonly keys: { readonly writer: string; readonly dean: string; readonly admin: string }
  readonly server: Serving
}

const needlesFound = (cells: ReadonlyArray<{ where: string; text: string }>, needles: Record<string, string>) =>
  cells.flatMap((cell) =>
    Object.entries(needles)
      .filter(([, needle]) => cell.text.includes(needle))
      .map(([what]) => `${what} in ${cell.where}`)
  )

/** Where, among every cell of every table, a needle still is (empty when erased). */
export const traces = async (db: string, needles: Record<string, string>): Promise<ReadonlyArray<string>> =>
  needlesFound(await everyCell(db), needles)

const erasedHistory = (studentId: string, m: string, letterId: string): Array<Json> => [
  enrolled(studentId),
  officeHours(studentId, `f-${m}-1`, "2026-02-03T15:00:00Z"),
  officeHours(studentId, `f-${m}-2`, "2026-03-04T15:00:00Z"),
  event("MentorshipMeetingHeld", "2026-04-05T15:00:00Z", {
    studentId,
    facultyId: `f-${m}-1`,
    durationMinutes: 45,
    topics: ["specialty-selection"]
  }),
  event("RotationCompleted", "2026-06-30T18:00:00Z", {
    studentId,
    facultyIds: [`f-${m}-1`, `f-${m}-only`],
    rotationId: `rot-${m}`,
    specialty: "Surgery",
    startedOn: "2026-06-01",
    endedOn: "2026-06-30"
  }),
  event("LetterRequested", "2026-07-10T12:00:00Z", {
    studentId,
    facultyId: `f-${m}-1`,
    letterId,
    cycle: 2029,
    specialty: "Surgery"
  }),
  event("LetterSubmitted", "2026-08-10T12:00:00Z", { studentId, facultyId: `f-${m}-1`, letterId }),
  event("FollowUpSent", "2026-07-02T12:00:00Z", {
    studentId,
    facultyId: `f-${m}-only`,
    kind: "thank-you",
    channel: "email"
  }),
  event("SupportCheckInHeld", "2026-09-01T12:00:00Z", { studentId, facultyId: `f-${m}-2`, kind: "wellbeing" }),
  event("NudgeSent", "2026-09-02T12:00:00Z", {
    studentId,
    followUpId: `fu-${m}`,
    ruleId: "stay-in-touch",
    channel: "email"
  })
]

/** Runs the scenario up to (and including) the erasure request; the projector may still be working. */
export const runScenario = async (db: string, env: Record<string, string> = {}): Promise<Scenario> => {
  const m = randomBytes(4).toString("hex")
  const school = `school-${m}`
  const studentId = `zq${m}-100-erased`
  const letterId = `ltr-${m}-zq`
  const displayName = `Quentin Erasewell ${m}`
  const email = `q.erasewell.${m}@example.edu`
  const keys = {
    writer: await createKey(db, school, "events:write", `writer-${m}`, env),
    dean: await createKey(db, school, "dashboards:read", `dean-${m}`, env),
    admin: await createKey(db, school, "admin", `admin-${m}`, env)
  }
  const server = await serve(db, env)
  // Enough data for every index to have interior pages, and the erased student's keys in
  // the middle of them (their ids sort between the others'), spread over several leaves.
  const others = Array.from({ length: 200 }, (_, i) => `zq${m}-${String(i).padStart(3, "0")}`)
  const history = erasedHistory(studentId, m, letterId)
  for (let i = 0; i < 300; i += 1) history.push(officeHours(studentId, `f-${m}-${(i % 2) + 1}`, dayOf(i)))
  const background: Array<Json> = [facultyJoined(`f-${m}-1`), facultyJoined(`f-${m}-2`, "Surgery")]
  for (const [i, other] of others.entries()) {
    background.push(enrolled(other))
    for (let j = 0; j < 8; j += 1) background.push(officeHours(other, `f-${m}-${((i + j) % 2) + 1}`, dayOf(i * 8 + j)))
  }
  const all = [...background.slice(0, 900), ...history, ...background.slice(900)]
  let position = ""
  for (let start = 0; start < all.length; start += 500) {
    const posted = await postEvents(server.url, keys.writer, all.slice(start, start + 500))
    expect(posted.status, JSON.stringify(posted.body)).toBe(200)
    position = String((posted.body as { position: string }).position)
  }

  const put = await request(`${server.url}/v1/directory/students/${studentId}`, keys.admin, {
    method: "PUT",
    body: JSON.stringify({ displayName, email }),
    contentType: "application/json"
  })
  expect(put.status).toBe(201)
  const page = await readConsistent(`${server.url}/v1/students/${studentId}?waitFor=${position}`, keys.dean)
  expect(page.status, JSON.stringify(page.body)).toBe(200)
  expect(JSON.stringify(page.body)).toContain(displayName)
  const past = await request(`${server.url}/v1/students/${studentId}?asOf=2026-05-01`, keys.dean)
  expect(past.status).toBe(200)
  const audit = await request(`${server.url}/v1/audit?studentId=${studentId}`, keys.admin)
  expect((audit.body as { entries: Array<unknown> }).entries).toHaveLength(2)

  const needles: Record<string, string> = { studentId, displayName, email, letterId }
  for (const [i, e] of history.entries()) needles[`event ${i} (${String(e.type)})`] = String(e.id)
  // The search must be able to find what it looks for: everything is there before the erasure.
  const before = await traces(db, needles)
  for (const what of ["studentId", "displayName", "email", "letterId"]) {
    expect(
      before.some((t) => t.startsWith(`${what} in `)),
      what
    ).toBe(true)
  }

  const erasure = await postEvents(server.url, keys.writer, [
    event("StudentErasureRequested", "2026-11-01T12:00:00Z", { studentId }, "registrar")
  ])
  expect(erasure.status).toBe(200)
  return { school, studentId, needles, keys, server }
}

/** Waits until nothing of the student is left in any table (the projector finished the erasure). */
export const erased = async (db: string, needles: Record<string, string>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs
  let left = await traces(db, needles)
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 250))
    left = await traces(db, needles)
  }
  return left
}

/** What the API shows after the erasure: no page, no id in the audit log (the views stay, blanked). */
export const checkApiAfterErasure = async (scenario: Scenario) => {
  const { server, keys, studentId } = scenario
  expect((await request(`${server.url}/v1/students/${studentId}`, keys.dean)).status).toBe(404)
  const audit = await request(`${server.url}/v1/audit`, keys.admin)
  const entries = (audit.body as { entries: Array<{ studentId: string }> }).entries
  expect(entries.filter((e) => e.studentId === "(erased)")).toHaveLength(2)
  expect(JSON.stringify(audit.body)).not.toContain(studentId)
  const students = await request(`${server.url}/v1/dashboard/students?pageSize=200`, keys.dean)
  expect(students.status).toBe(200)
  expect(JSON.stringify(students.body)).not.toContain(studentId)
}
