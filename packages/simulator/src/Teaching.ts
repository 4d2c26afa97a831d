/**
 * The pre-clinical years: each course block starts and completes for every enrolled
 * student, students contribute in lectures (questions, discussion) at their own rate, go
 * to office hours early in a course (the proactive habit) or only before the exam, take a
 * weekly Doctoring small group with the same facilitator all year, and, in year 2,
 * practise in the simulation centre with feedback. Some thank the course director after a
 * course; the nudging system reminds some who have not been to office hours early.
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import { type Block, inWinterBreak } from "./AcademicCalendar.js"
import { doctoringDepartments } from "./Catalog.js"
import { between, inWeek } from "./internal/When.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import type { Faculty, Student } from "./People.js"
import { at, DAY, isoDate } from "./SchoolTime.js"
import type { World } from "./World.js"

/** A course's faculty: the director first, more lecturers for longer courses and larger classes. */
const courseTeam = (world: World, block: Block, classOf: number): ReadonlyArray<Faculty> =>
  world.team(block.id, at(block.endDay, 23 * 60), () =>
    world.chooseTeam(
      block.departments,
      at(block.startDay, 0),
      at(block.endDay + 14, 0),
      2 + Math.ceil((block.endDay - block.startDay + 3) / 21) + Math.round((world.classSizes.get(classOf) ?? 0) / 20)
    )
  )

const visitTopic = (world: World): Event.OfficeHoursVisitedData["topic"] =>
  (["coursework", "coursework", "coursework", "coursework", "feedback", "career", "research", "personal"] as const)[
    world.rng.int(0, 8)
  ] ?? "coursework"

const visit = (
  world: World,
  student: Student,
  faculty: Faculty,
  when: number,
  topic: Event.OfficeHoursVisitedData["topic"],
  initiatedBy: "student" | "faculty"
): boolean =>
  world.emit(
    "OfficeHoursVisited",
    when,
    {
      studentId: student.id,
      facultyId: faculty.id,
      durationMinutes: Math.min(90, Math.max(5, Math.round(world.rng.logNormal(Math.log(20), 0.4)))),
      topic,
      initiatedBy
    },
    student,
    [faculty]
  )

/** Office hours over a course, planned in its first week: early visits or visits before the exam. */
const planOfficeHours = (world: World, student: Student, block: Block, team: ReadonlyArray<Faculty>): void => {
  const rng = world.rng
  const visits = rng.poisson(student.habits.officeHoursPerCourse)
  let early = false
  for (let i = 0; i < visits; i++) {
    const goesEarly = rng.chance(student.habits.earlyVisitShare)
    // Early in a course students go mostly to its directors; before the exam, to whoever taught the topic.
    const faculty = rng.chance(goesEarly ? 0.6 : 0.3) ? rng.pick(team.slice(0, 2)) : rng.pick(team)
    if (faculty === undefined) continue
    if (goesEarly) {
      early =
        visit(
          world,
          student,
          faculty,
          inWeek(rng, block.startDay + 7 * rng.int(0, 2), 0, 4, 10 * 60, 17 * 60),
          visitTopic(world),
          "student"
        ) || early
    } else {
      const when = rng.chance(0.7)
        ? inWeek(rng, block.endDay - 4, 0, 3)
        : between(rng, at(block.startDay + 14, 0), at(block.endDay, 0))
      visit(
        world,
        student,
        faculty,
        when,
        rng.chance(0.1) ? "coursework" : visitTopic(world),
        rng.chance(0.08) ? "faculty" : "student"
      )
    }
  }
  const director = team[0]
  if (!early && director !== undefined && rng.chance(0.4)) {
    const when = inWeek(rng, block.startDay + 7, 0, 0)
    if (
      maybeNudge(
        world,
        when,
        student,
        { ruleId: ruleIds.earlyOfficeHours, facultyIds: team.slice(0, 2), subject: block.id },
        director
      ) &&
      rng.chance(student.habits.nudgeResponse)
    ) {
      visit(world, student, director, between(rng, when + DAY, when + 6 * DAY), "coursework", "student")
    }
  }
}

/**
 * A student's week in a course block starting on the Monday `monday`.
 *
 * @since 0.1.0
 * @category teaching
 */
export const courseWeek = (world: World, student: Student, block: Block, monday: number): void => {
  const rng = world.rng
  const team = courseTeam(world, block, student.classOf)
  // The LMS lists the course's faculty of record: its director and co-director.
  const directors = team.slice(0, 2)
  const facultyIds = directors.map((f) => f.id)
  if (team.length === 0) return
  if (monday === block.startDay) {
    world.emit(
      "CourseStarted",
      at(block.startDay, rng.int(7 * 60, 8 * 60 + 30)),
      { studentId: student.id, courseId: block.id, facultyIds, startedOn: isoDate(block.startDay) },
      student,
      directors
    )
    planOfficeHours(world, student, block, team)
  }
  if (!inWinterBreak(monday)) {
    const contributions = rng.poisson(student.habits.lectureContributionsPerWeek)
    for (let i = 0; i < contributions; i++) {
      const faculty = rng.chance(0.2) ? team[0] : rng.pick(team)
      if (faculty === undefined) continue
      world.emit(
        "LectureEngagementRecorded",
        inWeek(rng, monday, 0, 4, 9 * 60, 16 * 60),
        {
          studentId: student.id,
          facultyId: faculty.id,
          courseId: block.id,
          kind: rng.chance(0.55) ? "question" : "discussion"
        },
        student,
        [faculty]
      )
    }
  }
  if (block.endDay >= monday && block.endDay < monday + 7) {
    const ends = at(block.endDay, rng.int(17 * 60, 18 * 60))
    world.emit(
      "CourseCompleted",
      ends,
      { studentId: student.id, courseId: block.id, facultyIds, endedOn: isoDate(block.endDay) },
      student,
      directors
    )
    const director = team[0]
    if (director !== undefined && rng.chance(student.habits.thankYouAfterRotation * 0.3)) {
      world.emit(
        "FollowUpSent",
        between(rng, ends + DAY, ends + 7 * DAY),
        { studentId: student.id, facultyId: director.id, kind: "thank-you", channel: "email" },
        student,
        [director]
      )
    }
  }
}

const doctoringTeam = (world: World, block: Block, classOf: number): ReadonlyArray<Faculty> =>
  world.team(block.id, at(block.endDay, 23 * 60), () => {
    const classSize = world.classSizes.get(classOf) ?? 0
    return world.chooseTeam(
      doctoringDepartments,
      at(block.startDay, 0),
      at(block.endDay + 14, 0),
      1 + Math.ceil(classSize / 8)
    )
  })

/**
 * A student's week in the Doctoring course (the weekly small group; simulation sessions
 * with feedback in year 2), starting on the Monday `monday`.
 *
 * @since 0.1.0
 * @category teaching
 */
export const doctoringWeek = (world: World, student: Student, block: Block, monday: number): void => {
  const rng = world.rng
  const team = doctoringTeam(world, block, student.classOf)
  const director = team[0]
  if (director === undefined) return
  let facilitator = student.facilitators.get(block.id)
  if (facilitator === undefined) {
    facilitator = team[1 + (student.index % Math.max(1, team.length - 1))] ?? director
    student.facilitators.set(block.id, facilitator)
  }
  const members = facilitator === director ? [director] : [director, facilitator]
  const facultyIds = members.map((f) => f.id)
  if (monday === block.startDay) {
    world.emit(
      "CourseStarted",
      at(block.startDay, rng.int(7 * 60, 8 * 60 + 30)),
      { studentId: student.id, courseId: block.id, facultyIds, startedOn: isoDate(block.startDay) },
      student,
      members
    )
  }
  // Small groups meet on Tuesday and Thursday afternoons.
  for (const day of inWinterBreak(monday) ? [] : [1, 3]) {
    if (!rng.chance(student.habits.smallGroupParticipation)) continue
    world.emit(
      "LectureEngagementRecorded",
      at(monday + day, rng.int(13 * 60, 16 * 60)),
      { studentId: student.id, facultyId: facilitator.id, courseId: block.id, kind: "small-group" },
      student,
      [facilitator]
    )
  }
  const weekOfCourse = (monday - block.startDay) / 7
  if (block.yearOfStudy === 2 && (weekOfCourse === 5 || weekOfCourse === 13 || weekOfCourse === 21)) {
    const instructor = rng.chance(0.6) ? facilitator : (rng.pick(team) ?? facilitator)
    const domains = rng.sample(
      ["bedside-manner", "diagnostic-reasoning", "clinical-skills", "professionalism"] as const,
      rng.int(1, 3)
    )
    world.emit(
      "ClinicalFeedbackGiven",
      inWeek(rng, monday, 2, 3, 9 * 60, 16 * 60),
      {
        studentId: student.id,
        facultyId: instructor.id,
        setting: "simulation",
        domains: [domains[0] ?? "clinical-skills", ...domains.slice(1)]
      },
      student,
      [instructor]
    )
  }
  if (block.endDay >= monday && block.endDay < monday + 7) {
    world.emit(
      "CourseCompleted",
      at(block.endDay, rng.int(17 * 60, 18 * 60)),
      { studentId: student.id, courseId: block.id, facultyIds, endedOn: isoDate(block.endDay) },
      student,
      members
    )
  }
}
