import { Calendar, type Event, FollowUp, RuleEngine, School } from "@rapport/core"
import { ExpectedState, type RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { beforeAll, describe, expect, it } from "vitest"
import * as Clock from "../src/Clock.js"
import * as Streams from "../src/Streams.js"
import { event } from "./people.js"
import { coverageOf, followUpsOf, lettersOf, monthlyOf, type SchoolState, studentFacts } from "./expected.js"
import {
  config,
  coreState,
  coreStateOf,
  decodeAll,
  defaultNow,
  type Projected,
  recordedEvents,
  schoolId,
  simulatedSchool,
  storedEvents,
  timeZone,
  value
} from "./harness.js"

const asOf = defaultNow.toISOString()
const clock = Clock.at(defaultNow, timeZone)

const points = (months: ReadonlyArray<School.MonthlyCounts>) =>
  months.map((m) => ({
    month: m.month,
    interactions: m.interactions,
    pairsWithContact: m.pairsWithContact,
    studentsWithContact: m.studentsWithContact
  }))

describe.each([
  ["tiny", 7],
  ["small", 3]
] as const)("the school views of a %s simulated school agree with core", (size, seed) => {
  let school: Projected
  let state: SchoolState
  let events: ReadonlyArray<Event.RapportEvent>
  let recorded: ReadonlyArray<RecordedEvent>
  let summary: School.SchoolSummary

  beforeAll(async () => {
    school = await simulatedSchool(seed, size)
    recorded = await recordedEvents(school.store)
    events = decodeAll(recorded)
    state = coreStateOf(events)
    summary = School.summarize(state, asOf)
  }, 120_000)

  it("overview: active students, strong relationships, isolation, next cycle, follow-ups, last 12 months", async () => {
    const view = await school.dashboard().overview(schoolId, "individual")
    expect(summary.students.activeStudents).toBeGreaterThan(10)
    expect(value(view.activeStudents)).toBe(summary.students.activeStudents)
    expect(value(view.withStrongRelationship)).toBe(summary.students.withStrong)
    expect(value(view.withStrongRelationshipShare)).toBeCloseTo(summary.students.withStrongShare, 12)
    expect(value(view.isolated)).toBe(summary.students.isolated)
    expect(value(view.isolatedShare)).toBeCloseTo(summary.students.isolatedShare, 12)
    // The simulated school has both kinds, or these checks would prove little.
    expect(summary.students.isolated).toBeGreaterThan(0)
    expect(summary.students.withStrong).toBeGreaterThan(0)

    // Isolation by stage, and years 2–4 without recent mentoring, as core's summaries say.
    const facts = [...state.students.values()]
      .map((s) => studentFacts(state, s, defaultNow.getTime()))
      .filter((s) => s.active)
    expect(view.isolatedByStage.map((row) => row.stage)).toEqual(["new", "pre-clinical", "clinical", "applying"])
    for (const row of view.isolatedByStage) {
      const inStage = facts.filter((s) => s.stage === row.stage)
      expect(value(row.students), row.stage).toBe(inStage.length)
      expect(value(row.isolated), row.stage).toBe(inStage.filter((s) => s.isolated).length)
    }
    expect(value(view.isolatedByStage[0]?.isolated ?? 1)).toBe(0)
    const isolatedWithStage = view.isolatedByStage.reduce((sum, row) => sum + value(row.isolated), 0)
    expect(isolatedWithStage).toBe(facts.filter((s) => s.isolated && s.stage !== null).length)
    expect(value(view.noRecentMentoring.students)).toBe(facts.filter((s) => s.yearTwoOrLater).length)
    expect(value(view.noRecentMentoring.withoutMentoring)).toBe(facts.filter((s) => s.noRecentMentoring).length)
    expect(value(view.noRecentMentoring.students)).toBeGreaterThan(value(view.noRecentMentoring.withoutMentoring))
    expect(view.noRecentMentoring.gapDays).toBe(config.mentoringGapDays)

    expect(view.nextCycle.cycle).toBe(clock.nextCycle)
    const cohort = summary.letterReadiness.find((row) => row.cycle === clock.nextCycle)
    expect(value(view.nextCycle.students)).toBe(cohort?.activeStudents ?? 0)
    expect(value(view.nextCycle.ready)).toBe(cohort?.ready ?? 0)
    expect(view.nextCycle.requiredAdvocates).toBe(config.letters.advocatesNeeded)

    const { followUps } = followUpsOf(events, state, asOf)
    expect(value(view.followUps.due)).toBe(followUps.filter((f) => f.state === "due").length)
    expect(value(view.followUps.overdue)).toBe(followUps.filter((f) => f.state === "overdue").length)

    const from = Clock.monthsBefore(clock.month, 11)
    expect(view.trends).toEqual(points(summary.monthly.filter((m) => m.month >= from)))
  })

  it("trends: every month, each graduation year, and support check-ins (sensitive)", async () => {
    const view = await school.dashboard().trends(schoolId, "individual", { from: "2000-01" })
    expect(view.months).toEqual(points(summary.monthly))
    expect(view.months.length).toBeGreaterThan(10)
    const years = [...new Set([...state.students.values()].flatMap((s) => s.graduationYear ?? []))].sort()
    expect(view.byGraduationYear.map((y) => y.graduationYear)).toEqual(years)
    for (const year of view.byGraduationYear) {
      const ofYear = monthlyOf(events, asOf, (id) => state.students.get(id)?.graduationYear === year.graduationYear)
      expect(year.months, `graduation year ${year.graduationYear}`).toEqual(points(ofYear))
    }
    const filtered = await school.dashboard().trends(schoolId, "individual", { from: "2000-01", graduationYear: 2028 })
    const of2028 = monthlyOf(events, asOf, (id) => state.students.get(id)?.graduationYear === 2028)
    expect(filtered.months).toEqual(points(of2028))

    const calendar = Calendar.make(timeZone)
    const withSupport = summary.monthly.filter((m) => m.supportCheckIns > 0)
    expect(withSupport.length).toBeGreaterThan(0)
    expect(view.supportCheckIns.map((m) => m.month)).toEqual(summary.monthly.map((m) => m.month))
    for (const month of summary.monthly) {
      const key = calendar.monthOf(Date.parse(`${month.month}-15T12:00:00Z`))
      const students = [...state.students.values()].filter((s) => (s.supportMonths.get(key) ?? 0) > 0).length
      const cell = view.supportCheckIns.find((m) => m.month === month.month)?.checkIns
      expect(cell, month.month).toEqual(
        students < 10 ? { suppressed: true, reason: "sensitive", threshold: 10 } : month.supportCheckIns
      )
    }
  })

  it("letters: readiness and letters per cycle and specialty", async () => {
    const view = await school.dashboard().letters(schoolId, "individual", {})
    expect(view.cycles.map((c) => c.cycle)).toEqual([clock.nextCycle - 1, clock.nextCycle, clock.nextCycle + 1])
    let letters = 0
    for (const cycle of view.cycles) {
      const expected = lettersOf(state, cycle.cycle, defaultNow.getTime())
      expect(cycle.specialties.map((s) => s.specialty)).toEqual([...expected.keys()].sort())
      for (const row of cycle.specialties) {
        const { specialty, ...cells } = row
        expect(cells, `${cycle.cycle} ${specialty}`).toEqual(expected.get(specialty))
        letters += value(row.lettersRequested)
      }
      // The per-specialty rows add up to core's school-wide readiness of the cycle.
      const whole = summary.letterReadiness.find((r) => r.cycle === cycle.cycle)
      expect(cycle.specialties.reduce((n, s) => n + value(s.students), 0)).toBe(whole?.activeStudents ?? 0)
      expect(cycle.specialties.reduce((n, s) => n + value(s.ready), 0)).toBe(whole?.ready ?? 0)
      expect(cycle.seasonOpensOn).toBe(`${cycle.cycle - 1}-06-01`)
    }
    expect(letters).toBeGreaterThan(0)
    const one = await school
      .dashboard()
      .letters(schoolId, "individual", { cycle: clock.nextCycle, specialty: "x-none" })
    expect(one.cycles).toHaveLength(1)
    expect(one.cycles[0]?.specialties).toEqual([])
  })

  it("follow-ups: due, overdue and done by rule, every row, and nudge outcomes", async () => {
    const { followUps, byRule, nudges } = followUpsOf(events, state, asOf)
    expect(followUps.length).toBeGreaterThan(0)
    const view = await school.dashboard().followUps(schoolId, "individual", { pageSize: 200, window: "all" })
    expect(view.byRule.map((r) => r.ruleId)).toEqual([...byRule.keys()].sort())
    for (const row of view.byRule) {
      const counts = byRule.get(row.ruleId)
      expect({ due: row.due, overdue: row.overdue, done: row.done, expired: row.expired }, row.ruleId).toEqual(counts)
    }
    expect(view.total).toBe(followUps.length)
    const rows: Array<{ id: string }> = []
    for (let page = 1; page <= Math.ceil(view.total / 200); page++) {
      const next = await school.dashboard().followUps(schoolId, "individual", { page, pageSize: 200, window: "all" })
      rows.push(...next.rows)
    }
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1)
    expect(rows.length).toBe(followUps.length)
    expect([...rows].sort(byId)).toEqual(
      [...followUps].sort(byId).map((f) => ({
        id: f.id,
        ruleId: f.ruleId,
        state: f.state,
        dueOn: f.dueOn,
        studentId: f.studentId,
        facultyIds: [...f.facultyIds],
        sentence: f.sentence,
        expiresOn: f.expiresOn,
        priority: f.priority
      }))
    )
    for (const state of ["due", "overdue", "done", "expired"] as const) {
      const filtered = await school.dashboard().followUps(schoolId, "individual", { state, pageSize: 1, window: "all" })
      expect(filtered.total, state).toBe(followUps.filter((f) => f.state === state).length)
    }
    // By default: what is newly due or coming due, still open, the most important first.
    const current = await school.dashboard().followUps(schoolId, "individual", { pageSize: 200 })
    const expected = followUps
      .filter((f) => FollowUp.isCurrent(f, clock.today))
      .sort(FollowUp.compareImportance)
      .slice(0, 200)
    expect(current.window).toBe("current")
    expect(current.rows.map((f) => f.id)).toEqual(expected.map((f) => f.id))
    // each student's most important open follow-ups, as core's topFew
    const top = await school
      .dashboard()
      .followUps(schoolId, "individual", { window: "all", perStudent: 2, pageSize: 200 })
    const topFew = RuleEngine.topFew(followUps, 2)
    expect(top.total).toBe(topFew.length)
    expect(top.rows.map((f) => f.id)).toEqual(topFew.slice(0, 200).map((f) => f.id))
    expect(
      view.nudges.map((n) => ({
        ruleId: n.ruleId,
        sent: n.sent,
        followedByContact: n.followedByContact,
        share: n.share,
        medianDaysToContact: n.medianDaysToContact
      }))
    ).toEqual(
      nudges.map((n) => ({
        ruleId: n.ruleId,
        sent: n.sent,
        followedByContact: n.followedByContact,
        share: n.share ?? 0,
        medianDaysToContact: n.medianDaysToContact ?? null
      }))
    )
  })

  it("coverage: events per source and per rotation specialty and month, last occurred and received, days silent", async () => {
    const view = await school.dashboard().coverage(schoolId, "individual")
    expect(view.sources).toEqual(coverageOf(recorded, clock))
    expect(view.sources.reduce((n, s) => n + s.events, 0)).toBe(recorded.length)
    expect(view.specialties.length).toBeGreaterThan(0)
    expect(view.specialties).toEqual(coverageOf(recorded, clock, "specialty"))
    for (const row of [...view.sources, ...view.specialties]) expect(row.daysSilent).toBeGreaterThanOrEqual(0)
    expect(view.sources.some((row) => row.longestGapDays !== null)).toBe(true)
  })
})

describe("events that arrive after the first projection", () => {
  let school: Projected
  beforeAll(async () => {
    school = await simulatedSchool(5)
  }, 60_000)

  it("a thank-you note settles its follow-up as soon as the projector has caught up", async () => {
    const overdue = await school.dashboard().followUps(schoolId, "individual", { state: "overdue", pageSize: 200 })
    const open = overdue.rows.find((f) => f.ruleId === "thank-you")
    const facultyId = open?.facultyIds[0]
    if (open === undefined || facultyId === undefined) throw new Error("no overdue thank-you in the simulated school")
    const note = event({
      type: "FollowUpSent",
      occurredAt: new Date(defaultNow.getTime() - 86_400_000).toISOString(),
      data: { studentId: open.studentId, facultyId, kind: "thank-you", channel: "email" }
    })
    await Effect.runPromise(
      school.store.append({
        stream: Streams.student(schoolId, open.studentId),
        expected: ExpectedState.any,
        events: [note]
      })
    )
    await school.projector.catchUp()
    const view = await school
      .dashboard()
      .followUps(schoolId, "individual", { studentId: open.studentId, pageSize: 200, window: "all" })
    expect(view.rows.find((f) => f.id === open.id)?.state).toBe("done")
    const events = await storedEvents(school.store)
    const { followUps } = followUpsOf(events, await coreState(school.store), asOf)
    const own = followUps.filter((f) => f.studentId === open.studentId)
    expect(view.rows.map((f) => `${f.id} ${f.state}`).sort()).toEqual(own.map((f) => `${f.id} ${f.state}`).sort())
  })

  it("a late event lands in the month it occurred, not the month it arrived", async () => {
    const before = await school.dashboard().trends(schoolId, "individual", { from: "2000-01" })
    const state = await coreState(school.store)
    const student = [...state.students.values()].find((s) => s.pairs.size > 0)
    const facultyId = student === undefined ? undefined : [...student.pairs.keys()][0]
    if (student === undefined || facultyId === undefined) throw new Error("no pair in the simulated school")
    const late = {
      id: "0193a1c4-5e2b-7c1d-9f00-000000000001",
      type: "OfficeHoursVisited",
      v: 1,
      occurredAt: "2026-01-20T15:00:00Z",
      source: "late-system",
      data: { studentId: student.studentId, facultyId, durationMinutes: 20, topic: "career", initiatedBy: "student" }
    } as const
    await Effect.runPromise(
      school.store.append({
        stream: Streams.student(schoolId, student.studentId),
        expected: ExpectedState.any,
        events: [late]
      })
    )
    await school.projector.catchUp()
    const after = await school.dashboard().trends(schoolId, "individual", { from: "2000-01" })
    const month = (view: typeof before, m: string) => view.months.find((p) => p.month === m)
    const january = month(before, "2026-01")
    const key = Calendar.make(timeZone).monthOf(Date.parse(late.occurredAt))
    const pairHadContact = student.pairs.get(facultyId)?.months.has(key) === true
    const studentHadContact = (student.months.get(key) ?? 0) > 0
    expect(month(after, "2026-01")).toEqual({
      month: "2026-01",
      interactions: value(january?.interactions ?? 0) + 1,
      pairsWithContact: value(january?.pairsWithContact ?? 0) + (pairHadContact ? 0 : 1),
      studentsWithContact: value(january?.studentsWithContact ?? 0) + (studentHadContact ? 0 : 1)
    })
    for (const m of before.months) if (m.month !== "2026-01") expect(month(after, m.month)).toEqual(m)
    const coverage = await school.dashboard().coverage(schoolId, "individual")
    expect(coverage.sources.find((s) => s.source === "late-system")?.months).toEqual([{ month: "2026-01", events: 1 }])
    // And core agrees with the whole series after the late event.
    const expected = School.summarize(await coreState(school.store), defaultNow.toISOString()).monthly
    expect(after.months).toEqual(points(expected))
  })
})
