/**
 * Random small schools for the complementary-suppression tests: classes of a few students
 * beside larger ones, students without a graduation year (known only from contact), some
 * who left, a handful of specialties, departments, support check-ins, and the events that
 * make follow-up rules fire (rotations, mentors, research roles, letter requests) and
 * nudges. Each school runs in the whole server (`Server.assemble`), its events posted
 * through `POST /v1/events`, with the threshold of the case.
 */
import { Projector, SchoolSettings, Sql } from "@rapport/analytics"
import { InMemoryEventStore } from "@rapport/event-store"
import fc from "fast-check"
import * as ControlStore from "../src/control/ControlStore.js"
import * as ErasureGuard from "../src/erasure/ErasureGuard.js"
import * as ErasureRegistry from "../src/erasure/ErasureRegistry.js"
import * as PositionToken from "../src/http/PositionToken.js"
import * as Reapply from "../src/erasure/Reapply.js"
import type { Installation } from "../src/Installation.js"
import * as Server from "../src/Server.js"
import { promised } from "./control.js"
import { testConfig } from "./world.js"

export const school = "school-disclosure"
export const now = new Date("2026-11-01T12:00:00Z")
export const checkInMonths = ["2026-07", "2026-08", "2026-09", "2026-10"] as const
export const specialties = ["Surgery", "Pediatrics", "Psychiatry", "Radiology", "Neurology"] as const
export const departments = ["Medicine", "Surgery", "Pediatrics", "Anatomy"] as const
export const nudgeRules = ["thank-you", "mentor-cadence", "stay-in-touch", "letter-pipeline"] as const

export interface StudentSpec {
  /** a graduation year, or null: known only from contact (no enrolment) */
  readonly year: number | null
  readonly status: "active" | "graduated" | "withdrawn"
  readonly specialty: (typeof specialties)[number] | null
  readonly checkIns: ReadonlyArray<(typeof checkInMonths)[number]>
  readonly rotation: boolean
  readonly mentor: boolean
  readonly research: boolean
  readonly letter: boolean
  readonly nudge: (typeof nudgeRules)[number] | null
}

export interface SchoolSpec {
  readonly threshold: number
  readonly students: ReadonlyArray<StudentSpec>
  /** the department of each faculty member */
  readonly faculty: ReadonlyArray<(typeof departments)[number]>
}

/** A class size is drawn from "a few" or "about the threshold or more", so both kinds meet. */
const studentArbitrary = (years: ReadonlyArray<number | null>): fc.Arbitrary<StudentSpec> =>
  fc.record({
    year: fc.constantFrom(...years),
    status: fc.constantFrom("active", "active", "active", "graduated", "withdrawn"),
    specialty: fc.option(fc.constantFrom(...specialties), { freq: 3 }),
    checkIns: fc.subarray([...checkInMonths]),
    rotation: fc.boolean(),
    mentor: fc.boolean(),
    research: fc.boolean(),
    letter: fc.boolean(),
    nudge: fc.option(fc.constantFrom(...nudgeRules), { freq: 2 })
  })

export const schoolArbitrary: fc.Arbitrary<SchoolSpec> = fc
  .record({
    threshold: fc.constantFrom(3, 4, 5, 10),
    // weights: a year may be rare (a small class) or common; null is a student without a year
    years: fc.subarray([2027, 2027, 2027, 2028, 2028, 2029, 2030, null], { minLength: 1 }),
    count: fc.integer({ min: 1, max: 45 }),
    faculty: fc.array(fc.constantFrom(...departments), { minLength: 1, maxLength: 24 })
  })
  .chain(({ threshold, years, count, faculty }) =>
    fc
      .array(studentArbitrary(years), { minLength: count, maxLength: count })
      .map((students) => ({ threshold, students, faculty }))
  )

/** A student of the spec with nothing but an enrolment and one visit. */
export const plainStudent = (year: number | null, overrides: Partial<StudentSpec> = {}): StudentSpec => ({
  year,
  status: "active",
  specialty: null,
  checkIns: [],
  rotation: false,
  mentor: false,
  research: false,
  letter: false,
  nudge: null,
  ...overrides
})

export const studentId = (index: number): string => `dis-stu-${String(index).padStart(3, "0")}`
export const facultyId = (index: number): string => `dis-fac-${String(index).padStart(3, "0")}`

/** The events of a school, in the order a feed would send them. */
export const schoolEvents = (spec: SchoolSpec): ReadonlyArray<Record<string, unknown>> => {
  const events: Array<Record<string, unknown>> = []
  const add = (type: string, occurredAt: string, data: Record<string, unknown>, v = 1) =>
    events.push({
      id: `dddddddd-0000-7000-8000-${events.length.toString(16).padStart(12, "0")}`,
      type,
      v,
      occurredAt,
      source: "disclosure-feed",
      data
    })
  spec.faculty.forEach((department, i) => {
    add("FacultyJoined", "2025-01-02T12:00:00Z", { facultyId: facultyId(i), department })
  })
  spec.students.forEach((student, i) => {
    const id = studentId(i)
    const mentor = facultyId(i % spec.faculty.length)
    if (student.year !== null)
      add("StudentEnrolled", "2025-01-03T12:00:00Z", { studentId: id, graduationYear: student.year, program: "MD" })
    if (student.specialty !== null)
      add("SpecialtyDeclared", "2026-02-01T12:00:00Z", { studentId: id, specialty: student.specialty })
    add("OfficeHoursVisited", `2026-0${3 + (i % 6)}-10T15:00:00Z`, {
      studentId: id,
      facultyId: mentor,
      durationMinutes: 20,
      topic: "career",
      initiatedBy: "student"
    })
    for (const month of student.checkIns)
      add("SupportCheckInHeld", `${month}-12T15:00:00Z`, { studentId: id, facultyId: mentor, kind: "wellbeing" })
    if (student.rotation)
      add("RotationCompleted", "2026-10-20T17:00:00Z", {
        studentId: id,
        facultyIds: [mentor],
        rotationId: `rot-${i}`,
        specialty: "Surgery",
        startedOn: "2026-09-21",
        endedOn: "2026-10-16"
      })
    if (student.mentor)
      add("MentorAssigned", "2026-05-01T12:00:00Z", { studentId: id, facultyId: mentor, program: "advisory" }, 2)
    if (student.research)
      add("ResearchRoleStarted", "2026-08-01T12:00:00Z", {
        studentId: id,
        facultyId: mentor,
        projectId: `proj-${i}`,
        role: "assistant"
      })
    if (student.letter)
      add("LetterRequested", "2026-07-01T12:00:00Z", {
        studentId: id,
        facultyId: mentor,
        letterId: `letter-${i}`,
        cycle: student.year ?? 2027,
        specialty: student.specialty ?? "Surgery"
      })
    if (student.nudge !== null)
      add("NudgeSent", "2026-10-05T08:00:00Z", {
        studentId: id,
        followUpId: `${student.nudge}:${id}`,
        ruleId: student.nudge,
        channel: "email"
      })
    if (student.status !== "active")
      add("StudentStatusChanged", "2026-06-30T12:00:00Z", { studentId: id, status: student.status })
  })
  return events
}

export interface RunningSchool {
  readonly app: ReturnType<typeof Server.assemble>["app"]
  readonly keys: { readonly aggregates: string; readonly dean: string }
  readonly close: () => Promise<void>
}

/**
 * The whole server over an in-memory event store and `readModels`, the school posted and
 * projected, with `extra` events after the school's own.
 */
export const run = async (
  spec: SchoolSpec,
  readModels: Sql.SqlDatabase,
  control: Sql.SqlDatabase,
  extra: ReadonlyArray<Record<string, unknown>> = []
) => {
  const controlStore = await ControlStore.make(control)
  const keyOf = async (scope: "events:write" | "aggregates:read" | "dashboards:read") =>
    (await promised(controlStore).createKey({ school, name: `disclosure-${scope}`, scopes: [scope], now })).key
  const writer = await keyOf("events:write")
  const keys = { aggregates: await keyOf("aggregates:read"), dean: await keyOf("dashboards:read") }
  const rawStore = InMemoryEventStore.make()
  // as Installation.open does: every append passes the erasure guard
  const erasures = await ErasureRegistry.make(Sql.openSqlite(":memory:"), await promised(controlStore).erasureKey())
  const store = ErasureGuard.guard(rawStore, erasures)
  const config = testConfig({ suppressionThreshold: spec.threshold })
  const projector = Projector.make({
    store: rawStore,
    db: readModels,
    schools: SchoolSettings.inZone("UTC"),
    now: () => now
  })
  const installation: Installation = {
    config,
    store,
    readModels,
    control: controlStore,
    erasures,
    reapplied: Reapply.none,
    positions: PositionToken.ephemeral(),
    close: async () => undefined
  }
  const { app } = Server.assemble(installation, { log: () => undefined, now: () => now, projector })
  const events = [...schoolEvents(spec), ...extra]
  for (let start = 0; start < events.length; start += 500) {
    const response = await app.request("/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${writer}`, "content-type": "application/json" },
      body: JSON.stringify(events.slice(start, start + 500))
    })
    if (response.status !== 200) throw new Error(`POST /v1/events: ${response.status} ${await response.text()}`)
  }
  await projector.catchUp()
  return { app, keys, close: async () => undefined } satisfies RunningSchool
}
