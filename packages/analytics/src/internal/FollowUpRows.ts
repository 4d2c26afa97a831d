/**
 * A student's follow-ups and nudge outcomes as of a date, as the rows `rm_follow_ups` and
 * `rm_nudges` hold. Follow-ups depend on "today" as well as on events, so the projector
 * evaluates them apart from the rows a batch plans (FollowUpSchedule.ts).
 *
 * This module must never write SQL or read the clock (`asOf` is given).
 *
 * @since 0.2.0
 */
import { type FollowUp, Nudge, RuleContext, RuleEngine } from "@rapport/core"
import type { FollowUpRows, StudentFollowUpRows } from "./Rows.js"
import type { SchoolProjection } from "./SchoolProjection.js"

/**
 * A student's follow-ups and nudge outcomes as of the flush.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentFollowUps {
  readonly studentId: string
  readonly followUps: ReadonlyArray<FollowUp.FollowUp>
  readonly nudges: ReadonlyArray<Nudge.Outcome>
}

/**
 * A student's follow-ups and nudge outcomes as of `asOf` (the list is core's: at most one
 * open follow-up per pair, none naming faculty who left).
 *
 * @since 0.1.0
 * @category operations
 */
export const followUpsOf = (
  projection: SchoolProjection,
  context: RuleContext.RuleContext,
  studentId: string,
  asOf: string
): StudentFollowUps => {
  const followUps = RuleEngine.evaluateStudent(
    projection.followUpRules,
    projection.rules.state,
    studentId,
    asOf,
    context
  )
  const own = projection.rules.state.students.get(studentId)
  const single: RuleEngine.State = {
    ...projection.rules.state,
    students: own === undefined ? new Map() : new Map([[studentId, own]])
  }
  return { studentId, followUps, nudges: Nudge.outcomes(single, asOf, context, { followUps }) }
}

/**
 * The columns a student's follow-up and nudge rows hold (without school and student).
 *
 * @since 0.2.0
 * @category operations
 */
export const rowsOf = (own: StudentFollowUps): FollowUpRows => ({
  followUps: own.followUps.map(
    (f) =>
      [
        f.id,
        f.ruleId,
        JSON.stringify(f.facultyIds),
        f.dueOn,
        f.state === "done" ? 1 : 0,
        f.sentence,
        f.expiresOn,
        f.priority
      ] as const
  ),
  nudges: own.nudges.map((n) => {
    const followed = n.followedByContact && n.contactAt !== undefined
    return [
      n.nudgeId,
      n.ruleId,
      Date.parse(n.sentAt),
      followed ? Date.parse(n.contactAt ?? "") : null,
      // calendar days in the school's time zone, as core counts them (not elapsed hours)
      followed ? (n.daysToContact ?? null) : null
    ] as const
  })
})

/**
 * The follow-up rows of some students (those the state still knows and did not erase).
 *
 * @since 0.2.0
 * @category operations
 */
export const rowsFor = (
  projection: SchoolProjection,
  students: Iterable<string>,
  asOf: string
): ReadonlyArray<StudentFollowUpRows> => {
  const context = RuleContext.fromState(projection.fold.state, asOf)
  const out: Array<StudentFollowUpRows> = []
  for (const studentId of students) {
    if (!projection.fold.state.students.has(studentId) || projection.fold.isErased(studentId)) continue
    out.push({ studentId, rows: rowsOf(followUpsOf(projection, context, studentId, asOf)) })
  }
  return out
}
