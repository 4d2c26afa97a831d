/**
 * The students table: filters (graduation year, specialty, highest tier now, isolation,
 * stage, status, id prefix), sorting and paging done by the database on indexed columns. For
 * `dashboards:read` only: `aggregates:read` keys never see an individual student.
 *
 * @since 0.1.0
 */
import * as Clock from "../../Clock.js"
import type { StudentsQuery } from "../../Filters.js"
import { meta, pairTierSql as studentTierSql, stageSql, type ViewContext } from "./ViewContext.js"
import type { SqlRow } from "../../Sql.js"
import * as Suppression from "../../Suppression.js"
import type * as Views from "../../Views.js"

const num = (row: SqlRow | undefined, column: string): number => {
  const value = row?.[column]
  return value === null || value === undefined ? 0 : Number(value)
}
const str = (row: SqlRow, column: string): string => String(row[column] ?? "")

const tierCondition: Record<Views.StudentRow["highestTier"], string> = {
  advocate: "s.advocate_until_ms > ?",
  strong: "s.strong_until_ms > ? AND NOT COALESCE(s.advocate_until_ms > ?, FALSE)",
  developing: "s.developing_until_ms > ? AND NOT COALESCE(s.strong_until_ms > ?, FALSE)",
  acquainted: "s.acquainted_until_ms > ? AND NOT COALESCE(s.developing_until_ms > ?, FALSE)",
  none: "NOT COALESCE(s.acquainted_until_ms > ?, FALSE)"
}

const tiers = ["none", "acquainted", "developing", "strong", "advocate"] as const

const stages = ["new", "pre-clinical", "clinical", "applying"] as const

const asStage = (value: unknown): Views.StudentRow["stage"] => stages.find((s) => s === value) ?? null

const asTier = (value: string): Views.StudentRow["highestTier"] => tiers.find((t) => t === value) ?? "none"

/**
 * @since 0.1.0
 * @category views
 */
export const students = async (ctx: ViewContext, query: StudentsQuery): Promise<Views.Students> => {
  const now = ctx.clock.nowMs
  const where = ["s.school = ?"]
  const params: Array<string | number> = [ctx.school]
  const status = query.status ?? "active"
  // "active" is core's: enrolled and not on leave, withdrawn or graduated, or known only
  // from contact (status "unknown"): the same students the overview counts.
  if (status === "active") where.push("s.active = 1")
  else if (status !== "all") {
    where.push("s.status = ?")
    params.push(status)
  }
  if (query.graduationYear !== undefined) {
    where.push("s.graduation_year = ?")
    params.push(query.graduationYear)
  }
  if (query.specialty !== undefined) {
    where.push("s.specialty = ?")
    params.push(query.specialty)
  }
  if (query.q !== undefined && query.q !== "") {
    where.push("s.student_id LIKE ? ESCAPE '\\'")
    params.push(`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  }
  if (query.isolated !== undefined) {
    where.push(
      query.isolated === "true"
        ? "s.active = 1 AND s.isolated_from_ms <= ?"
        : "(s.active = 0 OR NOT COALESCE(s.isolated_from_ms <= ?, FALSE))"
    )
    params.push(now)
  }
  if (query.stage !== undefined) {
    where.push(`${stageSql("s")} = ?`)
    params.push(now, now, now, query.stage)
  }
  const base = [...where]
  const baseParams = [...params]
  if (query.tier !== undefined) {
    const condition = tierCondition[query.tier]
    where.push(condition)
    for (let i = 0; i < (condition.match(/\?/g) ?? []).length; i++) params.push(now)
  }
  const filter = where.join(" AND ")
  const total = num((await ctx.db.all(`SELECT COUNT(*) AS n FROM rm_students s WHERE ${filter}`, params))[0], "n")
  const tierExpression = studentTierSql("s")
  const distribution = await ctx.db.all(
    `SELECT ${tierExpression} AS tier, COUNT(*) AS n FROM rm_students s WHERE ${base.join(" AND ")} GROUP BY tier`,
    [now, now, now, now, ...baseParams]
  )
  const population = distribution.reduce((sum, row) => sum + num(row, "n"), 0)
  const byTier = {
    none: 0,
    acquainted: 0,
    developing: 0,
    strong: 0,
    advocate: 0
  }
  for (const row of distribution) byTier[asTier(str(row, "tier"))] += num(row, "n")
  const order =
    query.order === "desc"
      ? "DESC"
      : query.order === "asc"
        ? "ASC"
        : query.sort === "lastContact" || query.sort === "tier"
          ? "DESC"
          : "ASC"
  // Ties by student id in either order; no graduation year sorts last in either order (the
  // two databases put NULL at opposite ends otherwise).
  const sort =
    query.sort === "graduationYear"
      ? `CASE WHEN s.graduation_year IS NULL THEN 1 ELSE 0 END, s.graduation_year ${order}, s.student_id`
      : query.sort === "lastContact"
        ? `COALESCE(s.last_contact_ms, 0) ${order}, s.student_id`
        : query.sort === "relationships"
          ? `relationship_count ${order}, s.student_id`
          : query.sort === "tier"
            ? `tier_rank ${order}, s.student_id`
            : `s.student_id ${order}`
  const page = query.page ?? 1
  const pageSize = query.pageSize ?? 50
  const rows = await ctx.db.all(
    `SELECT s.*, ${tierExpression} AS tier, ${stageSql("s")} AS stage,
       CASE WHEN s.advocate_until_ms > ? THEN 4 WHEN s.strong_until_ms > ? THEN 3 WHEN s.developing_until_ms > ? THEN 2
            WHEN s.acquainted_until_ms > ? THEN 1 ELSE 0 END AS tier_rank,
       (SELECT COUNT(*) FROM rm_pairs p WHERE p.school = s.school AND p.student_id = s.student_id
          AND p.developing_until_ms > ?) AS relationship_count
     FROM rm_students s WHERE ${filter} ORDER BY ${sort} LIMIT ? OFFSET ?`,
    [now, now, now, now, now, now, now, now, now, now, now, now, ...params, pageSize, (page - 1) * pageSize]
  )
  const ids = rows.map((row) => str(row, "student_id"))
  const pairTiers =
    ids.length === 0
      ? []
      : await ctx.db.all(
          `SELECT p.student_id, ${studentTierSql("p")} AS tier, COUNT(*) AS n FROM rm_pairs p
           WHERE p.school = ? AND p.student_id IN (${ids.map(() => "?").join(",")}) GROUP BY p.student_id, tier`,
          [now, now, now, now, ctx.school, ...ids]
        )
  // Departments of the faculty a student is acquainted-or-better with now, as core counts them.
  const departments =
    ids.length === 0
      ? []
      : await ctx.db.all(
          `SELECT p.student_id, COUNT(DISTINCT f.department) AS n FROM rm_pairs p
           JOIN rm_faculty f ON f.school = p.school AND f.faculty_id = p.faculty_id
           WHERE p.school = ? AND p.student_id IN (${ids.map(() => "?").join(",")}) AND p.acquainted_until_ms > ?
             AND f.department IS NOT NULL
           GROUP BY p.student_id`,
          [ctx.school, ...ids, now]
        )
  return {
    meta: meta(ctx),
    total,
    page,
    pageSize,
    rows: rows.map((row) => {
      const id = str(row, "student_id")
      const relationships = { acquainted: 0, developing: 0, strong: 0, advocate: 0 }
      for (const t of pairTiers) {
        if (str(t, "student_id") !== id) continue
        const tier = asTier(str(t, "tier"))
        if (tier !== "none") relationships[tier] += num(t, "n")
      }
      const lastContact =
        row.last_contact_ms === null || row.last_contact_ms === undefined ? null : num(row, "last_contact_ms")
      const active = num(row, "active") === 1
      const highestTier = asTier(str(row, "tier"))
      const isolatedFrom =
        row.isolated_from_ms === null || row.isolated_from_ms === undefined ? null : num(row, "isolated_from_ms")
      return {
        studentId: id,
        displayName: null,
        status: str(row, "status"),
        graduationYear: row.graduation_year === null ? null : num(row, "graduation_year"),
        specialty: row.specialty === null ? null : str(row, "specialty"),
        highestTier,
        relationships,
        advocates: relationships.advocate,
        isolated: active && isolatedFrom !== null && isolatedFrom <= now,
        stage: asStage(row.stage),
        lastContactAt: lastContact === null ? null : new Date(lastContact).toISOString(),
        daysSinceContact: lastContact === null ? null : Clock.daysSince(ctx.clock, lastContact),
        departmentsReached: num(
          departments.find((d) => str(d, "student_id") === id),
          "n"
        )
      }
    }),
    byTier: {
      none: Suppression.cell(ctx.policy, byTier.none, population),
      acquainted: Suppression.cell(ctx.policy, byTier.acquainted, population),
      developing: Suppression.cell(ctx.policy, byTier.developing, population),
      strong: Suppression.cell(ctx.policy, byTier.strong, population),
      advocate: Suppression.cell(ctx.policy, byTier.advocate, population)
    }
  }
}
