/**
 * The advisory program and the relationships students keep up on their own: assigning
 * advisory-college mentors at enrolment (a few faculty with a large appetite carry many
 * mentees), specialty advisors after a specialty is declared, mentoring meetings at each
 * student's own cadence, support check-ins (around board exams and returns from leave),
 * thank-you notes, updates and check-ins to the faculty a student knows best, nudges when a
 * mentor has not been met for months or a strong relationship goes quiet, and handing
 * mentees over when a mentor leaves.
 *
 * Support check-ins are sensitive: the simulator gives them no free text and never lets
 * them strengthen a tie (they must not count toward letters).
 *
 * @since 0.1.0
 */
import { type Event, Upcast } from "@rapport/core"
import { yearOfStudy, yearStarts } from "./AcademicCalendar.js"
import { mentoringPrograms } from "./Catalog.js"
import { between, inWeek } from "./internal/When.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import { type Faculty, facultyPresent, type Mentorship, type Student } from "./People.js"
import { looksStrong } from "./Ties.js"
import { at, DAY, isoDate, schoolDay, WEEK } from "./SchoolTime.js"
import type { World } from "./World.js"

/** Until this instant the advising app posts mentorship events without `program` (version 1). */
const legacyUntil = (world: World): number => world.start + Math.round((world.end - world.start) * 0.2)

const topicsByYear: ReadonlyArray<ReadonlyArray<Event.MentorshipMeetingHeldData["topics"]>> = [
  [["work-life-balance"], ["other"], ["work-life-balance", "specialty-selection"]],
  [["specialty-selection"], ["work-life-balance", "research"], ["research"]],
  [["specialty-selection", "clinical-practice"], ["clinical-practice"], ["specialty-selection"]],
  [["residency-application"], ["residency-application", "clinical-practice"], ["work-life-balance"]]
]

const recordMentorship = (
  world: World,
  type: "MentorAssigned" | "MentorshipEnded",
  when: number,
  student: Student,
  mentorship: Mentorship
): boolean => {
  const { faculty } = mentorship
  if (mentorship.legacy) {
    return world.emitData(type, when, { studentId: student.id, facultyId: faculty.id }, student, [faculty], {
      v: 1,
      unchecked: type === "MentorshipEnded" ? "student" : false
    })
  }
  return world.emit(
    type,
    when,
    { studentId: student.id, facultyId: faculty.id, program: mentorship.program },
    student,
    [faculty],
    { unchecked: type === "MentorshipEnded" ? "student" : false }
  )
}

const assign = (
  world: World,
  student: Student,
  mentor: Faculty,
  program: string,
  when: number,
  welcome = true
): void => {
  const mentorship: Mentorship = {
    faculty: mentor,
    program,
    legacy: program === mentoringPrograms.advisory && when < legacyUntil(world),
    since: when,
    welcome,
    lastMeeting: when,
    nudgedAt: when,
    ended: false
  }
  if (recordMentorship(world, "MentorAssigned", when, student, mentorship)) student.mentorships.push(mentorship)
}

/**
 * Assigns an advisory-college mentor at `when`, chosen among the volunteer advisors in
 * proportion to their (heavy-tailed) appetite for mentoring.
 *
 * @since 0.1.0
 * @category mentoring
 */
export const assignAdvisor = (
  world: World,
  student: Student,
  when: number,
  options?: { readonly except?: Faculty; readonly carriedOver?: boolean }
): void => {
  const except = options?.except
  const mentor = world.pickFaculty(world.faculty, when, when + 30 * DAY, (f) =>
    f.advisor && f !== except ? f.mentorAppetite : 0
  )
  if (mentor !== undefined) {
    assign(world, student, mentor, mentoringPrograms.advisory, when, options?.carriedOver !== true)
  }
}

/**
 * Assigns a specialty advisor in the student's declared specialty at `when`, preferring
 * faculty the student already knows and those with an appetite for mentoring.
 *
 * @since 0.1.0
 * @category mentoring
 */
export const assignSpecialtyAdvisor = (
  world: World,
  student: Student,
  specialty: string,
  when: number,
  carriedOver = false
): void => {
  if (student.mentorships.some((m) => !m.ended && m.program === mentoringPrograms.specialty)) return
  const mentor = world.pickFaculty(
    world.department(specialty),
    when,
    when + 30 * DAY,
    (f) => f.mentorAppetite * (1 + world.strength(student, f, when))
  )
  if (mentor !== undefined) assign(world, student, mentor, mentoringPrograms.specialty, when, !carriedOver)
}

/**
 * The chance that a student who has declared a specialty gets a specialty advisor.
 *
 * @since 0.2.0
 * @category mentoring
 */
export const specialtyAdvisorOdds = { proactive: 0.8, engaged: 0.8, passive: 0.55, isolated: 0.25 } as const

/**
 * Ends every open mentorship of a student at `when` (before a withdrawal or graduation).
 *
 * @since 0.1.0
 * @category mentoring
 */
export const closeMentorships = (world: World, student: Student, when: number): void => {
  for (const mentorship of student.mentorships) {
    if (mentorship.ended) continue
    mentorship.ended = true
    recordMentorship(world, "MentorshipEnded", when, student, mentorship)
  }
}

/**
 * Ends a departing mentor's mentorships at `when` and gives each advisory mentee a new
 * mentor a few days later.
 *
 * @since 0.1.0
 * @category mentoring
 */
export const handOverMentees = (world: World, mentor: Faculty, when: number): void => {
  for (const student of world.students) {
    for (const mentorship of student.mentorships) {
      if (mentorship.ended || mentorship.faculty !== mentor) continue
      mentorship.ended = true
      recordMentorship(world, "MentorshipEnded", when, student, mentorship)
      if (mentorship.program === mentoringPrograms.advisory) {
        const reassignAt = between(world.rng, when + 3 * DAY, when + 14 * DAY)
        world.schedule(reassignAt, () => assignAdvisor(world, student, reassignAt, { except: mentor }))
      }
    }
  }
}

const meet = (world: World, student: Student, mentorship: Mentorship, when: number): void => {
  const rng = world.rng
  const year = Math.min(4, Math.max(1, yearOfStudy(student.classOf, schoolDay(when))))
  const topics =
    mentorship.program === mentoringPrograms.specialty
      ? (rng.pick<Event.MentorshipMeetingHeldData["topics"]>([
          ["specialty-selection"],
          ["residency-application"],
          ["clinical-practice", "residency-application"]
        ]) ?? ["residency-application"])
      : (rng.pick(topicsByYear[year - 1] ?? []) ?? ["other"])
  const durationMinutes = Math.min(120, Math.max(10, Math.round(rng.logNormal(Math.log(30), 0.35))))
  const held = world.emit(
    "MentorshipMeetingHeld",
    when,
    { studentId: student.id, facultyId: mentorship.faculty.id, durationMinutes, topics },
    student,
    [mentorship.faculty]
  )
  if (held) mentorship.lastMeeting = when
}

/**
 * A career conversation with a faculty member (an attending on service, a clinician of a
 * specialty the student is curious about): 60% a sit-down the advising app records as a
 * mentoring meeting, the rest a visit to office hours. Such one-off meetings spread a
 * student's mentoring over several faculty.
 *
 * @since 0.2.0
 * @category mentoring
 */
export const careerConversation = (world: World, student: Student, faculty: Faculty, when: number): void => {
  const rng = world.rng
  if (rng.chance(0.6)) {
    world.emit(
      "MentorshipMeetingHeld",
      when,
      {
        studentId: student.id,
        facultyId: faculty.id,
        durationMinutes: rng.int(20, 46),
        topics: rng.chance(0.6) ? ["specialty-selection"] : ["specialty-selection", "clinical-practice"]
      },
      student,
      [faculty]
    )
    return
  }
  world.emit(
    "OfficeHoursVisited",
    when,
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

/** Pre-clinical students explore specialties with clinicians of the ones they are curious about. */
const exploreCareers = (world: World, student: Student, monday: number): void => {
  const rng = world.rng
  const year = yearOfStudy(student.classOf, monday)
  if ((year !== 1 && year !== 2) || !rng.chance(student.habits.careerVisitsPerYear / 52)) return
  const when = inWeek(rng, monday, 0, 4, 12 * 60, 17 * 60)
  const curious = student.interests.length > 0 ? student.interests : [student.specialty]
  const department = rng.pick(curious) ?? student.specialty
  const faculty = world.pickFaculty(world.department(department), when, when + DAY, (f) => 1 + f.mentorAppetite)
  if (faculty !== undefined) careerConversation(world, student, faculty, when)
}

const firstMeeting = { proactive: 0.95, engaged: 0.8, passive: 0.3, isolated: 0.1 } as const

/**
 * A student's mentoring, support and keeping in touch during the week starting on the
 * Monday `monday`.
 *
 * @since 0.1.0
 * @category mentoring
 */
export const week = (world: World, student: Student, monday: number): void => {
  const rng = world.rng
  const weekStart = at(monday, 0)
  const habits = student.habits
  for (const mentorship of student.mentorships) {
    if (mentorship.ended) continue
    const sinceAssigned = weekStart - mentorship.since
    const gapDays =
      (habits.mentorMeetingEveryDays * (mentorship.program === mentoringPrograms.specialty ? 2 : 1)) /
      (0.4 + mentorship.faculty.diligence)
    const meets =
      mentorship.welcome && sinceAssigned >= 0 && sinceAssigned < WEEK && mentorship.lastMeeting === mentorship.since
        ? rng.chance(firstMeeting[student.archetype])
        : rng.chance(Math.min(0.9, 7 / gapDays))
    if (meets) {
      meet(world, student, mentorship, inWeek(rng, monday))
    } else if (
      weekStart - mentorship.lastMeeting > 30 * DAY &&
      (mentorship.nudgedAt <= mentorship.lastMeeting || weekStart - mentorship.nudgedAt > 90 * DAY)
    ) {
      const when = inWeek(rng, monday)
      mentorship.nudgedAt = when
      const about = {
        ruleId: ruleIds.mentorCadence,
        facultyIds: [mentorship.faculty],
        subject: mentorship.legacy ? Upcast.unspecifiedProgram : mentorship.program,
        occasion: isoDate(schoolDay(mentorship.lastMeeting))
      }
      if (rng.chance(0.5) && maybeNudge(world, when, student, about) && rng.chance(habits.nudgeResponse)) {
        const meetingAt = between(rng, when + 2 * DAY, when + 14 * DAY)
        world.schedule(meetingAt, () => {
          if (!mentorship.ended) meet(world, student, mentorship, meetingAt)
        })
      }
    }
  }
  exploreCareers(world, student, monday)
  supportCheckIn(world, student, monday)
  keepInTouch(world, student, monday)
}

/** Mentor-initiated support: around the board exam (year 2, March–April) and after a leave. */
const supportCheckIn = (world: World, student: Student, monday: number): void => {
  const rng = world.rng
  const mentor = student.mentorships.find((m) => !m.ended)?.faculty
  if (mentor === undefined) return
  const weekStart = at(monday, 0)
  const boardStudy = monday >= yearStarts(student.classOf)[2] - 9 * 7 && monday < yearStarts(student.classOf)[2]
  const returned = student.leaves.some(
    (leave) => leave.returns && weekStart >= leave.to && weekStart < leave.to + 28 * DAY
  )
  const p = 0.012 + (boardStudy ? 0.06 : 0) + (returned ? 0.3 : 0)
  if (!rng.chance(p)) return
  world.emit(
    "SupportCheckInHeld",
    inWeek(rng, monday),
    {
      studentId: student.id,
      facultyId: mentor.id,
      kind: boardStudy || rng.chance(0.5) ? "encouragement" : "wellbeing"
    },
    student,
    [mentor]
  )
}

/** A close tie (on staff) whose last contact was 76–89 days ago: its stay-in-touch follow-up has just opened. */
const quietTie = (world: World, student: Student, weekStart: number): readonly [Faculty, number] | undefined => {
  let found: readonly [Faculty, number] | undefined
  student.ties.forEach((tie, faculty) => {
    if (found !== undefined) return
    const quietFor = weekStart - tie.last
    if (quietFor < 76 * DAY || quietFor >= 90 * DAY || !facultyPresent(faculty, weekStart)) return
    if (looksStrong(tie, tie.last, world.halfLifeMs)) found = [faculty, tie.last]
  })
  return found
}

/** Updates and check-ins to the faculty a student knows best; a nudge when a strong tie goes quiet. */
const keepInTouch = (world: World, student: Student, monday: number): void => {
  const rng = world.rng
  const weekStart = at(monday, 0)
  if (rng.chance(student.habits.stayInTouchPerYear / 52)) {
    const closest = world.strongest(student, weekStart, weekStart + WEEK).slice(0, 3)
    const chosen = rng.pick(closest)
    if (chosen !== undefined && chosen[1] > 0.75) {
      world.emit(
        "FollowUpSent",
        inWeek(rng, monday, 0, 6),
        {
          studentId: student.id,
          facultyId: chosen[0].id,
          kind: rng.chance(0.6) ? "update" : "check-in",
          channel: rng.chance(0.75) ? "email" : "message"
        },
        student,
        [chosen[0]]
      )
    }
  }
  // Looked at every other week: the follow-up has been open for up to two weeks.
  const quiet = monday % 14 < 7 ? quietTie(world, student, weekStart) : undefined
  if (quiet !== undefined) {
    {
      const when = inWeek(rng, monday)
      if (
        maybeNudge(world, when, student, {
          ruleId: ruleIds.stayInTouch,
          facultyIds: [quiet[0]],
          subject: isoDate(schoolDay(quiet[1]))
        }) &&
        rng.chance(student.habits.nudgeResponse)
      ) {
        world.emit(
          "FollowUpSent",
          between(rng, when + DAY, when + 7 * DAY),
          { studentId: student.id, facultyId: quiet[0].id, kind: "check-in", channel: "email" },
          student,
          [quiet[0]]
        )
      }
    }
  }
}
