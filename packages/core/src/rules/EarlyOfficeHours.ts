/**
 * Built-in rule `early-office-hours`: visit the office hours of a course's faculty within
 * its first N weeks — early, while it is about curiosity, not only before exams.
 *
 * - fires: on the day a course starts (`CourseStarted.startedOn`), one follow-up per
 *   course naming its faculty, due `withinWeeks` weeks later;
 * - done: an `OfficeHoursVisited` with any of the course's faculty on or after the start
 *   day, however late it arrives (a visit after the due day is done late; `doneOn` says
 *   when).
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { addDays, ExpiresAfterDays, Priority, Weeks } from "./Schedule.js"

/**
 * The parameters of `early-office-hours`.
 *
 * - `withinWeeks` (default 4): weeks after the start of a course by which to visit;
 * - `priority` (default 7);
 * - `expiresAfterDays` (default 14): six weeks into a course, "early" is over.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({ withinWeeks: Weeks, priority: Priority, expiresAfterDays: ExpiresAfterDays })

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `early-office-hours`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = { withinWeeks: 4, priority: 7, expiresAfterDays: 14 }

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "early-office-hours"

const list = (ids: ReadonlyArray<string>): string =>
  ids.length === 1 ? `faculty ${ids[0]}` : `faculty ${ids.slice(0, -1).join(", ")} or ${ids[ids.length - 1]}`

/**
 * The `early-office-hours` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Visit the office hours of a course's faculty within its first N weeks.",
  events: ["CourseStarted", "OfficeHoursVisited"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, context }, params) => {
    const visits = new Map<string, Array<string>>()
    for (const event of events) {
      if (event.type !== "OfficeHoursVisited") continue
      const days = visits.get(event.data.facultyId) ?? []
      days.push(context.dateOf(event.occurredAt))
      visits.set(event.data.facultyId, days)
    }
    const drafts: Array<Draft> = []
    for (const event of events) {
      if (event.type !== "CourseStarted") continue
      const { courseId, startedOn } = event.data
      // Faculty who left are no one to visit; a course whose faculty all left asks nothing.
      const facultyIds = [...event.data.facultyIds].filter((f) => context.facultyHasLeft?.(f) !== true).sort()
      if (facultyIds.length === 0) continue
      const dueOn = addDays(startedOn, 7 * params.withinWeeks)
      let visitedOn: string | undefined
      for (const facultyId of facultyIds) {
        const first = visits.get(facultyId)?.find((day) => day >= startedOn)
        if (first !== undefined && (visitedOn === undefined || first < visitedOn)) visitedOn = first
      }
      drafts.push({
        facultyIds,
        subject: courseId,
        opensOn: startedOn,
        dueOn,
        doneOn: visitedOn,
        sentence: `Encourage ${studentId} to visit the office hours of ${list(facultyIds)} early in course ${courseId}, started on ${startedOn} (due by ${dueOn}).`
      })
    }
    return drafts
  }
})
