/**
 * The queries behind the school-wide dashboards: overview, trends, letters and coverage
 * here; faculty (FacultyViews.ts) and follow-ups (FollowUpViews.ts) beside it, re-exported.
 * Filtering, grouping and paging happen in the database on indexed columns; tiers "as of
 * now" compare stored until-instants with the clock. Never read a row twice per request.
 * Which groups are shown, and which roll into "Other", is Disclosure.ts's to say.
 *
 * @since 0.1.0
 */
import { Calendar } from "@rapport/core"
import * as Clock from "../../Clock.js"
import * as Complementary from "../../Complementary.js"
import * as Disclosure from "./Disclosure.js"
import type { LettersQuery, TrendsQuery } from "../../Filters.js"
import type { SqlRow } from "../../Sql.js"
import * as Suppression from "../../Suppression.js"
import { iso, meta, nullableStr, num, stageSql, str, type ViewContext } from "./ViewContext.js"
import type * as Views from "../../Views.js"

/**
 * @since 0.1.0
 * @category models
 */
export type { ViewContext } from "./ViewContext.js"

/**
 * @since 0.1.0
 * @category operations
 */
export { meta } from "./ViewContext.js"

/**
 * The SQL of a student's highest tier now (four `?` for the clock).
 *
 * @since 0.1.0
 * @category operations
 */
export { pairTierSql as studentTierSql } from "./ViewContext.js"

/**
 * @since 0.1.0
 * @category views
 */
export { faculty } from "./FacultyViews.js"

/**
 * @since 0.1.0
 * @category views
 */
export { followUps } from "./FollowUpViews.js"

const monthlyPoints = (
  ctx: ViewContext,
  rows: ReadonlyArray<SqlRow>,
  population: number,
  hidden?: Complementary.HiddenBecause
): Array<Views.MonthlyPoint> =>
  rows.map((row) => ({
    month: str(row, "month"),
    interactions: Suppression.planned(ctx.policy, num(row, "interactions"), population, hidden),
    pairsWithContact: Suppression.planned(ctx.policy, num(row, "pairs"), population, hidden),
    studentsWithContact: Suppression.planned(ctx.policy, num(row, "students"), population, hidden)
  }))

const monthlySql = (where: string) => `SELECT month, SUM(interactions) AS interactions, SUM(faculty_contacted) AS pairs,
  SUM(CASE WHEN interactions > 0 THEN 1 ELSE 0 END) AS students
  FROM rm_student_months WHERE school = ? AND month >= ? AND month <= ?${where} GROUP BY month ORDER BY month`

/**
 * Per student of a cycle: advocates now, and those in the student's specialty.
 *
 * @since 0.1.0
 * @category operations
 */
export const readiness = async (
  ctx: ViewContext,
  cycle: number
): Promise<
  ReadonlyArray<{
    readonly specialty: string
    readonly advocates: number
    readonly inSpecialty: number
    readonly lettersReady: boolean
  }>
> => {
  const rows = await ctx.db.all(
    // Only advocates now count: found through the advocate-until index, not every pair
    // (MATERIALIZED keeps SQLite from scanning every pair in the primary key's order instead).
    `WITH adv AS MATERIALIZED (SELECT student_id, in_specialty FROM rm_pairs WHERE school = ? AND advocate_until_ms > ?),
       a AS MATERIALIZED (SELECT student_id, COUNT(*) AS advocates, SUM(CASE WHEN in_specialty = 1 THEN 1 ELSE 0 END) AS in_specialty
         FROM adv GROUP BY student_id)
     SELECT s.student_id, COALESCE(s.specialty, '(undeclared)') AS specialty,
       COALESCE(a.advocates, 0) AS advocates, COALESCE(a.in_specialty, 0) AS in_specialty,
       CASE WHEN s.letters_ready_from_ms <= ? THEN 1 ELSE 0 END AS letters_ready
     FROM rm_students s LEFT JOIN a ON a.student_id = s.student_id
     WHERE s.school = ? AND s.active = 1 AND s.graduation_year = ?`,
    [ctx.school, ctx.clock.nowMs, ctx.clock.nowMs, ctx.school, cycle]
  )
  return rows.map((row) => ({
    specialty: str(row, "specialty"),
    advocates: num(row, "advocates"),
    inSpecialty: num(row, "in_specialty"),
    lettersReady: num(row, "letters_ready") === 1
  }))
}

// Ready by letters committed or submitted, or by advocates, whichever is higher (Letter.readiness).
const isReady = (ctx: ViewContext, r: { advocates: number; inSpecialty: number; lettersReady: boolean }): boolean =>
  r.lettersReady || (r.advocates >= ctx.advocatesNeeded && r.inSpecialty >= ctx.inSpecialtyNeeded)

/**
 * @since 0.1.0
 * @category views
 */
export const overview = async (ctx: ViewContext): Promise<Views.Overview> => {
  const now = ctx.clock.nowMs
  const counts = await ctx.db.all(
    `SELECT COUNT(*) AS active,
       SUM(CASE WHEN strong_until_ms > ? THEN 1 ELSE 0 END) AS strong,
       SUM(CASE WHEN isolated_from_ms <= ? THEN 1 ELSE 0 END) AS isolated
     FROM rm_students WHERE school = ? AND active = 1`,
    [now, now, ctx.school]
  )
  const active = num(counts[0], "active")
  const strong = num(counts[0], "strong")
  const isolated = num(counts[0], "isolated")
  const cycle = ctx.clock.nextCycle
  const cohort = await readiness(ctx, cycle)
  const ready = cohort.filter((r) => isReady(ctx, r)).length
  // Open follow-ups (not done, not expired), and the students they concern: a dean acts on
  // students, so the overview counts those who need attention, not the items.
  const followUps = await ctx.db.all(
    `SELECT SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN due_on >= ? THEN 1 ELSE 0 END) AS due,
       COUNT(DISTINCT student_id) AS students
     FROM rm_follow_ups WHERE school = ? AND done = 0 AND expires_on >= ?`,
    [ctx.clock.today, ctx.clock.today, ctx.school, ctx.clock.today]
  )
  const trends = await ctx.db.all(monthlySql(""), [
    ctx.school,
    Clock.monthsBefore(ctx.clock.month, 11),
    ctx.clock.month
  ])
  const population = await schoolPopulation(ctx)
  // The next cycle is one of the cycles the letters view shows, out of the active students.
  const years = await Disclosure.graduationYears(ctx, "active")
  const cycleHidden = Complementary.hiddenBecause(years.plan, cycle)
  // the follow-ups view's total, and the sum of its rules: the students with any follow-up
  const followUpPopulation = await Disclosure.studentsWith(ctx, "rm_follow_ups")
  const { isolatedByStage, noRecentMentoring } = await stageCounts(ctx, active)
  return {
    meta: meta(ctx),
    activeStudents: Suppression.cell(ctx.policy, active, active),
    withStrongRelationship: Suppression.cell(ctx.policy, strong, active),
    withStrongRelationshipShare: Suppression.share(ctx.policy, strong, active),
    isolated: Suppression.cell(ctx.policy, isolated, active),
    isolatedShare: Suppression.share(ctx.policy, isolated, active),
    nextCycle: {
      cycle,
      students: Suppression.planned(ctx.policy, cohort.length, cohort.length, cycleHidden),
      ready: Suppression.planned(ctx.policy, ready, cohort.length, cycleHidden),
      readyShare:
        cycleHidden === undefined
          ? Suppression.share(ctx.policy, ready, cohort.length)
          : Suppression.hidden(ctx.policy, cycleHidden),
      requiredAdvocates: ctx.advocatesNeeded
    },
    followUps: {
      due: Suppression.cell(ctx.policy, num(followUps[0], "due"), followUpPopulation),
      overdue: Suppression.cell(ctx.policy, num(followUps[0], "overdue"), followUpPopulation),
      students: Suppression.cell(ctx.policy, num(followUps[0], "students"), followUpPopulation)
    },
    trends: monthlyPoints(ctx, trends, population),
    isolatedByStage,
    noRecentMentoring
  }
}

const stageOrder = ["new", "pre-clinical", "clinical", "applying"] as const

// Isolation by stage, and the students in years 2–4 without recent mentoring (core's
// StudentSummary.noRecentMentoring). The stages partition the active students with a stage:
// for aggregate readers a small stage rolls up with another, so that none can be worked out
// from the active total.
const stageCounts = async (
  ctx: ViewContext,
  active: number
): Promise<Pick<Views.Overview, "isolatedByStage" | "noRecentMentoring">> => {
  const now = ctx.clock.nowMs
  const rows = await ctx.db.all(
    `SELECT ${stageSql("s")} AS stage, COUNT(*) AS n,
       SUM(CASE WHEN s.isolated_from_ms <= ? THEN 1 ELSE 0 END) AS isolated,
       SUM(CASE WHEN s.year_two_from_ms <= ? THEN 1 ELSE 0 END) AS year_two,
       SUM(CASE WHEN s.year_two_from_ms <= ? AND COALESCE(s.mentoring_lapses_ms <= ?, TRUE) THEN 1 ELSE 0 END) AS lapsed
     FROM rm_students s WHERE s.school = ? AND s.active = 1 GROUP BY stage`,
    [now, now, now, now, now, now, now, ctx.school]
  )
  const byStage = new Map(rows.map((row) => [nullableStr(row, "stage"), row]))
  const groups = stageOrder.map((stage) => ({ key: stage, population: num(byStage.get(stage), "n") }))
  const listed = groups.reduce((sum, g) => sum + g.population, 0)
  const plan = Disclosure.partition(ctx.policy, groups, { unlisted: active - listed }).plan
  const yearTwo = rows.reduce((sum, row) => sum + num(row, "year_two"), 0)
  const lapsed = rows.reduce((sum, row) => sum + num(row, "lapsed"), 0)
  return {
    isolatedByStage: stageOrder.map((stage) => {
      const row = byStage.get(stage)
      const students = num(row, "n")
      const isolated = num(row, "isolated")
      const because = Complementary.hiddenBecause(plan, stage)
      return {
        stage,
        students: Suppression.planned(ctx.policy, students, students, because),
        isolated: Suppression.planned(ctx.policy, isolated, students, because),
        isolatedShare:
          because === undefined
            ? Suppression.share(ctx.policy, isolated, students)
            : Suppression.hidden(ctx.policy, because)
      }
    }),
    noRecentMentoring: {
      students: Suppression.cell(ctx.policy, yearTwo, yearTwo),
      withoutMentoring: Suppression.cell(ctx.policy, lapsed, yearTwo),
      share: Suppression.share(ctx.policy, lapsed, yearTwo),
      gapDays: ctx.mentoringGapDays
    }
  }
}

const schoolPopulation = async (ctx: ViewContext): Promise<number> =>
  num((await ctx.db.all("SELECT COUNT(*) AS n FROM rm_students WHERE school = ?", [ctx.school]))[0], "n")

/**
 * @since 0.1.0
 * @category views
 */
export const trends = async (ctx: ViewContext, query: TrendsQuery): Promise<Views.Trends> => {
  const from = query.from ?? Clock.monthsBefore(ctx.clock.month, 23)
  const to = ctx.clock.month
  const yearFilter = query.graduationYear === undefined ? "" : " AND graduation_year = ?"
  const yearParams = query.graduationYear === undefined ? [] : [query.graduationYear]
  const population =
    query.graduationYear === undefined
      ? await schoolPopulation(ctx)
      : num(
          (
            await ctx.db.all("SELECT COUNT(*) AS n FROM rm_students WHERE school = ? AND graduation_year = ?", [
              ctx.school,
              query.graduationYear
            ])
          )[0],
          "n"
        )
  const months = await ctx.db.all(monthlySql(yearFilter), [ctx.school, from, to, ...yearParams])
  const years = await ctx.db.all(
    `SELECT graduation_year, COUNT(*) AS n FROM rm_students WHERE school = ? AND graduation_year IS NOT NULL${yearFilter}
     GROUP BY graduation_year ORDER BY graduation_year`,
    [ctx.school, ...yearParams]
  )
  // Every graduation year's months in one pass over the range (not one pass per year).
  const perYear = await ctx.db.all(
    `SELECT graduation_year, month, SUM(interactions) AS interactions, SUM(faculty_contacted) AS pairs,
       SUM(CASE WHEN interactions > 0 THEN 1 ELSE 0 END) AS students
     FROM rm_student_months WHERE school = ? AND month >= ? AND month <= ? AND graduation_year IS NOT NULL${yearFilter}
     GROUP BY graduation_year, month ORDER BY graduation_year, month`,
    [ctx.school, from, to, ...yearParams]
  )
  // Years too small to show, and those hidden so that no small one is the school minus the
  // others, have no series of their own: unfiltered, they are summed in "Other".
  const plan = (await Disclosure.graduationYears(ctx, "all")).plan
  const filtered =
    query.graduationYear === undefined ? undefined : Complementary.hiddenBecause(plan, query.graduationYear)
  const byGraduationYear: Array<Views.Trends["byGraduationYear"][number]> = []
  for (const year of years) {
    const graduationYear = num(year, "graduation_year")
    const hidden = Complementary.hiddenBecause(plan, graduationYear)
    if (hidden !== undefined && query.graduationYear === undefined) continue
    const rows = perYear.filter((row) => num(row, "graduation_year") === graduationYear)
    byGraduationYear.push({ graduationYear, months: monthlyPoints(ctx, rows, num(year, "n"), hidden) })
  }
  const support = await ctx.db.all(
    `SELECT month, SUM(support_check_ins) AS check_ins, SUM(CASE WHEN support_check_ins > 0 THEN 1 ELSE 0 END) AS students
     FROM rm_student_months WHERE school = ? AND month >= ? AND month <= ?${yearFilter} GROUP BY month ORDER BY month`,
    [ctx.school, from, to, ...yearParams]
  )
  // A class's check-ins are one filter away from the school's: planned month by month.
  const checkIns = query.graduationYear === undefined ? undefined : await Disclosure.checkIns(ctx, from, to)
  const shownYears = new Set(plan.shown)
  return {
    meta: meta(ctx),
    months: monthlyPoints(ctx, months, population, filtered),
    byGraduationYear,
    otherGraduationYears:
      query.graduationYear !== undefined || !Complementary.hasOther(plan)
        ? null
        : {
            graduationYears: Complementary.rolledKeys(plan),
            months: monthlyPoints(
              ctx,
              Disclosure.remainder(
                months,
                perYear.filter((row) => shownYears.has(num(row, "graduation_year"))),
                ["interactions", "pairs", "students"]
              ),
              plan.otherPopulation
            )
          },
    supportCheckIns: support.map((row) => {
      const month = str(row, "month")
      const hidden =
        query.graduationYear === undefined
          ? undefined
          : Complementary.hiddenBecause(checkIns?.get(month)?.plan ?? Complementary.showAll([]), query.graduationYear)
      return {
        month,
        checkIns:
          hidden === "complementary"
            ? Suppression.hidden(ctx.policy, hidden)
            : Suppression.sensitive(ctx.policy, num(row, "check_ins"), num(row, "students"))
      }
    })
  }
}

/**
 * @since 0.1.0
 * @category views
 */
export const letters = async (ctx: ViewContext, query: LettersQuery): Promise<Views.Letters> => {
  const cycles =
    query.cycle !== undefined ? [query.cycle] : [ctx.clock.nextCycle - 1, ctx.clock.nextCycle, ctx.clock.nextCycle + 1]
  // A cycle is a graduation year of active students: hidden whole when the years' plan
  // hides it (the overview's active students minus the cycles shown must not be small).
  const years = (await Disclosure.graduationYears(ctx, "active")).plan
  const out: Array<Views.Letters["cycles"][number]> = []
  for (const cycle of cycles) {
    const cohort = await readiness(ctx, cycle)
    const letterRows = await ctx.db.all(
      `SELECT COALESCE(s.specialty, '(undeclared)') AS specialty,
         SUM(CASE WHEN l.requested_ms IS NOT NULL THEN 1 ELSE 0 END) AS requested,
         SUM(CASE WHEN l.committed_ms IS NOT NULL THEN 1 ELSE 0 END) AS committed,
         SUM(CASE WHEN l.submitted_ms IS NOT NULL THEN 1 ELSE 0 END) AS submitted
       FROM rm_letters l JOIN rm_students s ON s.school = l.school AND s.student_id = l.student_id
       WHERE l.school = ? AND s.active = 1 AND s.graduation_year = ? GROUP BY s.specialty`,
      [ctx.school, cycle]
    )
    const countsOf = (group: typeof cohort, letterRow: SqlRow | undefined): LetterCounts => ({
      students: group.length,
      ready: group.filter((r) => isReady(ctx, r)).length,
      withSpecialtyAdvocate: group.filter((r) => r.inSpecialty > 0).length,
      lettersRequested: num(letterRow, "requested"),
      lettersCommitted: num(letterRow, "committed"),
      lettersSubmitted: num(letterRow, "submitted")
    })
    const counts = new Map(
      [...new Set(cohort.map((r) => r.specialty))].sort().map((specialty) => {
        const letterRow = letterRows.find((row) => str(row, "specialty") === specialty)
        return [
          specialty,
          countsOf(
            cohort.filter((r) => r.specialty === specialty),
            letterRow
          )
        ] as const
      })
    )
    const table = Disclosure.partition(
      ctx.policy,
      [...counts].map(([key, c]) => ({ key, population: c.students }))
    )
    const total = [...counts.values()].reduce(combineLetters(1), countsOf([], undefined))
    const laid = Disclosure.lines(
      ctx.policy,
      table,
      counts,
      { counts: total, population: cohort.length, hidden: Complementary.hiddenBecause(years, cycle) },
      combineLetters(-1),
      query.specialty
    )
    const dates = Clock.season(cycle)
    out.push({
      cycle,
      seasonOpensOn: dates.opensOn,
      programsReviewOn: dates.programsReviewOn,
      specialties: laid.rows.map((row) => ({ specialty: row.key, ...letterCells(ctx, row) })),
      otherSpecialties:
        laid.other === null ? null : { specialties: [...laid.other.keys], ...letterCells(ctx, laid.other) },
      total: letterCells(ctx, laid.total)
    })
  }
  return { meta: meta(ctx), requiredAdvocates: ctx.advocatesNeeded, cycles: out }
}

interface LetterCounts {
  readonly students: number
  readonly ready: number
  readonly withSpecialtyAdvocate: number
  readonly lettersRequested: number
  readonly lettersCommitted: number
  readonly lettersSubmitted: number
}

/** adds (1) or takes away (-1) a group's counts */
const combineLetters =
  (sign: 1 | -1) =>
  (a: LetterCounts, b: LetterCounts): LetterCounts => ({
    students: a.students + sign * b.students,
    ready: a.ready + sign * b.ready,
    withSpecialtyAdvocate: a.withSpecialtyAdvocate + sign * b.withSpecialtyAdvocate,
    lettersRequested: a.lettersRequested + sign * b.lettersRequested,
    lettersCommitted: a.lettersCommitted + sign * b.lettersCommitted,
    lettersSubmitted: a.lettersSubmitted + sign * b.lettersSubmitted
  })

const letterCells = (ctx: ViewContext, line: Disclosure.Line<LetterCounts>) => {
  const cell = Disclosure.cellOf(ctx.policy, line)
  return {
    students: cell(line.counts.students),
    ready: cell(line.counts.ready),
    withSpecialtyAdvocate: cell(line.counts.withSpecialtyAdvocate),
    lettersRequested: cell(line.counts.lettersRequested),
    lettersCommitted: cell(line.counts.lettersCommitted),
    lettersSubmitted: cell(line.counts.lettersSubmitted)
  }
}

/** The months (before this one) over which a coverage row's usual gaps are measured. */
const gapWindowMonths = 12
/** Silence never counts as unusual below this many days. */
const quietFloorDays = 14

/** The day numbers a month's day mask holds (bit d − 1: day d). */
const daysOfMask = (month: string, mask: number): Array<number> => {
  const first = Calendar.daysFromCivil(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)
  const out: Array<number> = []
  for (let bit = 0; bit < 31; bit++) if ((mask & (1 << bit)) !== 0) out.push(first + bit)
  return out
}

/** The most days between two consecutive days with events; null with fewer than two. */
const longestGap = (days: ReadonlyArray<number>): number | null => {
  const sorted = [...days].sort((a, b) => a - b)
  let longest: number | null = null
  for (let index = 1; index < sorted.length; index++) {
    const gap = (sorted[index] ?? 0) - (sorted[index - 1] ?? 0)
    if (longest === null || gap > longest) longest = gap
  }
  return longest
}

/**
 * @since 0.1.0
 * @category views
 */
export const coverage = async (ctx: ViewContext): Promise<Views.Coverage> => {
  const rows = await ctx.db.all(
    "SELECT dimension, name, month, events, last_occurred_ms, last_received_ms, days_mask FROM rm_coverage WHERE school = ? ORDER BY dimension, name, month",
    [ctx.school]
  )
  type Entry = {
    events: number
    lastOccurred: number
    lastReceived: number
    months: Array<{ month: string; events: number }>
    /** day numbers with an event, in the window the usual gaps are measured over */
    days: Array<number>
  }
  const windowStart = Clock.monthsBefore(ctx.clock.month, gapWindowMonths)
  const groups = { source: new Map<string, Entry>(), "rotation-specialty": new Map<string, Entry>() }
  for (const row of rows) {
    const dimension = str(row, "dimension") === "rotation-specialty" ? "rotation-specialty" : "source"
    const name = str(row, "name")
    const entry = groups[dimension].get(name) ?? { events: 0, lastOccurred: 0, lastReceived: 0, months: [], days: [] }
    entry.events += num(row, "events")
    entry.lastOccurred = Math.max(entry.lastOccurred, num(row, "last_occurred_ms"))
    entry.lastReceived = Math.max(entry.lastReceived, num(row, "last_received_ms"))
    const month = str(row, "month")
    entry.months.push({ month, events: num(row, "events") })
    if (month >= windowStart) entry.days.push(...daysOfMask(month, num(row, "days_mask")))
    groups[dimension].set(name, entry)
  }
  // Silence is counted from when the last event happened, not when it arrived (a late batch
  // of old events is no sign of life), in calendar days of the school's time zone.
  // A source or specialty is unusually silent when it has been quiet for longer than any
  // stretch between two of its events in the past year (rotations end in blocks: two months
  // without one can be the schedule, not an outage), and for more than two weeks.
  const fields = (entry: Entry) => {
    const daysSilent = entry.lastOccurred > 0 ? Clock.daysSince(ctx.clock, entry.lastOccurred) : null
    const longestGapDays = longestGap(entry.days)
    return {
      events: entry.events,
      lastOccurredAt: iso(entry.lastOccurred),
      lastReceivedAt: iso(entry.lastReceived),
      lastOccurredOn: entry.lastOccurred > 0 ? Clock.dateOf(ctx.clock, entry.lastOccurred) : null,
      daysSilent,
      longestGapDays,
      unusualSilence: daysSilent !== null && daysSilent > Math.max(quietFloorDays, longestGapDays ?? 0),
      months: entry.months
    }
  }
  return {
    meta: meta(ctx),
    sources: [...groups.source].map(([source, entry]) => ({ source, ...fields(entry) })),
    specialties: [...groups["rotation-specialty"]].map(([specialty, entry]) => ({ specialty, ...fields(entry) }))
  }
}
