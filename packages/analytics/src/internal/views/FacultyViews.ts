/**
 * The faculty dashboard: mentoring load by department, concentration (top-10% share and
 * Gini coefficient, as core's School.summarize computes them), letters written, and for
 * `dashboards:read` the faculty table with filters, sorting and paging. Aggregate readers
 * get no individual rows and no shares of groups smaller than the threshold; departments of
 * fewer faculty than the threshold are summed in "Other" beside the total (Disclosure.ts).
 *
 * @since 0.1.0
 */
import { Concentration } from "@rapport/core"
import * as Disclosure from "./Disclosure.js"
import type { FacultyQuery } from "../../Filters.js"
import * as Suppression from "../../Suppression.js"
import { meta, nowTimes, nullableStr, num, str, type ViewContext } from "./ViewContext.js"
import type * as Views from "../../Views.js"

const tierKeys = ["acquainted", "developing", "strong", "advocate"] as const

/** the pairs of active students mentored now, one row per pair (MATERIALIZED: see `faculty`) */
const mentoringNow = `WITH m AS MATERIALIZED (
       SELECT faculty_id FROM rm_pairs WHERE school = ? AND mentoring_until_ms > ? AND student_active = 1)`

/**
 * The median mentoring load of the school's active faculty now, those without mentees
 * included (as core's Faculty.summarize compares a load with its peers); `null` without
 * active faculty.
 *
 * @since 0.1.0
 * @category views
 */
export const peerMedian = async (ctx: ViewContext): Promise<number | null> => {
  const active = await ctx.db.all("SELECT faculty_id FROM rm_faculty WHERE school = ? AND status = 'active'", [
    ctx.school
  ])
  if (active.length === 0) return null
  const loads = await ctx.db.all(`${mentoringNow} SELECT faculty_id, COUNT(*) AS n FROM m GROUP BY faculty_id`, [
    ctx.school,
    ctx.clock.nowMs
  ])
  const byFaculty = new Map(loads.map((row) => [str(row, "faculty_id"), num(row, "n")]))
  return Concentration.median(active.map((row) => byFaculty.get(str(row, "faculty_id")) ?? 0))
}

/**
 * @since 0.1.0
 * @category views
 */
export const faculty = async (ctx: ViewContext, query: FacultyQuery): Promise<Views.Faculty> => {
  const now = ctx.clock.nowMs
  // Every count below is over pairs of active students. The tier thresholds are nested (a
  // configuration rule), so each tier's pairs are those over its threshold minus those over
  // the next one's: one pass over the covering index of active students' pairs by faculty
  // (rm_pairs_mentees) counts every faculty member's mentees by tier; the mentoring pairs
  // come from the covering index of mentoring until (rm_pairs_mentors; MATERIALIZED keeps
  // SQLite from trading it for one that merely matches the GROUP BY). "none" is the rest of
  // each member's mentee population, which the projector keeps (active_pairs).
  const members = await ctx.db.all(
    "SELECT faculty_id, department, status, active_pairs, letters_submitted FROM rm_faculty WHERE school = ? ORDER BY faculty_id",
    [ctx.school]
  )
  const tiered = await ctx.db.all(
    `SELECT faculty_id, COUNT(*) AS acquainted,
       SUM(CASE WHEN developing_until_ms > ? THEN 1 ELSE 0 END) AS developing,
       SUM(CASE WHEN strong_until_ms > ? THEN 1 ELSE 0 END) AS strong,
       SUM(CASE WHEN advocate_until_ms > ? THEN 1 ELSE 0 END) AS advocate
     FROM rm_pairs WHERE school = ? AND student_active = 1 AND acquainted_until_ms > ? GROUP BY faculty_id`,
    [...nowTimes(ctx, 3), ctx.school, now]
  )
  const mentors = await ctx.db.all(`${mentoringNow} SELECT faculty_id, COUNT(*) AS n FROM m GROUP BY faculty_id`, [
    ctx.school,
    now
  ])
  const perFaculty = new Map<
    string,
    { mentoring: number; developing: number; mentees: Record<(typeof tierKeys)[number], number> }
  >()
  const ofFaculty = (id: string) => {
    let counts = perFaculty.get(id)
    if (counts === undefined) {
      counts = { mentoring: 0, developing: 0, mentees: { acquainted: 0, developing: 0, strong: 0, advocate: 0 } }
      perFaculty.set(id, counts)
    }
    return counts
  }
  for (const row of tiered) {
    const counts = ofFaculty(str(row, "faculty_id"))
    // at or above each threshold, then each tier alone
    const [acquainted, developing, strong, advocate] = tierKeys.map((key) => num(row, key))
    counts.developing += developing ?? 0
    counts.mentees.acquainted += (acquainted ?? 0) - (developing ?? 0)
    counts.mentees.developing += (developing ?? 0) - (strong ?? 0)
    counts.mentees.strong += (strong ?? 0) - (advocate ?? 0)
    counts.mentees.advocate += advocate ?? 0
  }
  for (const row of mentors) ofFaculty(str(row, "faculty_id")).mentoring += num(row, "n")
  const departmentOf = (row: (typeof members)[number]) => nullableStr(row, "department") ?? "(unknown)"
  const active = members.filter((row) => str(row, "status") === "active")
  const loads = active.map((row) => {
    const counts = perFaculty.get(str(row, "faculty_id"))
    return { department: departmentOf(row), mentoring: counts?.mentoring ?? 0, developing: counts?.developing ?? 0 }
  })
  const hideFew = (population: number) => Suppression.hides(ctx.policy, population)
  const mentoring = loads.map((load) => load.mentoring)
  const developing = loads.map((load) => load.developing)
  const overall = Concentration.concentration(mentoring, developing, ctx.topFacultyShare)
  const totalPairs = mentoring.reduce((a, b) => a + b, 0)
  // Peers are every active faculty member, those without mentees included (core's
  // Faculty.summarize): a load is compared with the typical colleague, not the typical mentor.
  const median = mentoring.length === 0 ? null : Concentration.median(mentoring)
  const byDepartment = new Map<string, Array<(typeof active)[number]>>()
  for (const row of active) {
    const department = departmentOf(row)
    const list = byDepartment.get(department) ?? []
    list.push(row)
    byDepartment.set(department, list)
  }
  const counts = new Map<string, DepartmentCounts>()
  for (const [department, rows] of [...byDepartment].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const own = { ...noFaculty, faculty: rows.length }
    for (const row of rows) {
      const mentees = perFaculty.get(str(row, "faculty_id"))
      let tieredPairs = 0
      for (const key of tierKeys) {
        const n = mentees?.mentees[key] ?? 0
        own[key] += n
        tieredPairs += n
      }
      own.none += num(row, "active_pairs") - tieredPairs
      own.pairs += mentees?.mentoring ?? 0
      own.submitted += num(row, "letters_submitted")
    }
    counts.set(department, own)
  }
  // Departments are groups of faculty: the threshold counts faculty members.
  const laid = Disclosure.lines(
    ctx.policy,
    Disclosure.partition(
      ctx.policy,
      [...counts].map(([key, c]) => ({ key, population: c.faculty }))
    ),
    counts,
    { counts: [...counts.values()].reduce(combineDepartments(1), noFaculty), population: loads.length },
    combineDepartments(-1)
  )
  const departmentCells = (line: Disclosure.Line<DepartmentCounts>, departments: ReadonlyArray<string>) => {
    const cell = Disclosure.cellOf(ctx.policy, line)
    const ofDepartments = loads.filter((load) => departments.includes(load.department))
    const concentration = Concentration.concentration(
      ofDepartments.map((load) => load.mentoring),
      ofDepartments.map((load) => load.developing),
      ctx.topFacultyShare
    )
    const shown = Disclosure.isShown(ctx.policy, line)
    return {
      faculty: cell(line.counts.faculty),
      menteesByTier: {
        none: cell(line.counts.none),
        acquainted: cell(line.counts.acquainted),
        developing: cell(line.counts.developing),
        strong: cell(line.counts.strong),
        advocate: cell(line.counts.advocate)
      },
      activeMentoringPairs: cell(line.counts.pairs),
      lettersSubmitted: cell(line.counts.submitted),
      topDecileShare: shown ? concentration.top.share : null,
      gini: shown ? concentration.gini : null
    }
  }
  const departments: Array<Views.DepartmentLoad> = laid.rows.map((row) => ({
    department: row.key,
    ...departmentCells(row, [row.key])
  }))
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
    if (query.status === "active" || query.status === "left") {
      where.push("f.status = ?")
      params.push(query.status)
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
      `${mentoringNow},
         loads AS MATERIALIZED (SELECT faculty_id, COUNT(*) AS mentoring FROM m GROUP BY faculty_id)
       SELECT f.*, COALESCE(l.mentoring, 0) AS mentoring
       FROM rm_faculty f LEFT JOIN loads l ON l.faculty_id = f.faculty_id
       WHERE ${where.join(" AND ")} ORDER BY ${sort} LIMIT ? OFFSET ?`,
      [ctx.school, now, ...params, pageSize, (page - 1) * pageSize]
    )
    rows = pageRows.map((row) => {
      const id = str(row, "faculty_id")
      const mentees = { acquainted: 0, developing: 0, strong: 0, advocate: 0, ...perFaculty.get(id)?.mentees }
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
    otherDepartments:
      laid.other === null
        ? null
        : { departments: [...laid.other.keys], ...departmentCells(laid.other, laid.other.keys) },
    departmentsTotal: departmentCells(laid.total, [...counts.keys()]),
    // the typical colleague's load, hidden with the concentration figures for a small faculty
    peerMedian: hideFew(loads.length) ? null : median,
    total,
    page,
    pageSize,
    rows
  }
}

interface DepartmentCounts {
  readonly faculty: number
  readonly none: number
  readonly acquainted: number
  readonly developing: number
  readonly strong: number
  readonly advocate: number
  readonly pairs: number
  readonly submitted: number
}

const noFaculty: DepartmentCounts = {
  faculty: 0,
  none: 0,
  acquainted: 0,
  developing: 0,
  strong: 0,
  advocate: 0,
  pairs: 0,
  submitted: 0
}

/** adds (1) or takes away (-1) a group's counts */
const combineDepartments =
  (sign: 1 | -1) =>
  (a: DepartmentCounts, b: DepartmentCounts): DepartmentCounts => ({
    faculty: a.faculty + sign * b.faculty,
    none: a.none + sign * b.none,
    acquainted: a.acquainted + sign * b.acquainted,
    developing: a.developing + sign * b.developing,
    strong: a.strong + sign * b.strong,
    advocate: a.advocate + sign * b.advocate,
    pairs: a.pairs + sign * b.pairs,
    submitted: a.submitted + sign * b.submitted
  })
