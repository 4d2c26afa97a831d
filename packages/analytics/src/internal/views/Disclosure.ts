/**
 * What one reader could put together from every view it may request, and what is hidden
 * so that it cannot: the groups behind each aggregate table (graduation years of all
 * students for the trends, of active students for the letter cycles and the overview's
 * next cycle, specialties within a cycle, follow-up and nudge rules, departments, and each
 * month's support check-ins by graduation year) with their complementary-suppression plan.
 *
 * Every view that shows a group, or a total the group is part of, asks this module, so a
 * group is hidden alike in the overview, the detail views and their filtered answers.
 * Counts are of people (students, or faculty for departments), never of interactions. It
 * must never plan with anything but the read models' own counts for the requesting school.
 *
 * @since 0.2.0
 */
import * as Complementary from "../../Complementary.js"
import type { SqlRow } from "../../Sql.js"
import * as Suppression from "../../Suppression.js"
import { num, type ViewContext } from "./ViewContext.js"
import type { Cell } from "../../Views.js"

/**
 * A table's groups, how many people each holds, and its plan.
 *
 * @since 0.2.0
 * @category models
 */
export interface Partition<K> {
  readonly plan: Complementary.Plan<K>
  readonly population: ReadonlyMap<K, number>
}

/**
 * The plan for this reader: complementary suppression for aggregate readers, nothing hidden
 * for the others.
 *
 * @since 0.2.0
 * @category constructors
 */
export const partition = <K>(
  policy: Suppression.Policy,
  groups: ReadonlyArray<Complementary.Group<K>>,
  options: { readonly unlisted?: number; readonly populationOf?: (keys: ReadonlyArray<K>) => number } = {},
  suppressed: boolean = policy.audience === "aggregate"
): Partition<K> => {
  const unlisted = options.unlisted ?? 0
  return {
    plan: suppressed
      ? Complementary.plan(groups, { threshold: policy.threshold, ...options })
      : Complementary.showAll(groups, unlisted),
    population: new Map(groups.map((g) => [g.key, g.population]))
  }
}

/**
 * Students by graduation year: every student (the trends count every student of a year)
 * or the active ones (the letter cycles and the overview's next cycle). Students without a
 * graduation year are in the total and in no group.
 *
 * @since 0.2.0
 * @category partitions
 */
export const graduationYears = async (ctx: ViewContext, who: "all" | "active"): Promise<Partition<number>> => {
  const rows = await ctx.db.all(
    `SELECT graduation_year, COUNT(*) AS n FROM rm_students WHERE school = ?${who === "active" ? " AND active = 1" : ""}
     GROUP BY graduation_year ORDER BY graduation_year`,
    [ctx.school]
  )
  const groups: Array<Complementary.Group<number>> = []
  let unlisted = 0
  for (const row of rows) {
    if (row.graduation_year === null || row.graduation_year === undefined) unlisted += num(row, "n")
    else groups.push({ key: num(row, "graduation_year"), population: num(row, "n") })
  }
  return partition(ctx.policy, groups, { unlisted })
}

/**
 * Each month's students with support check-ins, by graduation year. Sensitive: planned for
 * every reader, deans included, since the school-wide month is shown to all and a class's
 * month is one filter away.
 *
 * @since 0.2.0
 * @category partitions
 */
export const checkIns = async (
  ctx: ViewContext,
  from: string,
  to: string
): Promise<ReadonlyMap<string, Partition<number>>> => {
  const rows = await ctx.db.all(
    `SELECT month, graduation_year, COUNT(*) AS n FROM rm_student_months
     WHERE school = ? AND month >= ? AND month <= ? AND support_check_ins > 0
     GROUP BY month, graduation_year ORDER BY month, graduation_year`,
    [ctx.school, from, to]
  )
  const byMonth = new Map<string, { groups: Array<Complementary.Group<number>>; unlisted: number }>()
  for (const row of rows) {
    const month = String(row.month)
    const entry = byMonth.get(month) ?? { groups: [], unlisted: 0 }
    if (row.graduation_year === null || row.graduation_year === undefined) entry.unlisted += num(row, "n")
    else entry.groups.push({ key: num(row, "graduation_year"), population: num(row, "n") })
    byMonth.set(month, entry)
  }
  return new Map(
    [...byMonth].map(([month, entry]) => [
      month,
      partition(ctx.policy, entry.groups, { unlisted: entry.unlisted }, true)
    ])
  )
}

/**
 * How many students have any follow-up (or nudge): the population of the rules' total.
 *
 * @since 0.2.0
 * @category partitions
 */
export const studentsWith = async (ctx: ViewContext, table: "rm_follow_ups" | "rm_nudges"): Promise<number> =>
  num((await ctx.db.all(`SELECT COUNT(DISTINCT student_id) AS n FROM ${table} WHERE school = ?`, [ctx.school]))[0], "n")

/**
 * Rules (of follow-ups or of nudges), each with the students it concerns. A student may
 * have follow-ups of several rules, so "Other" counts the students of its rules once: the
 * pairs are read only when some rule is small enough to roll.
 *
 * @since 0.2.0
 * @category partitions
 */
export const rules = async (
  ctx: ViewContext,
  table: "rm_follow_ups" | "rm_nudges",
  groups: ReadonlyArray<Complementary.Group<string>>
): Promise<Partition<string>> => {
  const needsPairs =
    ctx.policy.audience === "aggregate" && groups.some((group) => group.population < ctx.policy.threshold)
  if (!needsPairs) return partition(ctx.policy, groups)
  const pairs = await ctx.db.all(`SELECT DISTINCT rule_id, student_id FROM ${table} WHERE school = ?`, [ctx.school])
  const studentsOf = new Map<string, Array<string>>()
  for (const row of pairs) {
    const list = studentsOf.get(String(row.rule_id)) ?? []
    list.push(String(row.student_id))
    studentsOf.set(String(row.rule_id), list)
  }
  const populationOf = (keys: ReadonlyArray<string>) => new Set(keys.flatMap((key) => studentsOf.get(key) ?? [])).size
  return partition(ctx.policy, groups, { populationOf })
}

/**
 * One line of a planned table: a group's counts, how many people are behind them, and why
 * its numbers are hidden (`undefined`: shown if the population is large enough).
 *
 * @since 0.2.0
 * @category models
 */
export interface Line<C> {
  readonly counts: C
  readonly population: number
  readonly hidden: Complementary.HiddenBecause | undefined
}

/**
 * A planned table: the rows shown (or, filtered to one group, that group), "Other" (the
 * rolled groups and those no row lists, summed, as total minus the rows shown), and the total.
 *
 * @since 0.2.0
 * @category models
 */
export interface Lines<K, C> {
  readonly rows: ReadonlyArray<Line<C> & { readonly key: K }>
  readonly other: (Line<C> & { readonly keys: ReadonlyArray<K> }) | null
  readonly total: Line<C>
}

/**
 * Lays a table out by its plan. Counts must add up over groups (`minus` takes one group's
 * counts from another's): "Other" is the total minus the rows shown, exactly what a reader
 * could compute. When the total itself is hidden (`total.hidden`, decided by a larger
 * table this one is a row of), every group is hidden with it.
 *
 * @since 0.2.0
 * @category operations
 */
export const lines = <K, C>(
  policy: Suppression.Policy,
  table: Partition<K>,
  counts: ReadonlyMap<K, C>,
  total: { readonly counts: C; readonly population: number; readonly hidden?: Complementary.HiddenBecause | undefined },
  minus: (from: C, part: C) => C,
  only?: K
): Lines<K, C> => {
  const hiddenOf = (key: K): Complementary.HiddenBecause | undefined => {
    if (total.hidden === undefined) return Complementary.hiddenBecause(table.plan, key)
    return (table.population.get(key) ?? 0) < policy.threshold ? "small-group" : total.hidden
  }
  const rows = [...counts].map(([key, own]) => ({
    key,
    counts: own,
    population: table.population.get(key) ?? 0,
    hidden: hiddenOf(key)
  }))
  const shown = rows.filter((row) => row.hidden === undefined)
  const rolled = rows.filter((row) => row.hidden !== undefined)
  const hasOther = total.hidden === undefined ? Complementary.hasOther(table.plan) : rolled.length > 0
  return {
    rows: only === undefined ? shown : rows.filter((row) => row.key === only),
    other:
      only !== undefined || !hasOther
        ? null
        : {
            keys: rolled.map((row) => row.key),
            counts: shown.reduce((rest, row) => minus(rest, row.counts), total.counts),
            population:
              total.hidden === undefined
                ? table.plan.otherPopulation
                : shown.reduce((rest, row) => rest - row.population, total.population),
            hidden: total.hidden ?? (table.plan.otherShown ? undefined : "small-group")
          },
    total: { counts: total.counts, population: total.population, hidden: total.hidden }
  }
}

/**
 * The cell of one of a line's counts: hidden for the line's reason, or as its population says.
 *
 * @since 0.2.0
 * @category operations
 */
export const cellOf =
  (policy: Suppression.Policy, line: Line<unknown>) =>
  (value: number): Cell =>
    Suppression.planned(policy, value, line.population, line.hidden)

/**
 * Whether a line's numbers are shown (statistics that are not counts, such as medians, are
 * shown with them or not at all).
 *
 * @since 0.2.0
 * @category operations
 */
export const isShown = (policy: Suppression.Policy, line: Line<unknown>): boolean =>
  line.hidden === undefined && !Suppression.hides(policy, line.population)

/**
 * Counts of the whole minus the parts, row by row (matched on `key`, a month say): what a
 * reader computes from a total and the rows shown.
 *
 * @since 0.2.0
 * @category operations
 */
export const remainder = (
  totals: ReadonlyArray<SqlRow>,
  parts: ReadonlyArray<SqlRow>,
  measures: ReadonlyArray<string>,
  key = "month"
): Array<SqlRow> =>
  totals.map((row) => {
    const out: SqlRow = { [key]: row[key] }
    for (const m of measures) {
      out[m] = parts.reduce((rest, part) => (part[key] === row[key] ? rest - num(part, m) : rest), num(row, m))
    }
    return out
  })
