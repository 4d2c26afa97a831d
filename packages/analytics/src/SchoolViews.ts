/**
 * The queries behind the school-wide dashboards: overview, trends, letters and coverage
 * here; faculty (FacultyViews.ts) and follow-ups (FollowUpViews.ts) beside it, re-exported.
 * Filtering, grouping and paging happen in the database on indexed columns; tiers "as of
 * now" compare stored until-instants with the clock. Never read a row twice per request.
 *
 * @since 0.1.0
 */
import * as Clock from "./Clock.js"
import type { LettersQuery, TrendsQuery } from "./Filters.js"
import type { SqlRow } from "./Sql.js"
import * as Suppression from "./Suppression.js"
import { iso, meta, num, str, type ViewContext } from "./ViewContext.js"
import type * as Views from "./Views.js"

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

const monthlyPoints = (ctx: ViewContext, rows: ReadonlyArray<SqlRow>, population: number): Array<Views.MonthlyPoint> =>
  rows.map((row) => ({
    month: str(row, "month"),
    interactions: Suppression.cell(ctx.policy, num(row, "interactions"), population),
    pairsWithContact: Suppression.cell(ctx.policy, num(row, "pairs"), population),
    studentsWithContact: Suppression.cell(ctx.policy, num(row, "students"), population)
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
): Promise<ReadonlyArray<{ readonly specialty: string; readonly advocates: number; readonly inSpecialty: number }>> => {
  const rows = await ctx.db.all(
    // Only advocates now count: found through the advocate-until index, not every pair
    // (MATERIALIZED keeps SQLite from scanning every pair in the primary key's order instead).
    `WITH adv AS MATERIALIZED (SELECT student_id, in_specialty FROM rm_pairs WHERE school = ? AND advocate_until_ms > ?),
       a AS MATERIALIZED (SELECT student_id, COUNT(*) AS advocates, SUM(CASE WHEN in_specialty = 1 THEN 1 ELSE 0 END) AS in_specialty
         FROM adv GROUP BY student_id)
     SELECT s.student_id, COALESCE(s.specialty, '(undeclared)') AS specialty,
       COALESCE(a.advocates, 0) AS advocates, COALESCE(a.in_specialty, 0) AS in_specialty
     FROM rm_students s LEFT JOIN a ON a.student_id = s.student_id
     WHERE s.school = ? AND s.active = 1 AND s.graduation_year = ?`,
    [ctx.school, ctx.clock.nowMs, ctx.school, cycle]
  )
  return rows.map((row) => ({
    specialty: str(row, "specialty"),
    advocates: num(row, "advocates"),
    inSpecialty: num(row, "in_specialty")
  }))
}

const isReady = (ctx: ViewContext, r: { advocates: number; inSpecialty: number }): boolean =>
  r.advocates >= ctx.advocatesNeeded && r.inSpecialty >= ctx.inSpecialtyNeeded

/**
 * @since 0.1.0
 * @category views
 */
export const overview = async (ctx: ViewContext): Promise<Views.Overview> => {
  const now = ctx.clock.nowMs
  const counts = await ctx.db.all(
    `SELECT COUNT(*) AS active,
       SUM(CASE WHEN strong_until_ms > ? THEN 1 ELSE 0 END) AS strong,
       SUM(CASE WHEN developing_until_ms > ? THEN 0 ELSE 1 END) AS isolated
     FROM rm_students WHERE school = ? AND active = 1`,
    [now, now, ctx.school]
  )
  const active = num(counts[0], "active")
  const strong = num(counts[0], "strong")
  const isolated = num(counts[0], "isolated")
  const cycle = ctx.clock.nextCycle
  const cohort = await readiness(ctx, cycle)
  const ready = cohort.filter((r) => isReady(ctx, r)).length
  const followUps = await ctx.db.all(
    `SELECT SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN due_on >= ? THEN 1 ELSE 0 END) AS due,
       COUNT(DISTINCT student_id) AS students
     FROM rm_follow_ups WHERE school = ? AND done = 0`,
    [ctx.clock.today, ctx.clock.today, ctx.school]
  )
  const followUpStudents = num(followUps[0], "students")
  const trends = await ctx.db.all(monthlySql(""), [
    ctx.school,
    Clock.monthsBefore(ctx.clock.month, 11),
    ctx.clock.month
  ])
  const population = await schoolPopulation(ctx)
  return {
    meta: meta(ctx),
    activeStudents: Suppression.cell(ctx.policy, active, active),
    withStrongRelationship: Suppression.cell(ctx.policy, strong, active),
    withStrongRelationshipShare: Suppression.share(ctx.policy, strong, active),
    isolated: Suppression.cell(ctx.policy, isolated, active),
    isolatedShare: Suppression.share(ctx.policy, isolated, active),
    nextCycle: {
      cycle,
      students: Suppression.cell(ctx.policy, cohort.length, cohort.length),
      ready: Suppression.cell(ctx.policy, ready, cohort.length),
      readyShare: Suppression.share(ctx.policy, ready, cohort.length),
      requiredAdvocates: ctx.advocatesNeeded
    },
    followUps: {
      due: Suppression.cell(ctx.policy, num(followUps[0], "due"), Math.max(followUpStudents, active)),
      overdue: Suppression.cell(ctx.policy, num(followUps[0], "overdue"), Math.max(followUpStudents, active))
    },
    trends: monthlyPoints(ctx, trends, population)
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
  const byGraduationYear: Array<Views.Trends["byGraduationYear"][number]> = []
  for (const year of years) {
    const graduationYear = num(year, "graduation_year")
    const rows = perYear.filter((row) => num(row, "graduation_year") === graduationYear)
    byGraduationYear.push({ graduationYear, months: monthlyPoints(ctx, rows, num(year, "n")) })
  }
  const support = await ctx.db.all(
    `SELECT month, SUM(support_check_ins) AS check_ins, SUM(CASE WHEN support_check_ins > 0 THEN 1 ELSE 0 END) AS students
     FROM rm_student_months WHERE school = ? AND month >= ? AND month <= ?${yearFilter} GROUP BY month ORDER BY month`,
    [ctx.school, from, to, ...yearParams]
  )
  return {
    meta: meta(ctx),
    months: monthlyPoints(ctx, months, population),
    byGraduationYear,
    supportCheckIns: support.map((row) => ({
      month: str(row, "month"),
      checkIns: Suppression.sensitive(ctx.policy, num(row, "check_ins"), num(row, "students"))
    }))
  }
}

/**
 * @since 0.1.0
 * @category views
 */
export const letters = async (ctx: ViewContext, query: LettersQuery): Promise<Views.Letters> => {
  const cycles =
    query.cycle !== undefined ? [query.cycle] : [ctx.clock.nextCycle - 1, ctx.clock.nextCycle, ctx.clock.nextCycle + 1]
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
    const specialties = new Set(cohort.map((r) => r.specialty))
    const rows = [...specialties]
      .filter((s) => query.specialty === undefined || s === query.specialty)
      .sort()
      .map((specialty) => {
        const group = cohort.filter((r) => r.specialty === specialty)
        const n = group.length
        const letterRow = letterRows.find((row) => str(row, "specialty") === specialty)
        return {
          specialty,
          students: Suppression.cell(ctx.policy, n, n),
          ready: Suppression.cell(ctx.policy, group.filter((r) => isReady(ctx, r)).length, n),
          withSpecialtyAdvocate: Suppression.cell(ctx.policy, group.filter((r) => r.inSpecialty > 0).length, n),
          lettersRequested: Suppression.cell(ctx.policy, num(letterRow, "requested"), n),
          lettersCommitted: Suppression.cell(ctx.policy, num(letterRow, "committed"), n),
          lettersSubmitted: Suppression.cell(ctx.policy, num(letterRow, "submitted"), n)
        }
      })
    const dates = Clock.season(cycle)
    out.push({ cycle, seasonOpensOn: dates.opensOn, programsReviewOn: dates.programsReviewOn, specialties: rows })
  }
  return { meta: meta(ctx), requiredAdvocates: ctx.advocatesNeeded, cycles: out }
}

/**
 * @since 0.1.0
 * @category views
 */
export const coverage = async (ctx: ViewContext): Promise<Views.Coverage> => {
  const rows = await ctx.db.all(
    "SELECT source, month, events, last_occurred_ms, last_received_ms FROM rm_coverage WHERE school = ? ORDER BY source, month",
    [ctx.school]
  )
  const sources = new Map<
    string,
    { events: number; lastOccurred: number; lastReceived: number; months: Array<{ month: string; events: number }> }
  >()
  for (const row of rows) {
    const source = str(row, "source")
    const entry = sources.get(source) ?? { events: 0, lastOccurred: 0, lastReceived: 0, months: [] }
    entry.events += num(row, "events")
    entry.lastOccurred = Math.max(entry.lastOccurred, num(row, "last_occurred_ms"))
    entry.lastReceived = Math.max(entry.lastReceived, num(row, "last_received_ms"))
    entry.months.push({ month: str(row, "month"), events: num(row, "events") })
    sources.set(source, entry)
  }
  return {
    meta: meta(ctx),
    sources: [...sources].map(([source, entry]) => ({
      source,
      events: entry.events,
      lastOccurredAt: iso(entry.lastOccurred),
      lastReceivedAt: iso(entry.lastReceived),
      months: entry.months
    }))
  }
}
