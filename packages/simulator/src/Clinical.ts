/**
 * The clinical years: in each clerkship (year 3) and rotation (year 4) a student works
 * under the attending on service, who changes most weeks (3–4 attendings in four weeks,
 * as on a real inpatient block), receives feedback from that attending (cards and
 * conversations, a mid-point review among them), sometimes talks careers with them, and
 * completes the rotation naming every attending who supervised them. Proactive students
 * then thank their attendings; the nudging system reminds some of the others. Students
 * declare their specialty during year 3 (a few change their mind) and most then get a
 * specialty advisor.
 *
 * Residents and interns, who write many of a real student's feedback cards, are not
 * faculty and are not simulated: every feedback event comes from a faculty attending of
 * the student's own rotation, so the feedback volume is the faculty's share.
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import { type Block, inWinterBreak } from "./AcademicCalendar.js"
import { between, inWeek } from "./internal/When.js"
import { assignSpecialtyAdvisor, careerConversation, specialtyAdvisorOdds } from "./Mentoring.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import {
  type Faculty,
  facultyPresent,
  facultyPresentThroughout,
  type Student,
  studentPresentThroughout
} from "./People.js"
import { at, DAY, dayOf, isoDate } from "./SchoolTime.js"
import type { World } from "./World.js"

/** Chance that the attending on service changes from one week to the next. */
const handoverOdds = 0.85

/** The fewest attendings a service runs with: small departments borrow from other clinical ones. */
const minimumTeam = 5

const domainsOf = (world: World): Event.ClinicalFeedbackGivenData["domains"] => {
  const chosen = world.rng.sample(
    ["bedside-manner", "diagnostic-reasoning", "clinical-skills", "professionalism"] as const,
    world.rng.int(1, 4)
  )
  return [chosen[0] ?? "clinical-skills", ...chosen.slice(1)]
}

/** The attendings who staff an offering of a rotation (all its students share them). */
const rotationTeam = (world: World, block: Block, classOf: number): ReadonlyArray<Faculty> =>
  world.team(block.id, at(block.endDay, 23 * 60), () => {
    const from = at(block.startDay, 0)
    const until = at(block.endDay + 14, 0)
    // About one attending for every three students on the block (a class splits into seven tracks).
    const size = Math.max(minimumTeam, Math.ceil((world.classSizes.get(classOf) ?? 0) / 21)) + world.rng.int(0, 3)
    const own = world.chooseTeam(block.departments, from, until, size)
    if (own.length >= minimumTeam) return own
    const colleagues = world.faculty.filter(
      (f) => f.clinical && !own.includes(f) && facultyPresentThroughout(f, from, until)
    )
    return [...own, ...world.rng.sample(colleagues, minimumTeam - own.length)]
  })

/** The attending on service for a student's week: most weeks a new one, none the student had before. */
const onService = (world: World, student: Student, block: Block, monday: number): Faculty | undefined => {
  const rng = world.rng
  if (student.rotation?.block !== block.id) student.rotation = { block: block.id, byWeek: [] }
  const { byWeek } = student.rotation
  const from = at(monday, 0)
  const available = rotationTeam(world, block, student.classOf).filter((f) =>
    facultyPresentThroughout(f, from, from + 7 * DAY)
  )
  const previous = byWeek[byWeek.length - 1]
  const stays = previous !== undefined && available.includes(previous) && !rng.chance(handoverOdds)
  const fresh = available.filter((f) => !byWeek.includes(f))
  const attending = stays ? previous : rng.pick(fresh.length > 0 ? fresh : available.filter((f) => f !== previous))
  if (attending !== undefined) {
    byWeek.push(attending)
    world.truth.onService(
      student,
      {
        rotationId: block.id,
        kind: block.kind === "clerkship" ? "clerkship" : "rotation",
        specialty: block.name,
        startedOn: isoDate(block.startDay),
        endedOn: isoDate(block.endDay)
      },
      attending
    )
  }
  return attending
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

const complete = (world: World, student: Student, block: Block, byWeek: ReadonlyArray<Faculty>): void => {
  const rng = world.rng
  const ends = at(block.endDay, rng.int(15 * 60, 19 * 60))
  const attendings = [...new Set(byWeek)]
  const present = attendings.filter((f) => facultyPresent(f, ends))
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
  if (!completed) return
  world.truth.completed(student, block.id)
  // The attending of the last weeks is the one a student thanks first.
  const last = present[present.length - 1]
  if (last === undefined) return
  const prompt = student.archetype === "proactive" ? 4 : 10
  if (rng.chance(student.habits.thankYouAfterRotation)) {
    thank(world, student, last, between(rng, ends + 12 * 3_600_000, ends + prompt * DAY))
    const another = present[present.length - 2]
    if (another !== undefined && rng.chance(0.4))
      thank(world, student, another, between(rng, ends + DAY, ends + prompt * DAY))
    return
  }
  const nudgeAt = between(rng, ends + 5 * DAY, ends + 7 * DAY)
  if (
    maybeNudge(
      world,
      nudgeAt,
      student,
      {
        ruleId: ruleIds.thankYou,
        // core thanks a rotation's faculty in one follow-up (a note to any of them settles
        // it); the nudge still names the attending of the last weeks
        facultyIds: present,
        subject: block.id,
        occasion: "rotation"
      },
      last
    ) &&
    rng.chance(student.habits.nudgeResponse)
  ) {
    thank(world, student, last, between(rng, nudgeAt + 3_600_000, nudgeAt + 5 * DAY))
  }
}

/**
 * A student's week in a clerkship or rotation starting on the Monday `monday`: nothing
 * during the winter break or a week the student is away.
 *
 * @since 0.1.0
 * @category clinical
 */
export const rotationWeek = (world: World, student: Student, block: Block, monday: number): void => {
  const rng = world.rng
  const worked = !inWinterBreak(monday) && studentPresentThroughout(student, at(monday, 0), at(monday + 5, 0))
  const attending = worked ? onService(world, student, block, monday) : undefined
  if (attending !== undefined) {
    const setting = block.kind === "clerkship" ? "clerkship" : "rotation"
    const weeks = Math.round((block.endDay - block.startDay + 3) / 7)
    const midpoint = Math.round((monday - block.startDay) / 7) === Math.floor(weeks / 2)
    const drawn = rng.poisson(student.habits.feedbackPerClinicalWeek)
    // A mid-point review is due in the middle week (LCME 9.7) and almost always happens.
    const cards = midpoint && drawn === 0 && rng.chance(0.95) ? 1 : drawn
    for (let i = 0; i < cards; i++) {
      world.emit(
        "ClinicalFeedbackGiven",
        inWeek(rng, monday, 0, 4, 8 * 60, 19 * 60),
        { studentId: student.id, facultyId: attending.id, setting, domains: domainsOf(world) },
        student,
        [attending]
      )
    }
    // The rotation's weekly case conference, on its LMS page: discussion with the team.
    const team = world.teams.get(block.id)?.members ?? [attending]
    const discussions = rng.poisson(student.habits.lectureContributionsPerWeek / 7)
    for (let i = 0; i < discussions; i++) {
      const faculty = rng.pick(team) ?? attending
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
      careerConversation(world, student, attending, inWeek(rng, monday, 0, 4, 12 * 60, 18 * 60))
    }
  }
  const byWeek = student.rotation?.block === block.id ? student.rotation.byWeek : []
  if (block.endDay >= monday && block.endDay < monday + 7 && byWeek.length > 0) complete(world, student, block, byWeek)
}

const declare = (world: World, student: Student, specialty: string, when: number, final: boolean): void => {
  const rng = world.rng
  const declared = world.emit("SpecialtyDeclared", when, { studentId: student.id, specialty }, student, [])
  if (!declared) return
  student.declared = specialty
  if (final && rng.chance(specialtyAdvisorOdds[student.archetype])) {
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
