/**
 * Built-in rule `research-follow-through`: after starting a research role, meet the
 * faculty member who leads it within N days — volunteering is the start of the
 * relationship, not the whole of it.
 *
 * - fires: on the day a `ResearchRoleStarted` occurred, due `withinDays` later;
 * - done: a `MentorshipMeetingHeld` or `OfficeHoursVisited` with that faculty member on
 *   or after the start day, however late it arrives;
 * - a role that ended (`ResearchRoleEnded` for the same project and faculty) before any
 *   meeting drops the follow-up: there is nothing left to follow through.
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
 * The parameters of `research-follow-through`.
 *
 * - `withinDays` (default 14): calendar days after the start by which to meet;
 * - `priority` (default 5);
 * - `expiresAfterDays` (default 30): six weeks into a role, the two have worked together
 *   or the role has lapsed; either way the first meeting is no longer the question.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({ withinDays: Days, priority: Priority, expiresAfterDays: ExpiresAfterDays })

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `research-follow-through`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = { withinDays: 14, priority: 5, expiresAfterDays: 30 }

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "research-follow-through"

/**
 * The `research-follow-through` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Meet the faculty lead of a research role within N days of starting it.",
  events: ["ResearchRoleStarted", "ResearchRoleEnded", "MentorshipMeetingHeld", "OfficeHoursVisited"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, context }, params) => {
    const meetings = new Map<string, Array<string>>()
    const ended = new Map<string, string>()
    for (const event of events) {
      if (event.type === "MentorshipMeetingHeld" || event.type === "OfficeHoursVisited") {
        const days = meetings.get(event.data.facultyId) ?? []
        days.push(context.dateOf(event.occurredAt))
        meetings.set(event.data.facultyId, days)
      } else if (event.type === "ResearchRoleEnded") {
        const key = JSON.stringify([event.data.facultyId, event.data.projectId])
        if (!ended.has(key)) ended.set(key, context.dateOf(event.occurredAt))
      }
    }
    const drafts: Array<Draft> = []
    for (const event of events) {
      if (event.type !== "ResearchRoleStarted") continue
      const { facultyId, projectId } = event.data
      const startedOn = context.dateOf(event.occurredAt)
      const dueOn = addDays(startedOn, params.withinDays)
      const metOn = meetings.get(facultyId)?.find((day) => day >= startedOn)
      const endedOn = ended.get(JSON.stringify([facultyId, projectId]))
      if (metOn === undefined && endedOn !== undefined && endedOn >= startedOn) continue
      drafts.push({
        facultyIds: [facultyId],
        subject: projectId,
        opensOn: startedOn,
        dueOn,
        doneOn: metOn,
        sentence: `Check that ${studentId} has met faculty ${facultyId} about research project ${projectId}, started on ${startedOn} (due by ${dueOn}).`
      })
    }
    return drafts
  }
})
