/**
 * The follow-ups dashboard: due, overdue and done by rule, whether nudges led to contact
 * (share of decided nudges and median calendar days, as core's Nudge.summarize), and for
 * `dashboards:read` the follow-ups themselves with filters and paging.
 *
 * @since 0.1.0
 */
import { Concentration, Nudge } from "@rapport/core"
import * as Clock from "./Clock.js"
import type { FollowUpsQuery } from "./Filters.js"
import * as Suppression from "./Suppression.js"
import { meta, num, str, type ViewContext } from "./ViewContext.js"
import type * as Views from "./Views.js"

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
  // days to contact as a histogram (whole days: a few rows per rule, not one per nudge)
  const nudgeDays = await ctx.db.all(
    `SELECT rule_id, days_to_contact, COUNT(*) AS n FROM rm_nudges
     WHERE school = ? AND days_to_contact IS NOT NULL GROUP BY rule_id, days_to_contact`,
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
      const days = nudgeDays
        .filter((d) => str(d, "rule_id") === ruleId)
        .flatMap((d) => Array.from({ length: num(d, "n") }, () => num(d, "days_to_contact")))
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
