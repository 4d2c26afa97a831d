/**
 * The school's nudging system: for some follow-ups that fall due (a thank-you not sent, a
 * mentor not met, a research role gone quiet, letters not lined up), it sends the student
 * a nudge and posts `NudgeSent`, naming the rule and the follow-up, so that Rapport can
 * measure whether nudges lead to contact. Whether the student then acts is the student's
 * habit (`nudgeResponse`), decided by the caller.
 *
 * Rule ids are those of @rapport/core's built-in follow-up rules, so that a nudge and the
 * follow-up it answers can be joined.
 *
 * @since 0.1.0
 */
import type { Faculty, Student } from "./People.js"
import type { World } from "./World.js"

/**
 * The ids of the built-in follow-up rules the nudging system sends nudges for.
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleIds = {
  thankYou: "thank-you",
  stayInTouch: "stay-in-touch",
  mentorCadence: "mentor-cadence",
  letterReadiness: "letter-readiness",
  letterPipeline: "letter-pipeline",
  earlyOfficeHours: "early-office-hours",
  researchFollowThrough: "research-follow-through"
} as const

/**
 * A rule id.
 *
 * @since 0.1.0
 * @category models
 */
export type RuleId = (typeof ruleIds)[keyof typeof ruleIds]

/**
 * The id of the follow-up a nudge answers: the rule, the people and what it is about.
 *
 * @since 0.1.0
 * @category constructors
 */
export const followUpId = (rule: RuleId, student: Student, faculty: Faculty | undefined, about: string): string =>
  `${rule}:${student.id}:${faculty?.id ?? "-"}:${about}`.slice(0, 128)

/**
 * Sends a nudge at `when` if the share of follow-ups the system nudges says so; returns
 * whether a nudge went out.
 *
 * @since 0.1.0
 * @category operations
 */
export const maybeNudge = (
  world: World,
  when: number,
  rule: RuleId,
  student: Student,
  faculty: Faculty | undefined,
  about: string
): boolean => {
  if (!world.rng.chance(world.behaviour.nudgeShare)) return false
  const channel = world.rng.chance(0.7) ? "email" : "message"
  const followUp = followUpId(rule, student, faculty, about)
  return faculty === undefined
    ? world.emit("NudgeSent", when, { studentId: student.id, followUpId: followUp, ruleId: rule, channel }, student, [])
    : world.emit(
        "NudgeSent",
        when,
        { studentId: student.id, facultyId: faculty.id, followUpId: followUp, ruleId: rule, channel },
        student,
        [faculty]
      )
}
