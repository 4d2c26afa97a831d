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
import { BuiltinRules, FollowUp } from "@rapport/core"
import type { Faculty, Student } from "./People.js"
import type { World } from "./World.js"

/**
 * The ids of the built-in follow-up rules the nudging system sends nudges for (those of
 * @rapport/core).
 *
 * @since 0.1.0
 * @category constants
 */
export const ruleIds = BuiltinRules.ids

/**
 * What a nudge is about, as @rapport/core names the follow-up it answers: the rule, the
 * faculty the follow-up involves, its subject (a rotation, course, letter or project id,
 * a program, a cycle, a day) and its occasion.
 *
 * @since 0.1.0
 * @category models
 */
export interface About {
  readonly ruleId: string
  readonly facultyIds: ReadonlyArray<Faculty>
  readonly subject: string
  readonly occasion?: string
}

/**
 * Sends a nudge at `when` if the share of follow-ups the system nudges says so; returns
 * whether a nudge went out. The nudge names `faculty` (when given) and carries the id
 * @rapport/core gives the follow-up, so that Rapport can join the two.
 *
 * @since 0.1.0
 * @category operations
 */
export const maybeNudge = (
  world: World,
  when: number,
  student: Student,
  about: About,
  faculty: Faculty | undefined = about.facultyIds[0]
): boolean => {
  if (!world.rng.chance(world.behaviour.nudgeShare)) return false
  const channel = world.rng.chance(0.7) ? "email" : "message"
  const followUpId = FollowUp.makeId({
    ruleId: about.ruleId,
    studentId: student.id,
    facultyIds: about.facultyIds.map((f) => f.id),
    subject: about.subject,
    occasion: about.occasion
  })
  const data = { studentId: student.id, followUpId, ruleId: about.ruleId, channel } as const
  return faculty === undefined
    ? world.emit("NudgeSent", when, data, student, [])
    : world.emit("NudgeSent", when, { ...data, facultyId: faculty.id }, student, [faculty])
}
