/**
 * Residency application seasons. For the cycle of each Match year (the graduating class),
 * students ask for letters of recommendation — proactive students early in spring and
 * from faculty who know them well, passive and isolated students late in summer and
 * sometimes cold — mostly in their declared specialty, some also for a fallback specialty,
 * a few more than the four a program accepts. Faculty commit quickly or slowly (a few
 * never answer), decline more often when they barely know the student, and submit by
 * mid-September or late; after Match Day many students send their writers an update.
 *
 * The calendar is the real one: the season opens in June of cycle−1, letters are due by
 * 15 September and programs review from late September, long before graduation in May.
 *
 * @since 0.1.0
 */
import { applicationSeason, matchDay } from "./AcademicCalendar.js"
import { between } from "./internal/When.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import { type Faculty, facultyPresentThroughout, type Student } from "./People.js"
import { at, DAY, dayOf } from "./SchoolTime.js"
import type { World } from "./World.js"

/** One cycle's bookkeeping: who was asked, how many letters each writer took on, who wrote. */
interface Season {
  readonly cycle: number
  readonly asked: Map<Student, Set<Faculty>>
  readonly load: Map<Faculty, number>
  readonly writers: Map<Student, Array<Faculty>>
}

/** When each kind of student asks for letters: [month, day] to [month, day] of cycle−1. */
const windows = {
  proactive: [4, 1, 5, 31],
  engaged: [5, 1, 7, 15],
  passive: [6, 15, 8, 10],
  isolated: [7, 15, 8, 20]
} as const

const lettersWanted = (world: World, student: Student): number => {
  const rng = world.rng
  switch (student.archetype) {
    case "proactive":
      return 4 + (rng.chance(0.5) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0)
    case "engaged":
      return 3 + (rng.chance(0.5) ? 1 : 0)
    case "passive":
      return 3
    case "isolated":
      return rng.chance(0.5) ? 3 : 2
  }
}

/** The best writer not yet asked: the strongest tie (specialty counts extra), else a cold ask in the specialty. */
const chooseWriter = (
  world: World,
  season: Season,
  student: Student,
  specialty: string,
  when: number
): readonly [Faculty, number] | undefined => {
  const until = at(dayOf(season.cycle - 1, 11, 1), 0)
  const asked = season.asked.get(student) ?? new Set<Faculty>()
  let best: readonly [Faculty, number] | undefined
  for (const [faculty, strength] of world.strongest(student, when, until)) {
    if (asked.has(faculty)) continue
    const score = strength * (faculty.department === specialty ? 1.6 : 1)
    if (best === undefined || score > best[1]) best = [faculty, score]
  }
  if (best !== undefined && best[1] >= 0.5) return [best[0], world.strength(student, best[0], when)]
  const cold = world.pickFaculty(world.department(specialty), when, until, (f) => (asked.has(f) ? 0 : 1))
  return cold === undefined ? best : [cold, world.strength(student, cold, when)]
}

const request = (world: World, season: Season, student: Student, specialty: string, when: number): void => {
  const rng = world.rng
  const chosen = chooseWriter(world, season, student, specialty, when)
  if (chosen === undefined) return
  const [writer, strength] = chosen
  const letterId = `ltr-${season.cycle}-${world.serial("letter")}`
  const ids = { studentId: student.id, facultyId: writer.id, letterId }
  if (!world.emit("LetterRequested", when, { ...ids, cycle: season.cycle, specialty }, student, [writer])) return
  const asked = season.asked.get(student) ?? new Set<Faculty>()
  asked.add(writer)
  season.asked.set(student, asked)
  const dates = applicationSeason(season.cycle)
  const familiarity = strength / (strength + 3)
  const chase = () => {
    const nudgeAt = between(rng, when + 14 * DAY, when + 17 * DAY)
    if (
      maybeNudge(world, nudgeAt, student, {
        ruleId: ruleIds.letterPipeline,
        facultyIds: [writer],
        subject: letterId,
        occasion: "commit"
      }) &&
      rng.chance(student.habits.nudgeResponse)
    ) {
      world.emit(
        "FollowUpSent",
        between(rng, nudgeAt + DAY, nudgeAt + 5 * DAY),
        { studentId: student.id, facultyId: writer.id, kind: "check-in", channel: "email" },
        student,
        [writer]
      )
    }
  }
  if (rng.chance(0.02 + 0.08 * (1 - writer.diligence))) {
    chase()
    return
  }
  const delayDays = Math.max(0.3, rng.exponential(3 + 12 * (1 - writer.diligence)))
  const respondAt = between(rng, when + delayDays * DAY, when + (delayDays + 1) * DAY)
  if (delayDays > 14) chase()
  const load = season.load.get(writer) ?? 0
  const declines = rng.chance(0.04 + 0.4 * (1 - familiarity) + (load >= 10 ? 0.25 : 0))
  if (declines) {
    world.emit("LetterDeclined", respondAt, ids, student, [writer])
    const again = between(rng, respondAt + 2 * DAY, respondAt + 10 * DAY)
    if (again < at(dates.requestsUntil + 10, 0))
      world.schedule(again, () => request(world, season, student, specialty, again))
    return
  }
  if (!world.emit("LetterCommitted", respondAt, ids, student, [writer])) return
  season.load.set(writer, load + 1)
  const r = rng.float()
  if (r < 0.02) return
  const due = at(dates.lettersDue, 17 * 60)
  const earliest = Math.max(respondAt + 3 * DAY, at(dates.opens, 9 * 60))
  const late = r < 0.08 + 0.12 * (1 - writer.diligence) || earliest >= due
  const submitAt = late ? between(rng, due + DAY, due + 45 * DAY) : between(rng, earliest, due)
  if (submitAt >= writer.leavesAt) return
  world.schedule(submitAt, () => {
    if (world.emit("LetterSubmitted", submitAt, ids, student, [writer])) {
      const writers = season.writers.get(student) ?? []
      writers.push(writer)
      season.writers.set(student, writers)
    }
  })
}

const planStudent = (world: World, season: Season, student: Student, from: number): void => {
  const rng = world.rng
  const [fromMonth, fromDay, untilMonth, untilDay] = windows[student.archetype]
  const year = season.cycle - 1
  const start = Math.max(from, at(dayOf(year, fromMonth, fromDay), 0))
  const end = Math.max(start + 7 * DAY, at(dayOf(year, untilMonth, untilDay), 0))
  const specialty = student.declared ?? student.specialty
  const plan: Array<readonly [number, string]> = []
  for (let i = lettersWanted(world, student); i > 0; i--) plan.push([between(rng, start, end), specialty])
  const backup = student.backupSpecialty
  if (backup !== undefined) {
    for (let i = rng.int(1, 3); i > 0; i--) plan.push([between(rng, start + 14 * DAY, end + 14 * DAY), backup])
  }
  for (const [when, wanted] of plan) world.schedule(when, () => request(world, season, student, wanted, when))
  const readinessCheck = between(rng, at(dayOf(year, 7, 1), 0), at(dayOf(year, 7, 8), 0))
  if (readinessCheck > from) {
    world.schedule(readinessCheck, () => {
      const known = world.strongest(student, readinessCheck, readinessCheck + 90 * DAY).filter(([, s]) => s > 3)
      if (known.length >= 2) return
      if (
        !maybeNudge(world, readinessCheck, student, {
          ruleId: ruleIds.letterReadiness,
          facultyIds: [],
          subject: String(season.cycle)
        })
      )
        return
      if (!rng.chance(student.habits.nudgeResponse)) return
      const visitAt = between(rng, readinessCheck + 2 * DAY, readinessCheck + 14 * DAY)
      const faculty = world.pickFaculty(
        world.department(specialty),
        visitAt,
        visitAt + DAY,
        (f) => 1 + f.mentorAppetite
      )
      if (faculty === undefined) return
      world.emit(
        "OfficeHoursVisited",
        visitAt,
        {
          studentId: student.id,
          facultyId: faculty.id,
          durationMinutes: rng.int(15, 40),
          topic: "career",
          initiatedBy: "student"
        },
        student,
        [faculty]
      )
    })
  }
}

const updateAfterMatch = { proactive: 0.8, engaged: 0.5, passive: 0.15, isolated: 0.05 } as const

/**
 * Schedules the application season of a cycle: planning each graduating student's letter
 * requests shortly before requests open (or at once if the simulation starts mid-season),
 * and the updates students send their writers and mentors after Match Day.
 *
 * @since 0.1.0
 * @category letters
 */
export const scheduleSeason = (world: World, cycle: number): void => {
  const dates = applicationSeason(cycle)
  const planAt = Math.max(world.start + DAY, at(dates.requestsFrom - 7, 0))
  if (planAt >= world.end || planAt >= at(dates.requestsUntil, 0)) return
  const season: Season = { cycle, asked: new Map(), load: new Map(), writers: new Map() }
  world.schedule(planAt, () => {
    for (const student of world.students) if (student.classOf === cycle) planStudent(world, season, student, planAt)
  })
  const match = at(matchDay(cycle), 12 * 60)
  world.schedule(match, () => {
    for (const student of world.students) {
      if (student.classOf !== cycle || !world.rng.chance(updateAfterMatch[student.archetype])) continue
      const mentors = student.mentorships.filter((m) => !m.ended).map((m) => m.faculty)
      const people = [...new Set([...(season.writers.get(student) ?? []), ...mentors])]
      for (const faculty of people) {
        const when = between(world.rng, match + 3_600_000, match + 10 * DAY)
        if (!facultyPresentThroughout(faculty, when, when + 1)) continue
        world.emit(
          "FollowUpSent",
          when,
          { studentId: student.id, facultyId: faculty.id, kind: "update", channel: "email" },
          student,
          [faculty]
        )
      }
    }
    season.asked.clear()
    season.load.clear()
    season.writers.clear()
  })
}
