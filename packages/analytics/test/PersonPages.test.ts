import {
  type Event,
  Faculty,
  RuleEngine,
  Letter,
  Pair,
  RuleContext,
  BuiltinRules,
  SchoolFold,
  Student
} from "@rapport/core"
import { ExpectedState } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { beforeAll, describe, expect, it } from "vitest"
import * as PersonPages from "../src/PersonPages.js"
import { asOfInstant } from "../src/PersonPages.js"
import * as Streams from "../src/Streams.js"
import type * as Views from "../src/Views.js"
import {
  config,
  defaultNow,
  type Projected,
  rounded,
  schoolId,
  simulatedSchool,
  storedEvents,
  timeZone
} from "./harness.js"
import { event, officeHours } from "./people.js"

const folds = new WeakMap<ReadonlyArray<Event.RapportEvent>, Map<string, SchoolFold.SchoolFold["state"]>>()

/** Core's page of a student as of an instant: every school event that occurred by then (corrections always). */
const coreAt = (events: ReadonlyArray<Event.RapportEvent>, studentId: string, asOf: string) => {
  const visible = events.filter(
    (e) => e.type === "EventRetracted" || e.type === "StudentErasureRequested" || e.occurredAt <= asOf
  )
  const cache = folds.get(events) ?? new Map<string, SchoolFold.SchoolFold["state"]>()
  folds.set(events, cache)
  const state = cache.get(asOf) ?? SchoolFold.fromEvents(visible, config)
  cache.set(asOf, state)
  const summary = Student.summarize(state, studentId, asOf)
  const context = RuleContext.fromState(state, asOf)
  const followUps = RuleEngine.evaluateStudent(BuiltinRules.all, visible, studentId, asOf, context)
  return { state, summary, followUps }
}

const expectPageToMatchCore = (
  page: Views.StudentPage | undefined,
  events: ReadonlyArray<Event.RapportEvent>,
  studentId: string,
  asOf: string
) => {
  const { state, summary, followUps } = coreAt(events, studentId, asOf)
  if (page === undefined || summary === undefined) throw new Error(`no page for ${studentId} at ${asOf}`)
  const where = `${studentId} as of ${asOf}`
  expect(page.meta.asOf).toBe(asOf)
  expect(page.status).toBe(summary.status)
  expect(page.graduationYear).toBe(summary.graduationYear ?? null)
  expect(page.summary, where).toEqual({
    relationships: {
      acquainted: summary.tiers.acquainted,
      developing: summary.tiers.developing,
      strong: summary.tiers.strong,
      advocate: summary.tiers.advocate
    },
    advocatesInSpecialty: summary.advocatesInSpecialty.length,
    advocatesOutOfSpecialty: summary.advocatesOutOfSpecialty.length,
    departmentsReached: summary.departmentsReached.length,
    proactivity: summary.proactivity ?? null,
    isolated: summary.isolated,
    stage: summary.stage ?? null,
    daysSinceLastContact: summary.daysSinceLastContact ?? null,
    noRecentContact: summary.noRecentContact,
    noRecentMentoring: summary.noRecentMentoring,
    letterReadiness: {
      ready: summary.readiness.ready,
      basis: summary.readiness.basis,
      count: summary.readiness.count,
      inSpecialty: summary.readiness.inSpecialty,
      needed: summary.readiness.needed,
      inSpecialtyNeeded: summary.readiness.inSpecialtyNeeded
    }
  })
  expect(
    rounded(
      page.relationships.map((r) => ({
        facultyId: r.facultyId,
        score: r.score,
        tier: r.tier,
        department: r.department,
        points: r.explanation.topContributions.map((c) => c.points),
        sentence: r.explanation.sentence
      }))
    ),
    where
  ).toEqual(
    rounded(
      summary.relationships.map((r) => ({
        facultyId: r.facultyId,
        score: r.score,
        tier: r.tier,
        department: state.faculty.get(r.facultyId)?.department ?? null,
        points: r.explanation.topContributions.map((c) => c.points),
        sentence: r.explanation.sentence
      }))
    )
  )
  expect(page.letters.map((l) => [l.letterId, l.state]).sort(), where).toEqual(
    summary.letters.map((l) => [l.letterId, l.stage]).sort()
  )
  expect(page.followUps.map((f) => `${f.id} ${f.state} ${f.dueOn}`).sort(), where).toEqual(
    followUps.map((f) => `${f.id} ${f.state} ${f.dueOn}`).sort()
  )
  const retracted = new Set(events.flatMap((e) => (e.type === "EventRetracted" ? [e.data.eventId] : [])))
  const timeline = events.filter(
    (e) =>
      e.occurredAt <= asOf &&
      e.type !== "SupportCheckInHeld" &&
      e.type !== "EventRetracted" &&
      RuleEngine.studentIdOf(e) === studentId &&
      !retracted.has(e.id)
  )
  expect(page.timeline.map((t) => t.eventId).sort(), where).toEqual(timeline.map((e) => e.id).sort())
}

const expectFacultyPageToMatchCore = (
  page: Views.FacultyPage | undefined,
  events: ReadonlyArray<Event.RapportEvent>,
  facultyId: string,
  asOf: string
) => {
  const { state } = coreAt(events, "", asOf)
  const summary = Faculty.summarize(state, facultyId, asOf)
  if (page === undefined || summary === undefined) throw new Error(`no page for ${facultyId} at ${asOf}`)
  const where = `${facultyId} as of ${asOf}`
  const { none: _none, ...mentees } = summary.mentees
  expect(page.mentees, where).toEqual(mentees)
  expect(page.load.activeMentoringPairs, where).toBe(summary.activeMentoringPairs)
  // peers are compared only for a page as of now (the read models hold loads now)
  const now = asOf === defaultNow.toISOString()
  expect(page.load.peerMedian, where).toBe(now ? summary.load.peerMedian : null)
  const ratio = now ? summary.load.ratioToMedian : undefined
  if (ratio === undefined) expect(page.load.ratio, where).toBeNull()
  else expect(page.load.ratio ?? Number.NaN, where).toBeCloseTo(ratio, 12)
  expect(page.department).toBe(summary.department ?? null)
  const pairs = [...(state.faculty.get(facultyId)?.students.values() ?? [])].filter((p) => p.interactions > 0)
  const byStudent = (a: { studentId: string }, b: { studentId: string }) => (a.studentId < b.studentId ? -1 : 1)
  expect(
    rounded(page.relationships.map((r) => ({ studentId: r.studentId, tier: r.tier, score: r.score })).sort(byStudent)),
    where
  ).toEqual(
    rounded(
      pairs
        .map((p) => Pair.relationshipScore(p, asOf, state))
        .map((r) => ({ studentId: r.studentId, tier: r.tier, score: r.score }))
        .sort(byStudent)
    )
  )
  expect(page.letters.map((l) => `${l.letterId} ${l.state}`).sort(), where).toEqual(
    pairs
      .flatMap((p) => Letter.letters(p))
      .map((l) => `${l.letterId} ${l.stage}`)
      .sort()
  )
}

describe("a student's page as of a date is core's summary of the events that occurred by then", () => {
  let school: Projected
  let events: ReadonlyArray<Event.RapportEvent>
  let students: ReadonlyArray<string>

  beforeAll(async () => {
    school = await simulatedSchool(19)
    events = await storedEvents(school.store)
    const counts = new Map<string, number>()
    for (const e of events) {
      const id = RuleEngine.studentIdOf(e)
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    students = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id)
  }, 60_000)

  const page = (studentId: string, asOf?: string) =>
    Effect.runPromise(school.dashboard().studentPage(schoolId, studentId, asOf))

  it("now, at past instants and at the end of past days (school time zone)", async () => {
    const dates = ["2025-10-01", "2026-01-15T12:00:00Z", "2026-04-30", "2026-08-31T23:59:59.999Z"]
    for (const studentId of students.slice(0, 8)) {
      expectPageToMatchCore(await page(studentId), events, studentId, defaultNow.toISOString())
      for (const date of dates) {
        const asOf = asOfInstant(date, defaultNow, timeZone)
        expectPageToMatchCore(await page(studentId, date), events, studentId, asOf)
      }
    }
    expect(asOfInstant("2026-01-15", defaultNow, timeZone)).toBe("2026-01-16T04:59:59.999Z")
    const faculty = [...new Set(events.flatMap((e) => ("facultyId" in e.data ? [e.data.facultyId] : [])))].sort()
    for (const facultyId of faculty.slice(0, 4)) {
      const facultyPage = (asOf?: string) =>
        Effect.runPromise(school.dashboard().facultyPage(schoolId, facultyId, asOf))
      expectFacultyPageToMatchCore(await facultyPage(), events, facultyId, defaultNow.toISOString())
      const asOf = asOfInstant("2026-04-30", defaultNow, timeZone)
      expectFacultyPageToMatchCore(await facultyPage("2026-04-30"), events, facultyId, asOf)
    }
    expect(await page("s-nobody")).toBeUndefined()
  })

  it("an event that arrived late is on the page as of a date after it occurred, and not before", async () => {
    const studentId = students[1] ?? ""
    const facultyId = "f-late-visitor"
    const late = officeHours(studentId, facultyId, "2026-02-10T15:00:00Z")
    await Effect.runPromise(
      school.store.append({ stream: Streams.student(schoolId, studentId), expected: ExpectedState.any, events: [late] })
    )
    const all = [...events, late]
    const after = await page(studentId, "2026-03-01")
    expect(after?.relationships.map((r) => r.facultyId)).toContain(facultyId)
    expect(after?.timeline.map((t) => t.eventId)).toContain(late.id)
    expectPageToMatchCore(after, all, studentId, asOfInstant("2026-03-01", defaultNow, timeZone))
    const before = await page(studentId, "2026-02-09")
    expect(before?.relationships.map((r) => r.facultyId)).not.toContain(facultyId)
    expect(before?.timeline.map((t) => t.eventId)).not.toContain(late.id)
    expectPageToMatchCore(before, all, studentId, asOfInstant("2026-02-09", defaultNow, timeZone))
  })

  it("a retracted event leaves the page and the timeline; support check-ins never show", async () => {
    const studentId = students[2] ?? ""
    const target = events.find(
      (e): e is Event.EventOf<"MentorshipMeetingHeld"> =>
        RuleEngine.studentIdOf(e) === studentId && e.type === "MentorshipMeetingHeld"
    )
    if (target === undefined) throw new Error("the student has no mentorship meeting")
    const support = event({
      type: "SupportCheckInHeld",
      occurredAt: "2026-05-05T15:00:00Z",
      data: { studentId, facultyId: "f-support-only", kind: "encouragement" }
    })
    const retraction = event({
      type: "EventRetracted",
      occurredAt: "2026-09-01T12:00:00Z",
      data: { eventId: target.id, reason: "entered for the wrong student" }
    })
    await Effect.runPromise(
      school.store.appendMany([
        { stream: Streams.student(schoolId, studentId), expected: ExpectedState.any, events: [support] },
        { stream: Streams.streamFor(schoolId, retraction), expected: ExpectedState.any, events: [retraction] }
      ])
    )
    const all = [...events, support, retraction]
    for (const asOf of [undefined, "2026-08-01"]) {
      const shown = await page(studentId, asOf)
      expect(shown?.timeline.map((t) => t.eventId)).not.toContain(target.id)
      expect(shown?.timeline.some((t) => t.type === "SupportCheckInHeld")).toBe(false)
      expect(shown?.relationships.map((r) => r.facultyId)).not.toContain("f-support-only")
      expect(JSON.stringify(shown)).not.toContain("SupportCheckIn")
      expectPageToMatchCore(shown, all, studentId, asOfInstant(asOf, defaultNow, timeZone))
      const facultyPage = await Effect.runPromise(school.dashboard().facultyPage(schoolId, target.data.facultyId, asOf))
      expect(facultyPage?.relationships.some((r) => r.studentId === "f-support-only")).toBe(false)
      expectFacultyPageToMatchCore(facultyPage, all, target.data.facultyId, asOfInstant(asOf, defaultNow, timeZone))
    }
  })
})

describe("giveWay", () => {
  it("hands out one turn per iteration of the event loop: what else waits runs between two reads", async () => {
    const order: Array<string> = []
    const turns = [1, 2, 3].map((n) => Effect.runPromise(PersonPages.giveWay).then(() => order.push(`turn ${n}`)))
    // queued after the three waits: with one immediate per wait, it would run after all three
    setImmediate(() => order.push("other"))
    await Promise.all(turns)
    expect(order).toEqual(["turn 1", "other", "turn 2", "turn 3"])
  })
})
