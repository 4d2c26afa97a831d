/**
 * The follow-ups dashboard: due, overdue, done and expired by rule, whether nudges led to contact
 * (share of decided nudges and median calendar days, as core's Nudge.summarize), each table
 * with its "Other" rules and total (Disclosure.ts plans them), and for `dashboards:read`
 * the follow-ups themselves with filters and paging: by default the current window (due in
 * the last 30 days or the next 14, core's `FollowUp.currentWindow`), the most important first
 * (open ones, then by priority, due date and id: core's `FollowUp.compareImportance`).
 *
 * A row's state is decided here from the day, as core decides it: done when it was done,
 * expired once past `expires_on`, overdue once past `due_on`, due before.
 *
 * @since 0.1.0
 */
import { Concentration, FollowUp, Nudge, Schedule } from "@rapport/core"
import * as Clock from "../../Clock.js"
import * as Disclosure from "./Disclosure.js"
import type { FollowUpsQuery } from "../../Filters.js"
import type { SqlRow } from "../../Sql.js"
import { meta, num, str, type ViewContext } from "./ViewContext.js"
import type * as Views from "../../Views.js"

/**
 * @since 0.1.0
 * @category views
 */
export const followUps = async (ctx: ViewContext, query: FollowUpsQuery): Promise<Views.FollowUps> => {
  const today = ctx.clock.today
  const byRule = await ctx.db.all(
    `SELECT rule_id, SUM(CASE WHEN done = 0 AND due_on >= ? THEN 1 ELSE 0 END) AS due,
       SUM(CASE WHEN done = 0 AND due_on < ? AND expires_on >= ? THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN done = 1 THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN done = 0 AND expires_on < ? THEN 1 ELSE 0 END) AS expired,
       COUNT(DISTINCT student_id) AS students
     FROM rm_follow_ups WHERE school = ? GROUP BY rule_id ORDER BY rule_id`,
    [today, today, today, today, ctx.school]
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
  const window = query.window ?? "current"
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
      where.push("done = 0 AND due_on < ? AND expires_on >= ?")
      params.push(today, today)
    }
    if (query.state === "expired") {
      where.push("done = 0 AND expires_on < ?")
      params.push(today)
    }
    if (window === "current") {
      // newly due or coming due; without a state, what is still asked for
      where.push("due_on >= ? AND due_on <= ?")
      params.push(
        Schedule.addDays(today, -FollowUp.currentWindow.pastDays),
        Schedule.addDays(today, FollowUp.currentWindow.aheadDays)
      )
      if (query.state === undefined) {
        where.push("done = 0 AND expires_on >= ?")
        params.push(today)
      }
    }
    if (query.perStudent !== undefined) {
      // each student's most important open follow-ups (core's RuleEngine.topFew)
      where.push(
        `follow_up_id IN (SELECT follow_up_id FROM (SELECT follow_up_id, ROW_NUMBER() OVER (PARTITION BY student_id
           ORDER BY priority, due_on, follow_up_id) AS rank FROM rm_follow_ups
           WHERE school = ? AND done = 0 AND expires_on >= ?) AS ranked WHERE rank <= ?)`
      )
      params.push(ctx.school, today, query.perStudent)
    }
    total = num(
      (await ctx.db.all(`SELECT COUNT(*) AS n FROM rm_follow_ups WHERE ${where.join(" AND ")}`, params))[0],
      "n"
    )
    const pageRows = await ctx.db.all(
      `SELECT * FROM rm_follow_ups WHERE ${where.join(" AND ")}
       ORDER BY CASE WHEN done = 0 AND expires_on >= ? THEN 0 ELSE 1 END, priority, due_on, follow_up_id
       LIMIT ? OFFSET ?`,
      [...params, today, pageSize, (page - 1) * pageSize]
    )
    rows = pageRows.map((row) => {
      const dueOn = str(row, "due_on")
      const expiresOn = str(row, "expires_on")
      const done = num(row, "done") === 1
      const facultyIds: unknown = JSON.parse(str(row, "faculty_ids"))
      return {
        id: str(row, "follow_up_id"),
        ruleId: str(row, "rule_id"),
        state: FollowUp.stateOn(dueOn, done, today, expiresOn),
        dueOn,
        studentId: str(row, "student_id"),
        facultyIds: Array.isArray(facultyIds) ? facultyIds.map(String) : [],
        sentence: str(row, "sentence"),
        expiresOn,
        priority: num(row, "priority")
      }
    })
  }
  const rules = await byRules(
    ctx,
    "rm_follow_ups",
    byRule,
    { due: 0, overdue: 0, done: 0, expired: 0 },
    combineRules,
    (row) => ({
      due: num(row, "due"),
      overdue: num(row, "overdue"),
      done: num(row, "done"),
      expired: num(row, "expired")
    })
  )
  const nudgeLines = await byRules(
    ctx,
    "rm_nudges",
    nudges,
    { sent: 0, followed: 0, pending: 0 },
    combineNudges,
    nudgeCountsOf
  )
  // days to contact of some rules, for their median
  const daysOf = (ruleIds: ReadonlyArray<string>) =>
    nudgeDays
      .filter((d) => ruleIds.includes(str(d, "rule_id")))
      .flatMap((d) => Array.from({ length: num(d, "n") }, () => num(d, "days_to_contact")))
  const nudgeCells = (line: Disclosure.Line<NudgeCounts>, ruleIds: ReadonlyArray<string>) => {
    const cell = Disclosure.cellOf(ctx.policy, line)
    const decided = line.counts.sent - line.counts.pending
    const days = daysOf(ruleIds)
    return {
      sent: cell(line.counts.sent),
      followedByContact: cell(line.counts.followed),
      // 0 while every nudge of the rule is still pending (core: undefined)
      share: cell(decided === 0 ? 0 : line.counts.followed / decided),
      medianDaysToContact:
        days.length === 0 || !Disclosure.isShown(ctx.policy, line) ? null : Concentration.median(days)
    }
  }
  const ruleCells = (line: Disclosure.Line<RuleCounts>) => {
    const cell = Disclosure.cellOf(ctx.policy, line)
    return {
      due: cell(line.counts.due),
      overdue: cell(line.counts.overdue),
      done: cell(line.counts.done),
      expired: cell(line.counts.expired)
    }
  }
  return {
    meta: meta(ctx),
    byRule: rules.rows.map((row) => ({ ruleId: row.key, ...ruleCells(row) })),
    otherRules: rules.other === null ? null : { ruleIds: [...rules.other.keys], ...ruleCells(rules.other) },
    rulesTotal: ruleCells(rules.total),
    nudges: nudgeLines.rows.map((row) => ({ ruleId: row.key, ...nudgeCells(row, [row.key]) })),
    otherNudges:
      nudgeLines.other === null
        ? null
        : { ruleIds: [...nudgeLines.other.keys], ...nudgeCells(nudgeLines.other, nudgeLines.other.keys) },
    nudgesTotal: nudgeCells(
      nudgeLines.total,
      nudges.map((row) => str(row, "rule_id"))
    ),
    window,
    total,
    page,
    pageSize,
    rows
  }
}

const nudgeCountsOf = (row: SqlRow): NudgeCounts => ({
  sent: num(row, "sent"),
  followed: num(row, "followed"),
  pending: num(row, "pending")
})

/**
 * A table by rule, planned. Its total is the sum of its rules, and its population every
 * student behind them (the overview's follow-ups are this total), never the school: a total
 * over a few students' rules would give away what their rules' rows hide.
 */
const byRules = async <C>(
  ctx: ViewContext,
  table: "rm_follow_ups" | "rm_nudges",
  rows: ReadonlyArray<SqlRow>,
  zero: C,
  combine: (sign: 1 | -1) => (a: C, b: C) => C,
  countsOf: (row: SqlRow) => C
) => {
  const counts = new Map(rows.map((row) => [str(row, "rule_id"), countsOf(row)]))
  return Disclosure.lines(
    ctx.policy,
    await Disclosure.rules(
      ctx,
      table,
      rows.map((row) => ({ key: str(row, "rule_id"), population: num(row, "students") }))
    ),
    counts,
    { counts: [...counts.values()].reduce(combine(1), zero), population: await Disclosure.studentsWith(ctx, table) },
    combine(-1)
  )
}

interface RuleCounts {
  readonly due: number
  readonly overdue: number
  readonly done: number
  readonly expired: number
}

/** adds (1) or takes away (-1) a group's counts */
const combineRules =
  (sign: 1 | -1) =>
  (a: RuleCounts, b: RuleCounts): RuleCounts => ({
    due: a.due + sign * b.due,
    overdue: a.overdue + sign * b.overdue,
    done: a.done + sign * b.done,
    expired: a.expired + sign * b.expired
  })

interface NudgeCounts {
  readonly sent: number
  readonly followed: number
  readonly pending: number
}

/** adds (1) or takes away (-1) a group's counts */
const combineNudges =
  (sign: 1 | -1) =>
  (a: NudgeCounts, b: NudgeCounts): NudgeCounts => ({
    sent: a.sent + sign * b.sent,
    followed: a.followed + sign * b.followed,
    pending: a.pending + sign * b.pending
  })
