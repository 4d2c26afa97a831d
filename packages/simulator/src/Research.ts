/**
 * Research: students who volunteer (most often proactive ones, most often the summer after
 * year 1) join a faculty member's project, meet their principal investigator, present at
 * conferences and co-author papers, and their roles end — when the project is done, or
 * before the student or the investigator leaves. Roles that go quiet get a nudge.
 *
 * A few investigators with a large appetite take many students (labs are heavy-tailed
 * too). Every role ends before any absence of the student or the investigator.
 *
 * @since 0.1.0
 */
import { yearOfStudy } from "./AcademicCalendar.js"
import { between, inWeek } from "./internal/When.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import { type Faculty, facultyPresent, type ResearchPosition, type Student } from "./People.js"
import { at, DAY, schoolDay, WEEK } from "./SchoolTime.js"
import type { World } from "./World.js"

/** Weekly odds of meeting the investigator (about monthly for a proactive student). */
const meetingOdds = { proactive: 0.12, engaged: 0.08, passive: 0.04, isolated: 0.02 } as const

const endRole = (world: World, student: Student, role: ResearchPosition, when: number): void => {
  if (role.ended) return
  role.ended = true
  world.emit(
    "ResearchRoleEnded",
    when,
    { studentId: student.id, facultyId: role.faculty.id, projectId: role.projectId, role: role.role },
    student,
    [role.faculty],
    { unchecked: "student" }
  )
}

/**
 * Ends a student's open research roles at `when`.
 *
 * @since 0.1.0
 * @category research
 */
export const closeResearch = (world: World, student: Student, when: number): void => {
  for (const role of student.research) endRole(world, student, role, when)
}

/**
 * Ends every open role on a departing investigator's projects at `when`.
 *
 * @since 0.1.0
 * @category research
 */
export const closeResearchOf = (world: World, investigator: Faculty, when: number): void => {
  for (const student of world.students) {
    for (const role of student.research) if (role.faculty === investigator) endRole(world, student, role, when)
  }
}

const coauthors = (world: World, lead: Faculty, when: number): Array<Faculty> => {
  const team = [lead]
  const colleagues = world.department(lead.department).filter((f) => f !== lead && facultyPresent(f, when))
  const extra = world.rng.int(0, 3)
  for (const colleague of world.rng.sample(colleagues, extra)) team.push(colleague)
  return team.filter((f) => facultyPresent(f, when) && f.leavesAt > when)
}

const researchMeeting = (world: World, student: Student, role: ResearchPosition, when: number): void => {
  const rng = world.rng
  const held = rng.chance(0.5)
    ? world.emit(
        "MentorshipMeetingHeld",
        when,
        {
          studentId: student.id,
          facultyId: role.faculty.id,
          durationMinutes: rng.int(20, 76),
          topics: rng.chance(0.8) ? ["research"] : ["research", "specialty-selection"]
        },
        student,
        [role.faculty],
        { source: "scheduling" }
      )
    : world.emit(
        "OfficeHoursVisited",
        when,
        {
          studentId: student.id,
          facultyId: role.faculty.id,
          durationMinutes: rng.int(15, 46),
          topic: "research",
          initiatedBy: rng.chance(0.8) ? "student" : "faculty"
        },
        student,
        [role.faculty]
      )
  if (held) role.lastMeeting = when
}

/** Life of an open role this week: meetings, a conference, a nudge, its end and perhaps a paper. */
const tendRole = (world: World, student: Student, role: ResearchPosition, monday: number): void => {
  const rng = world.rng
  const weekStart = at(monday, 0)
  if (role.ended) return
  if (role.until < weekStart + WEEK) {
    endRole(world, student, role, Math.max(role.until, weekStart))
    const weeks = (role.until - role.from) / WEEK
    if (rng.chance(Math.min(0.7, 0.15 + weeks / 80) * (student.archetype === "isolated" ? 0.3 : 1))) {
      const when = between(rng, role.until + 4 * WEEK, role.until + 30 * WEEK)
      world.schedule(when, () => {
        const team = coauthors(world, role.faculty, when)
        if (team.length === 0) return
        world.emit(
          "PublicationCoauthored",
          when,
          {
            studentId: student.id,
            facultyIds: team.map((f) => f.id),
            publicationId: `pub-${world.serial("publication")}`
          },
          student,
          team
        )
      })
    }
    return
  }
  if (!role.quiet && rng.chance(meetingOdds[student.archetype] * (0.5 + role.faculty.diligence))) {
    researchMeeting(world, student, role, inWeek(rng, monday))
  } else if (!role.nudged && role.lastMeeting === role.from && weekStart - role.from > 14 * DAY) {
    role.nudged = true
    const when = inWeek(rng, monday)
    if (
      maybeNudge(world, when, student, {
        ruleId: ruleIds.researchFollowThrough,
        facultyIds: [role.faculty],
        subject: role.projectId
      }) &&
      rng.chance(student.habits.nudgeResponse * (role.quiet ? 0.5 : 1))
    ) {
      const meetingAt = between(rng, when + DAY, when + 10 * DAY)
      if (meetingAt < role.until) world.schedule(meetingAt, () => researchMeeting(world, student, role, meetingAt))
    }
  }
  if (rng.chance(student.archetype === "isolated" ? 0.002 : 0.01)) {
    const when = inWeek(rng, monday)
    const team = coauthors(world, role.faculty, when).slice(0, 2)
    if (team.length > 0) {
      world.emit(
        "ConferencePresentationGiven",
        when,
        {
          studentId: student.id,
          facultyIds: team.map((f) => f.id),
          presentationId: `pres-${world.serial("presentation")}`
        },
        student,
        team
      )
    }
  }
}

/** Starts a role this week if the student volunteers. */
const volunteer = (world: World, student: Student, monday: number): void => {
  const rng = world.rng
  const open = student.research.filter((r) => !r.ended).length
  if (open >= (student.archetype === "proactive" ? 2 : 1)) return
  const year = yearOfStudy(student.classOf, monday)
  const month = new Date(monday * DAY).getUTCMonth()
  const summerAfterYearOne = year === 1 && (month === 4 || month === 5)
  const p = (student.habits.researchPerYear / 52) * (summerAfterYearOne ? 6 : 0.8)
  if (!rng.chance(p)) return
  const from = inWeek(rng, monday)
  const weeks = summerAfterYearOne ? rng.int(8, 13) : rng.int(10, 53)
  const nextLeave = student.leaves.find((leave) => leave.from > from)?.from ?? Number.POSITIVE_INFINITY
  const lead = world.pickFaculty(
    world.faculty,
    from,
    from + 8 * WEEK,
    (f) =>
      f.labAppetite *
      (student.interests.includes(f.department) ? 3 : 1) *
      (1 + Math.min(2, world.strength(student, f, from)))
  )
  if (lead === undefined) return
  const until = Math.min(
    from + weeks * WEEK,
    student.graduatesAt - 14 * DAY,
    student.withdrawsAt - 3 * DAY,
    nextLeave - DAY,
    lead.leavesAt - 3 * DAY
  )
  if (until < from + 4 * WEEK) return
  const reuse = lead.projects > 0 && rng.chance(0.6)
  if (!reuse) lead.projects++
  const project = reuse ? rng.int(1, lead.projects + 1) : lead.projects
  const role: ResearchPosition = {
    faculty: lead,
    projectId: `prj-${lead.id}-${project}`,
    role:
      student.program === "MD-PhD" && rng.chance(0.6) ? "co-investigator" : rng.chance(0.85) ? "assistant" : "other",
    from,
    until,
    quiet: rng.chance(0.3),
    lastMeeting: from,
    nudged: false,
    ended: false
  }
  const started = world.emit(
    "ResearchRoleStarted",
    from,
    { studentId: student.id, facultyId: lead.id, projectId: role.projectId, role: role.role },
    student,
    [lead]
  )
  if (started) student.research.push(role)
}

/**
 * A student's research during the week starting on the Monday `monday`.
 *
 * @since 0.1.0
 * @category research
 */
export const week = (world: World, student: Student, monday: number): void => {
  for (const role of student.research) tendRole(world, student, role, monday)
  for (let i = student.research.length - 1; i >= 0; i--) if (student.research[i]?.ended) student.research.splice(i, 1)
  if (schoolDay(student.graduatesAt) - monday > 60) volunteer(world, student, monday)
}
