/**
 * The queries behind the school-wide dashboards: overview, trends, faculty, letters,
 * follow-ups and coverage. Filtering, grouping and paging happen in the database on
 * indexed columns; tiers "as of now" compare stored until-instants with the clock.
 *
 * @since 0.1.0
 */
import { Concentration, Nudge } from "@rapport/core"
import * as Clock from "./Clock.js"
import type { FacultyQuery, FollowUpsQuery, LettersQuery, TrendsQuery } from "./Filters.js"
import type { SqlDatabase, SqlRow } from "./Sql.js"
import * as Suppression from "./Suppression.js"
import type * as Views from "./Views.js"

const num = (row: SqlRow | undefined, column: string): number => {
  const value = row?.[column]
  return value === null || value === undefined ? 0 : Number(value)
}
const str = (row: SqlRow, column: string): string => String(row[column] ?? "")
const nullableStr = (row: SqlRow, column: string): string | null => {
  const value = row[column]
  return value === null || value === undefined ? null : String(value)
}
const iso = (ms: unknown): string | null =>
  ms === null || ms === undefined || Number(ms) <= 0 ? null : new Date(Number(ms)).toISOString()

/**
 * What every view needs: the database, the school, its clock, the suppression policy
 * and the letter settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface ViewContext {
  readonly db: SqlDatabase
  readonly school: string
  readonly clock: Clock.SchoolClock
  readonly policy: Suppression.Policy
  readonly position: number
  readonly advocatesNeeded: number
  readonly inSpecialtyNeeded: number
  readonly topFacultyShare: number
}

/**
 * @since 0.1.0
 * @category operations
 */
export const meta = (ctx: ViewContext): Views.Overview["meta"] => ({
  school: ctx.school,
  asOf: ctx.clock.asOf,
  position: ctx.position,
  suppressionThreshold: ctx.policy.threshold
})

/** pairs tier as of now, as SQL over a pairs alias */
const pairTierSql = (p: string) => `CASE
  WHEN ${p}.advocate_until_ms > ? THEN 'advocate'
  WHEN ${p}.strong_until_ms > ? THEN 'strong'
  WHEN ${p}.developing_until_ms > ? THEN 'developing'
  WHEN ${p}.acquainted_until_ms > ? THEN 'acquainted'
  ELSE 'none' END`

/**
 * The SQL of a student's highest tier now (four `?` for the clock).
 *
 * @since 0.1.0
 * @category operations
 */
export const studentTierSql = pairTierSql

const nowTimes = (ctx: ViewContext, n: number): Array<number> => Array.from({ length: n }, () => ctx.clock.nowMs)

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
    `SELECT s.student_id, COALESCE(s.specialty, '(undeclared)') AS specialty,
       SUM(CASE WHEN p.advocate_until_ms > ? THEN 1 ELSE 0 END) AS advocates,
       SUM(CASE WHEN p.advocate_until_ms > ? AND p.in_specialty = 1 THEN 1 ELSE 0 END) AS in_specialty
     FROM rm_students s LEFT JOIN rm_pairs p ON p.school = s.school AND p.student_id = s.student_id
     WHERE s.school = ? AND s.active = 1 AND s.graduation_year = ?
     GROUP BY s.student_id, s.specialty`,
    [ctx.clock.nowMs, ctx.clock.nowMs, ctx.school, cycle]
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
  const byGraduationYear: Array<Views.Trends["byGraduationYear"][number]> = []
  for (const year of years) {
    const graduationYear = num(year, "graduation_year")
    const rows = await ctx.db.all(monthlySql(" AND graduation_year = ?"), [ctx.school, from, to, graduationYear])
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

const tierKeys = ["acquainted", "developing", "strong", "advocate"] as const

/**
 * @since 0.1.0
 * @category views
 */
export const faculty = async (ctx: ViewContext, query: FacultyQuery): Promise<Views.Faculty> => {
  const now = ctx.clock.nowMs
  // Active mentoring pairs and developing-or-better mentees per active faculty member.
  const loads = await ctx.db.all(
    `SELECT f.faculty_id, f.department,
       SUM(CASE WHEN p.mentoring_until_ms > ? AND s.active = 1 THEN 1 ELSE 0 END) AS mentoring,
       SUM(CASE WHEN p.developing_until_ms > ? AND s.active = 1 THEN 1 ELSE 0 END) AS developing
     FROM rm_faculty f
     LEFT JOIN rm_pairs p ON p.school = f.school AND p.faculty_id = f.faculty_id
     LEFT JOIN rm_students s ON s.school = p.school AND s.student_id = p.student_id
     WHERE f.school = ? AND f.status = 'active'
     GROUP BY f.faculty_id, f.department`,
    [now, now, ctx.school]
  )
  const hideFew = (population: number) => Suppression.hides(ctx.policy, population)
  const mentoring = loads.map((row) => num(row, "mentoring"))
  const developing = loads.map((row) => num(row, "developing"))
  const overall = Concentration.concentration(mentoring, developing, ctx.topFacultyShare)
  const totalPairs = mentoring.reduce((a, b) => a + b, 0)
  // Peers are every active faculty member, those without mentees included (core's
  // Faculty.summarize): a load is compared with the typical colleague, not the typical mentor.
  const median = mentoring.length === 0 ? null : Concentration.median(mentoring)
  const tiersByDepartment = await ctx.db.all(
    `SELECT f.department, ${pairTierSql("p")} AS tier, COUNT(*) AS n
     FROM rm_pairs p JOIN rm_faculty f ON f.school = p.school AND f.faculty_id = p.faculty_id
     JOIN rm_students s ON s.school = p.school AND s.student_id = p.student_id
     WHERE p.school = ? AND s.active = 1 AND f.status = 'active' AND p.interactions > 0 GROUP BY f.department, tier`,
    [...nowTimes(ctx, 4), ctx.school]
  )
  const lettersByDepartment = await ctx.db.all(
    "SELECT department, COUNT(*) AS n, SUM(letters_submitted) AS submitted FROM rm_faculty WHERE school = ? AND status = 'active' GROUP BY department",
    [ctx.school]
  )
  const departments: Array<Views.DepartmentLoad> = lettersByDepartment
    .map((row) => {
      const department = nullableStr(row, "department") ?? "(unknown)"
      const members = num(row, "n")
      const ofDepartment = loads.filter((l) => (nullableStr(l, "department") ?? "(unknown)") === department)
      const concentration = Concentration.concentration(
        ofDepartment.map((l) => num(l, "mentoring")),
        ofDepartment.map((l) => num(l, "developing")),
        ctx.topFacultyShare
      )
      const tiers = { none: 0, acquainted: 0, developing: 0, strong: 0, advocate: 0 }
      for (const t of tiersByDepartment) {
        if ((nullableStr(t, "department") ?? "(unknown)") !== department) continue
        const tier = str(t, "tier")
        if (
          tier === "none" ||
          tier === "acquainted" ||
          tier === "developing" ||
          tier === "strong" ||
          tier === "advocate"
        ) {
          tiers[tier] += num(t, "n")
        }
      }
      const pairs = ofDepartment.reduce((sum, l) => sum + num(l, "mentoring"), 0)
      return {
        department,
        faculty: Suppression.cell(ctx.policy, members, members),
        menteesByTier: {
          none: Suppression.cell(ctx.policy, tiers.none, members),
          acquainted: Suppression.cell(ctx.policy, tiers.acquainted, members),
          developing: Suppression.cell(ctx.policy, tiers.developing, members),
          strong: Suppression.cell(ctx.policy, tiers.strong, members),
          advocate: Suppression.cell(ctx.policy, tiers.advocate, members)
        },
        activeMentoringPairs: Suppression.cell(ctx.policy, pairs, members),
        lettersSubmitted: Suppression.cell(ctx.policy, num(row, "submitted"), members),
        topDecileShare: hideFew(members) ? null : concentration.top.share,
        gini: hideFew(members) ? null : concentration.gini
      }
    })
    .sort((a, b) => (a.department < b.department ? -1 : 1))
  const page = query.page ?? 1
  const pageSize = query.pageSize ?? 50
  let total = 0
  let rows: Array<Views.FacultyRow> = []
  if (ctx.policy.audience === "individual") {
    const where = ["f.school = ?"]
    const params: Array<string | number> = [ctx.school]
    if (query.department !== undefined) {
      where.push("f.department = ?")
      params.push(query.department)
    }
    if (query.q !== undefined && query.q !== "") {
      where.push("f.faculty_id LIKE ? ESCAPE '\\'")
      params.push(`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    }
    total = num(
      (await ctx.db.all(`SELECT COUNT(*) AS n FROM rm_faculty f WHERE ${where.join(" AND ")}`, params))[0],
      "n"
    )
    const order =
      query.order === "asc"
        ? "ASC"
        : query.order === "desc"
          ? "DESC"
          : query.sort === "load" || query.sort === "letters"
            ? "DESC"
            : "ASC"
    const sort =
      query.sort === "department"
        ? `CASE WHEN f.department IS NULL THEN 1 ELSE 0 END, f.department ${order}, f.faculty_id`
        : query.sort === "load"
          ? `mentoring ${order}, f.faculty_id`
          : query.sort === "letters"
            ? `f.letters_submitted ${order}, f.faculty_id`
            : `f.faculty_id ${order}`
    const pageRows = await ctx.db.all(
      `SELECT f.*, (SELECT COUNT(*) FROM rm_pairs p JOIN rm_students s ON s.school = p.school AND s.student_id = p.student_id
          WHERE p.school = f.school AND p.faculty_id = f.faculty_id AND p.mentoring_until_ms > ? AND s.active = 1) AS mentoring
       FROM rm_faculty f WHERE ${where.join(" AND ")} ORDER BY ${sort} LIMIT ? OFFSET ?`,
      [now, ...params, pageSize, (page - 1) * pageSize]
    )
    const ids = pageRows.map((row) => str(row, "faculty_id"))
    const tierRows =
      ids.length === 0
        ? []
        : await ctx.db.all(
            `SELECT p.faculty_id, ${pairTierSql("p")} AS tier, COUNT(*) AS n FROM rm_pairs p
             JOIN rm_students s ON s.school = p.school AND s.student_id = p.student_id
             WHERE p.school = ? AND s.active = 1 AND p.faculty_id IN (${ids.map(() => "?").join(",")}) GROUP BY p.faculty_id, tier`,
            [...nowTimes(ctx, 4), ctx.school, ...ids]
          )
    rows = pageRows.map((row) => {
      const id = str(row, "faculty_id")
      const mentees = { acquainted: 0, developing: 0, strong: 0, advocate: 0 }
      for (const t of tierRows) {
        if (str(t, "faculty_id") !== id) continue
        const tier = str(t, "tier")
        for (const key of tierKeys) if (tier === key) mentees[key] += num(t, "n")
      }
      const active = num(row, "mentoring")
      return {
        facultyId: id,
        displayName: null,
        department: nullableStr(row, "department"),
        rank: nullableStr(row, "rank"),
        status: str(row, "status"),
        mentees,
        activeMentoringPairs: active,
        letters: {
          requested: num(row, "letters_requested"),
          committed: num(row, "letters_committed"),
          submitted: num(row, "letters_submitted"),
          declined: num(row, "letters_declined")
        },
        loadRatio: median === null || median === 0 ? null : active / median
      }
    })
  }
  return {
    meta: meta(ctx),
    concentration: {
      // Shares of a small faculty say too much about each member: hidden like a small group's counts.
      topDecileShare: loads.length === 0 || hideFew(loads.length) ? null : overall.top.share,
      gini: overall.giniFaculty === 0 || hideFew(loads.length) ? null : overall.gini,
      activeMentoringPairs: Suppression.cell(ctx.policy, totalPairs, loads.length)
    },
    departments,
    total,
    page,
    pageSize,
    rows
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
export const followUps = async (ctx: ViewContext, query: FollowUpsQuery): Promise<Views.FollowUps> => {
  const today = ctx.clock.today
  const byRule = await ctx.db.all(
    `SELECT rule_id, SUM(CASE WHEN done = 0 AND due_on >= ? THEN 1 ELSE 0 END) AS due,
       SUM(CASE WHEN done = 0 AND due_on < ? THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN done = 1 THEN 1 ELSE 0 END) AS done, COUNT(DISTINCT student_id) AS students
     FROM rm_follow_ups WHERE school = ? GROUP BY rule_id ORDER BY rule_id`,
    [today, today, ctx.school]
  )
  // A nudge without contact is still pending while its window (calendar days, school time
  // zone) is open at today: core leaves those out of the share, as undecided.
  const windowOpensFrom = Clock.startOfDayBefore(ctx.clock, Nudge.defaultWithinDays - 1)
  const nudges = await ctx.db.all(
    `SELECT rule_id, COUNT(*) AS sent, SUM(CASE WHEN contact_ms IS NOT NULL THEN 1 ELSE 0 END) AS followed,
       SUM(CASE WHEN contact_ms IS NULL AND sent_ms >= ? THEN 1 ELSE 0 END) AS pending,
       COUNT(DISTINCT student_id) AS students
     FROM rm_nudges WHERE school = ? GROUP BY rule_id ORDER BY rule_id`,
    [windowOpensFrom, ctx.school]
  )
  const nudgeDays = await ctx.db.all(
    "SELECT rule_id, days_to_contact FROM rm_nudges WHERE school = ? AND days_to_contact IS NOT NULL",
    [ctx.school]
  )
  const page = query.page ?? 1
  const pageSize = query.pageSize ?? 50
  let total = 0
  let rows: Array<Views.FollowUpRow> = []
  if (ctx.policy.audience === "individual") {
    const where = ["school = ?"]
    const params: Array<string | number> = [ctx.school]
    if (query.ruleId !== undefined) {
      where.push("rule_id = ?")
      params.push(query.ruleId)
    }
    if (query.studentId !== undefined) {
      where.push("student_id = ?")
      params.push(query.studentId)
    }
    if (query.state === "done") where.push("done = 1")
    if (query.state === "due") {
      where.push("done = 0 AND due_on >= ?")
      params.push(today)
    }
    if (query.state === "overdue") {
      where.push("done = 0 AND due_on < ?")
      params.push(today)
    }
    total = num(
      (await ctx.db.all(`SELECT COUNT(*) AS n FROM rm_follow_ups WHERE ${where.join(" AND ")}`, params))[0],
      "n"
    )
    const pageRows = await ctx.db.all(
      `SELECT * FROM rm_follow_ups WHERE ${where.join(" AND ")} ORDER BY done, due_on, follow_up_id LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize]
    )
    rows = pageRows.map((row) => {
      const dueOn = str(row, "due_on")
      const done = num(row, "done") === 1
      const facultyIds: unknown = JSON.parse(str(row, "faculty_ids"))
      return {
        id: str(row, "follow_up_id"),
        ruleId: str(row, "rule_id"),
        state: done ? "done" : dueOn < today ? "overdue" : "due",
        dueOn,
        studentId: str(row, "student_id"),
        facultyIds: Array.isArray(facultyIds) ? facultyIds.map(String) : [],
        sentence: str(row, "sentence")
      }
    })
  }
  return {
    meta: meta(ctx),
    byRule: byRule.map((row) => {
      const students = num(row, "students")
      return {
        ruleId: str(row, "rule_id"),
        due: Suppression.cell(ctx.policy, num(row, "due"), students),
        overdue: Suppression.cell(ctx.policy, num(row, "overdue"), students),
        done: Suppression.cell(ctx.policy, num(row, "done"), students)
      }
    }),
    nudges: nudges.map((row) => {
      const ruleId = str(row, "rule_id")
      const students = num(row, "students")
      const days = nudgeDays.filter((d) => str(d, "rule_id") === ruleId).map((d) => num(d, "days_to_contact"))
      const decided = num(row, "sent") - num(row, "pending")
      return {
        ruleId,
        sent: Suppression.cell(ctx.policy, num(row, "sent"), students),
        followedByContact: Suppression.cell(ctx.policy, num(row, "followed"), students),
        // 0 while every nudge of the rule is still pending (core: undefined)
        share:
          decided === 0
            ? Suppression.cell(ctx.policy, 0, students)
            : Suppression.cell(ctx.policy, num(row, "followed") / decided, students),
        medianDaysToContact:
          days.length === 0 || Suppression.hides(ctx.policy, students) ? null : Concentration.median(days)
      }
    }),
    total,
    page,
    pageSize,
    rows
  }
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
