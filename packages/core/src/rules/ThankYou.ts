/**
 * Built-in rule `thank-you`: thank each faculty member who supervised a rotation (and,
 * when a school switches it on, who taught a course) within N days of its end.
 *
 * Courses are off by default: a lecture course's director taught a hundred students from a
 * podium, and a note nobody writes is a backlog, not a relationship (in the demo school
 * four in five thank-you follow-ups were for lecture courses, and 86% were never done). A
 * rotation's attending saw the student work for weeks: that note stays.
 *
 * One follow-up per rotation by default, naming its faculty, done by a note to any of
 * them: a four-week block has about four attendings, most of whom overlapped with the
 * student for a week or so, and the habit is one note to the one who supervised — not
 * four notes nobody writes. `eachFaculty` asks for a note to each instead.
 *
 * - fires: on the day a rotation or course ends (`endedOn`), one follow-up per faculty
 *   member listed, due `withinDays` later;
 * - done: a `FollowUpSent` of kind `thank-you` from the student to that faculty member
 *   on or after the end date — however late it arrives, and even after the due date (it
 *   is then done late, which `doneOn` shows). One note thanks for every rotation and
 *   course with that person that had ended by then.
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { addDays, Days, ExpiresAfterDays, Priority } from "./Schedule.js"

/**
 * The parameters of `thank-you`.
 *
 * - `withinDays` (default 7): calendar days after the end by which to thank;
 * - `courses` (default false): also after courses, not only rotations;
 * - `eachFaculty` (default false): one follow-up per faculty member listed instead of one
 *   per rotation or course;
 * - `priority` (default 8, the least important of the built-ins);
 * - `expiresAfterDays` (default 21): a note a month after the rotation is still kind,
 *   one later is a chore.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({
  withinDays: Days,
  courses: Schema.Boolean,
  eachFaculty: Schema.Boolean,
  priority: Priority,
  expiresAfterDays: ExpiresAfterDays
})

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `thank-you`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = {
  withinDays: 7,
  courses: false,
  eachFaculty: false,
  priority: 8,
  expiresAfterDays: 21
}

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "thank-you"

const list = (ids: ReadonlyArray<string>): string =>
  ids.length === 1 ? `faculty ${ids[0]}` : `faculty ${ids.slice(0, -1).join(", ")} or ${ids[ids.length - 1]}`

/**
 * The `thank-you` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Thank the faculty of a rotation or course within N days of its end.",
  events: ["RotationCompleted", "CourseCompleted", "FollowUpSent"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, context }, params) => {
    // Days on which the student thanked each faculty member, earliest first.
    const thanked = new Map<string, Array<string>>()
    for (const event of events) {
      if (event.type !== "FollowUpSent" || event.data.kind !== "thank-you") continue
      const days = thanked.get(event.data.facultyId) ?? []
      days.push(context.dateOf(event.occurredAt))
      thanked.set(event.data.facultyId, days)
    }
    const thankedOnOrAfter = (facultyIds: ReadonlyArray<string>, day: string): string | undefined => {
      let first: string | undefined
      for (const facultyId of facultyIds) {
        const on = thanked.get(facultyId)?.find((d) => d >= day)
        if (on !== undefined && (first === undefined || on < first)) first = on
      }
      return first
    }

    const drafts: Array<Draft> = []
    for (const event of events) {
      if (event.type === "FollowUpSent") continue
      if (event.type === "CourseCompleted" && !params.courses) continue
      const endedOn = event.data.endedOn
      const dueOn = addDays(endedOn, params.withinDays)
      const what =
        event.type === "RotationCompleted"
          ? { subject: event.data.rotationId, occasion: "rotation", words: `the ${event.data.specialty} rotation` }
          : { subject: event.data.courseId, occasion: "course", words: `course ${event.data.courseId}` }
      // Faculty who left are no one to thank now.
      const present = [...new Set(event.data.facultyIds)].filter((f) => context.facultyHasLeft?.(f) !== true).sort()
      const groups = params.eachFaculty ? present.map((f) => [f]) : present.length > 0 ? [present] : []
      for (const facultyIds of groups) {
        drafts.push({
          facultyIds,
          subject: what.subject,
          occasion: what.occasion,
          opensOn: endedOn,
          dueOn,
          doneOn: thankedOnOrAfter(facultyIds, endedOn),
          sentence: `Encourage ${studentId} to thank ${list(facultyIds)} for ${what.words} that ended on ${endedOn} (due by ${dueOn}).`
        })
      }
    }
    return drafts
  }
})
