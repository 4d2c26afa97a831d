/**
 * Built-in rule `thank-you`: thank each faculty member who supervised a rotation (and,
 * unless switched off, who taught a course) within N days of its end.
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
import { addDays, Days } from "./Schedule.js"

/**
 * The parameters of `thank-you`.
 *
 * - `withinDays` (default 7): calendar days after the end by which to thank;
 * - `courses` (default true): also after courses, not only rotations.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({ withinDays: Days, courses: Schema.Boolean })

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
export const defaults: Parameters = { withinDays: 7, courses: true }

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "thank-you"

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
  evaluate: ({ events, context }, params) => {
    // Days on which the student thanked each faculty member, earliest first.
    const thanked = new Map<string, Array<string>>()
    for (const event of events) {
      if (event.type !== "FollowUpSent" || event.data.kind !== "thank-you") continue
      const days = thanked.get(event.data.facultyId) ?? []
      days.push(context.dateOf(event.occurredAt))
      thanked.set(event.data.facultyId, days)
    }
    const thankedOnOrAfter = (facultyId: string, day: string): string | undefined =>
      thanked.get(facultyId)?.find((on) => on >= day)

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
      for (const facultyId of event.data.facultyIds) {
        drafts.push({
          facultyIds: [facultyId],
          subject: what.subject,
          occasion: what.occasion,
          opensOn: endedOn,
          dueOn,
          doneOn: thankedOnOrAfter(facultyId, endedOn),
          sentence: `Thank faculty ${facultyId} for ${what.words} that ended on ${endedOn} (due by ${dueOn}).`
        })
      }
    }
    return drafts
  }
})
