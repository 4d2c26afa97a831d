/**
 * The clinical years: in each clerkship (year 3) and rotation (year 4) a student works
 * under one to three attendings of the rotation's team, receives a mid-point review and,
 * when they ask for it, more feedback on bedside manner, diagnostic reasoning, clinical
 * skills and professionalism, sometimes talks careers with an attending, and completes the
 * rotation. Proactive students then thank their supervisors; the nudging system reminds
 * some of the others. Students declare their specialty during year 3 (a few change their
 * mind) and most then get a specialty advisor.
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import type { Block } from "./AcademicCalendar.js"
import { between, inWeek } from "./internal/When.js"
import { assignSpecialtyAdvisor } from "./Mentoring.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import { type Faculty, facultyPresent, type Student } from "./People.js"
import { at, DAY, dayOf, isoDate } from "./SchoolTime.js"
import type { World } from "./World.js"

const domainsOf = (world: World): Event.ClinicalFeedbackGivenData["domains"] => {
  const chosen = world.rng.sample(
    ["bedside-manner", "diagnostic-reasoning", "clinical-skills", "professionalism"] as const,
    world.rng.int(1, 4)
  )
  return [chosen[0] ?? "clinical-skills", ...chosen.slice(1)]
}

const supervisorsOf = (world: World, student: Student, block: Block): ReadonlyArray<Faculty> => {
  if (student.supervisors?.block === block.id) return student.supervisors.members
  const team = world.team(block.id, at(block.endDay, 23 * 60), () =>
    world.chooseTeam(
      block.departments,
      at(block.startDay, 0),
      at(block.endDay + 14, 0),
      // About one attending for every three students on the block (a class splits into seven tracks).
      Math.max(4, Math.ceil((world.classSizes.get(student.classOf) ?? 0) / 21)) + world.rng.int(0, 4)
    )
  )
  // An isolated student works with whoever is on service and is evaluated by the director.
  const count = student.archetype === "isolated" ? 1 : world.rng.weightedIndex([45, 40, 15]) + 1
  const members = student.archetype === "isolated" ? team.slice(0, 1) : world.rng.sample(team, count)
  student.supervisors = { block: block.id, members }
  return members
}

const thank = (world: World, student: Student, faculty: Faculty, when: number): void => {
  const rng = world.rng
  const channel = (["email", "email", "email", "email", "email", "message", "in-person", "other"] as const)[
    rng.int(0, 8)
  ]
  world.emit(
    "FollowUpSent",
    when,
    { studentId: student.id, facultyId: faculty.id, kind: "thank-you", channel: channel ?? "email" },
    student,
    [faculty]
  )
}

const complete = (world: World, student: Student, block: Block, supervisors: ReadonlyArray<Faculty>): void => {
  const rng = world.rng
  const ends = at(block.endDay, rng.int(15 * 60, 19 * 60))
  const present = supervisors.filter((f) => facultyPresent(f, ends))
  if (present.length === 0) return
  const completed = world.emit(
    "RotationCompleted",
    ends,
    {
      studentId: student.id,
      facultyIds: present.map((f) => f.id),
      rotationId: block.id,
      specialty: block.name,
      startedOn: isoDate(block.startDay),
      endedOn: isoDate(block.endDay)
    },
    student,
    present
  )
  const lead = present[0]
  if (!completed || lead === undefined) return
  const prompt = student.archetype === "proactive" ? 4 : 10
  if (rng.chance(student.habits.thankYouAfterRotation)) {
    thank(world, student, lead, between(rng, ends + 12 * 3_600_000, ends + prompt * DAY))
    const second = present[1]
    if (second !== undefined && rng.chance(0.4))
      thank(world, student, second, between(rng, ends + DAY, ends + prompt * DAY))
    return
  }
  const nudgeAt = between(rng, ends + 5 * DAY, ends + 7 * DAY)
  if (
    maybeNudge(world, nudgeAt, student, {
      ruleId: ruleIds.thankYou,
      facultyIds: [lead],
      subject: block.id,
      occasion: "rotation"
    }) &&
    rng.chance(student.habits.nudgeResponse)
  ) {
    thank(world, student, lead, between(rng, nudgeAt + 3_600_000, nudgeAt + 5 * DAY))
  }
}

/**
 * A student's week in a clerkship or rotation starting on the Monday `monday`.
 *
 * @since 0.1.0
 * @category clinical
 */
export const rotationWeek = (world: World, student: Student, block: Block, monday: number): void => {
  const rng = world.rng
  const supervisors = supervisorsOf(world, student, block)
  const team = world.teams.get(block.id)?.members ?? supervisors
  const lead = supervisors[0]
  if (lead === undefined) return
  const setting = block.kind === "clerkship" ? "clerkship" : "rotation"
  const weeks = Math.round((block.endDay - block.startDay + 3) / 7)
  const weekOfBlock = Math.round((monday - block.startDay) / 7)
  const feedback = (faculty: Faculty) =>
    world.emit(
      "ClinicalFeedbackGiven",
      inWeek(rng, monday, 0, 4, 8 * 60, 19 * 60),
      { studentId: student.id, facultyId: faculty.id, setting, domains: domainsOf(world) },
      student,
      [faculty]
    )
  const anonymous = student.archetype === "isolated"
  if (weekOfBlock === Math.floor(weeks / 2) && rng.chance(anonymous ? 0.3 : 0.9)) {
    feedback((anonymous ? rng.pick(team) : lead) ?? lead)
  }
  const asks = rng.poisson(student.habits.feedbackAsksPerWeek)
  for (let i = 0; i < asks; i++)
    feedback((!anonymous && rng.chance(0.7) ? rng.pick(supervisors) : rng.pick(team)) ?? lead)
  // The clerkship's weekly case conferences, on its LMS page: discussion with the team.
  const discussions = rng.poisson(student.habits.lectureContributionsPerWeek / 7)
  for (let i = 0; i < discussions; i++) {
    const faculty = rng.pick(team) ?? lead
    world.emit(
      "LectureEngagementRecorded",
      inWeek(rng, monday, 2, 2, 12 * 60, 13 * 60),
      { studentId: student.id, facultyId: faculty.id, courseId: block.id, kind: "discussion" },
      student,
      [faculty]
    )
  }
  const interested = student.interests.includes(block.name) || student.specialty === block.name
  if (rng.chance((student.habits.careerVisitsPerYear / 45) * (interested ? 2 : 0.6))) {
    const faculty = rng.pick(supervisors) ?? lead
    world.emit(
      "OfficeHoursVisited",
      inWeek(rng, monday, 0, 4, 12 * 60, 18 * 60),
      {
        studentId: student.id,
        facultyId: faculty.id,
        durationMinutes: rng.int(15, 46),
        topic: rng.chance(0.7) ? "career" : "feedback",
        initiatedBy: rng.chance(0.9) ? "student" : "faculty"
      },
      student,
      [faculty]
    )
  }
  if (block.endDay >= monday && block.endDay < monday + 7) complete(world, student, block, supervisors)
}

const declare = (world: World, student: Student, specialty: string, when: number, final: boolean): void => {
  const rng = world.rng
  const declared = world.emit("SpecialtyDeclared", when, { studentId: student.id, specialty }, student, [])
  if (!declared) return
  student.declared = specialty
  const advisorOdds = student.archetype === "isolated" ? 0.25 : student.archetype === "passive" ? 0.55 : 0.8
  if (final && rng.chance(advisorOdds)) {
    const assignAt = between(rng, when + 7 * DAY, when + 28 * DAY)
    world.schedule(assignAt, () => assignSpecialtyAdvisor(world, student, specialty, assignAt))
  }
}

/**
 * Schedules when a student declares a specialty: during year 3, most between January and
 * April, some at the start of year 4; about one in twenty first declares another interest
 * and changes their mind.
 *
 * @since 0.1.0
 * @category clinical
 */
export const scheduleDeclaration = (world: World, student: Student): void => {
  if (student.declared !== undefined) return
  const rng = world.rng
  const g = student.classOf
  const windows: ReadonlyArray<readonly [number, number, number]> = [
    [dayOf(g - 2, 11, 1), dayOf(g - 1, 1, 1), 15],
    [dayOf(g - 1, 1, 1), dayOf(g - 1, 5, 1), 65],
    [dayOf(g - 1, 5, 1), dayOf(g - 1, 6, 20), 20]
  ]
  const [from, until] = windows[rng.weightedIndex(windows.map((w) => w[2]))] ?? [dayOf(g - 1, 2, 1), dayOf(g - 1, 3, 1)]
  const when = between(rng, at(from, 0), at(until, 0))
  const other = student.interests.find((s) => s !== student.specialty)
  if (other !== undefined && rng.chance(0.05)) {
    const early = between(rng, at(dayOf(g - 2, 10, 1), 0), Math.max(at(dayOf(g - 2, 10, 2), 0), when - 30 * DAY))
    if (early >= student.enrolledAt) world.schedule(early, () => declare(world, student, other, early, false))
  }
  if (when >= student.enrolledAt) world.schedule(when, () => declare(world, student, student.specialty, when, true))
}
