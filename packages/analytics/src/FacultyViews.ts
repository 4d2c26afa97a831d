/**
 * The faculty dashboard: mentoring load by department, concentration (top-10% share and
 * Gini coefficient, as core's School.summarize computes them), letters written, and for
 * `dashboards:read` the faculty table with filters, sorting and paging. Aggregate readers
 * get no individual rows and no shares of groups smaller than the threshold.
 *
 * @since 0.1.0
 */
import { Concentration } from "@rapport/core"
import type { FacultyQuery } from "./Filters.js"
import * as Suppression from "./Suppression.js"
import { meta, nowTimes, nullableStr, num, pairTierSql, str, type ViewContext } from "./ViewContext.js"
import type * as Views from "./Views.js"

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
