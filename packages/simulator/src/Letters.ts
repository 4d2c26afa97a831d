/**
 * Residency application seasons. For the cycle of each Match year (the graduating class),
 * students ask for three or four letters of recommendation for their specialty (programs
 * read at most four), two or three of them from its faculty — the attendings of their
 * sub-internship and specialty rotations, asked once those are done — and the rest from
 * the faculty who know them best; some also ask for a fallback specialty. Proactive
 * students ask early in summer, passive and isolated ones late, sometimes cold. Faculty
 * commit quickly or slowly (a few never answer, and the student asks someone else),
 * decline more often when they barely know the student, and mostly submit by
 * mid-September; after Match Day many students send their writers an update.
 *
 * The calendar is the real one: the season opens in June of cycle−1, letters are due by
 * 15 September and programs review from late September, long before graduation in May.
 *
 * @since 0.1.0
 */
import { applicationSeason, matchDay } from "./AcademicCalendar.js"
import { between } from "./internal/When.js"
import { maybeNudge, ruleIds } from "./Nudges.js"
import { type Faculty, facultyPresentThroughout, type Student, studentPresentThroughout } from "./People.js"
import { at, DAY, dayOf } from "./SchoolTime.js"
import { looksLike } from "./Ties.js"
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
  proactive: [5, 1, 7, 1],
  engaged: [5, 20, 7, 31],
  passive: [6, 20, 8, 15],
  isolated: [7, 1, 8, 10]
} as const

/** Letters a student asks for their specialty: three or four (programs read at most four). */
const lettersWanted = (world: World, student: Student): number => {
  const rng = world.rng
  switch (student.archetype) {
    case "proactive":
      return 4
    case "engaged":
      return rng.chance(0.7) ? 4 : 3
    case "passive":
      return rng.chance(0.6) ? 4 : 3
    case "isolated":
      return rng.chance(0.6) ? 4 : 3
  }
}

/**
 * The best writer not yet asked: the strongest tie (the specialty's faculty count extra),
 * only among the specialty's faculty when `inSpecialty`; else a cold ask in the specialty;
 * else, when the specialty has nobody left to ask, whoever knows the student best, or a
 * clinician the student asks cold.
 */
const chooseWriter = (
  world: World,
  season: Season,
  student: Student,
  specialty: string,
  inSpecialty: boolean,
  when: number
): readonly [Faculty, number] | undefined => {
  const until = at(dayOf(season.cycle - 1, 11, 1), 0)
  const asked = season.asked.get(student) ?? new Set<Faculty>()
  let best: readonly [Faculty, number] | undefined
  let anyone: readonly [Faculty, number] | undefined
  for (const [faculty, strength] of world.strongest(student, when, until)) {
    if (asked.has(faculty)) continue
    const score = strength * (faculty.department === specialty ? 1.6 : 1)
    if (anyone === undefined || score > anyone[1]) anyone = [faculty, score]
    if (inSpecialty && faculty.department !== specialty) continue
    if (best === undefined || score > best[1]) best = [faculty, score]
  }
  const known = (chosen: readonly [Faculty, number]) => [chosen[0], world.strength(student, chosen[0], when)] as const
  if (best !== undefined && best[1] >= 0.5) return known(best)
  const notAsked = (f: Faculty) => (asked.has(f) ? 0 : 1)
  const cold = world.pickFaculty(world.department(specialty), when, until, notAsked)
  if (cold !== undefined) return known([cold, 0])
  if (anyone !== undefined) return known(anyone)
  const clinician = world.pickFaculty(world.faculty, when, until, (f) => (f.clinical ? notAsked(f) : 0))
  return clinician === undefined ? undefined : known([clinician, 0])
}

/**
 * One letter a student wants: for `specialty`, from its faculty when `inSpecialty`; after
 * `retries` more refusals or silences the student gives up on it.
 */
interface Wanted {
  readonly specialty: string
  readonly inSpecialty: boolean
  readonly retries: number
}

const request = (world: World, season: Season, student: Student, wanted: Wanted, when: number): void => {
  const rng = world.rng
  const { specialty } = wanted
  const chosen = chooseWriter(world, season, student, specialty, wanted.inSpecialty, when)
  if (chosen === undefined) return
  const [writer, strength] = chosen
  const letterId = `ltr-${season.cycle}-${world.serial("letter")}`
  const ids = { studentId: student.id, facultyId: writer.id, letterId }
  if (!world.emit("LetterRequested", when, { ...ids, cycle: season.cycle, specialty }, student, [writer])) return
  world.truth.applied(student, specialty)
  const asked = season.asked.get(student) ?? new Set<Faculty>()
  asked.add(writer)
  season.asked.set(student, asked)
  const dates = applicationSeason(season.cycle)
  // A student asks someone else when a writer declines or stays silent, until early September.
  const askAgain = (from: number, until: number) => {
    const again = between(rng, from, until)
    const next = { ...wanted, retries: wanted.retries - 1 }
    if (wanted.retries > 0 && again < at(dates.requestsUntil + 25, 0)) {
      world.schedule(again, () => request(world, season, student, next, again))
    }
  }
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
  if (rng.chance(0.01 + 0.05 * (1 - writer.diligence))) {
    chase()
    askAgain(when + 21 * DAY, when + 28 * DAY)
    return
  }
  const delayDays = Math.max(0.3, rng.exponential(2 + 8 * (1 - writer.diligence)))
  const respondAt = between(rng, when + delayDays * DAY, when + (delayDays + 1) * DAY)
  if (delayDays > 14) chase()
  const load = season.load.get(writer) ?? 0
  // Faculty who know the student rarely refuse; a cold ask is refused one time in three.
  const declines = rng.chance(0.03 + 0.32 * (1 - familiarity) ** 2 + (load >= 10 ? 0.25 : 0))
  if (declines) {
    world.emit("LetterDeclined", respondAt, ids, student, [writer])
    askAgain(respondAt + DAY, respondAt + 5 * DAY)
    return
  }
  if (!world.emit("LetterCommitted", respondAt, ids, student, [writer])) return
  season.load.set(writer, load + 1)
  const r = rng.float()
  if (r < 0.005) return
  const due = at(dates.lettersDue, 17 * 60)
  const earliest = Math.max(respondAt + 3 * DAY, at(dates.opens, 9 * 60))
  const late = r < 0.005 + 0.03 * (1 - writer.diligence) || earliest >= due
  const submitAt = late ? between(rng, due + DAY, due + 30 * DAY) : between(rng, earliest, due)
  if (submitAt >= writer.leavesAt) return
  world.schedule(submitAt, () => {
    if (world.emit("LetterSubmitted", submitAt, ids, student, [writer])) {
      const writers = season.writers.get(student) ?? []
      writers.push(writer)
      season.writers.set(student, writers)
    }
  })
}

/** The day after the student's sub-internship, the natural moment to ask its attendings. */
const afterSubInternship = (student: Student, cycle: number): number | undefined => {
  const subI = student.blocks.find((block) => block.id.startsWith("SUBI-"))
  return subI !== undefined && subI.endDay < dayOf(cycle - 1, 8, 1) ? subI.endDay + 3 : undefined
}

const planStudent = (world: World, season: Season, student: Student, from: number): void => {
  const rng = world.rng
  const [fromMonth, fromDay, untilMonth, untilDay] = windows[student.archetype]
  const year = season.cycle - 1
  const start = Math.max(from, at(dayOf(year, fromMonth, fromDay), 0))
  const end = Math.max(start + 7 * DAY, at(dayOf(year, untilMonth, untilDay), 0))
  const specialty = student.specialty
  const subI = afterSubInternship(student, season.cycle)
  const specialtyStart = subI === undefined ? start : Math.max(start, at(subI, 0))
  const plan: Array<readonly [number, Wanted]> = []
  const wanted = lettersWanted(world, student)
  const fromSpecialty = wanted === 4 && rng.chance(0.5) ? 3 : 2
  for (let i = 0; i < wanted; i++) {
    const inSpecialty = i < fromSpecialty
    const when = inSpecialty
      ? between(rng, specialtyStart, Math.max(specialtyStart + 7 * DAY, end))
      : between(rng, start, end)
    plan.push([when, { specialty, inSpecialty, retries: 2 }])
  }
  const backup = student.backupSpecialty
  if (backup !== undefined) {
    for (let i = rng.int(1, 3); i > 0; i--) {
      plan.push([between(rng, start + 14 * DAY, end + 14 * DAY), { specialty: backup, inSpecialty: true, retries: 1 }])
    }
  }
  for (const [when, letter] of plan) world.schedule(when, () => request(world, season, student, letter, when))
  const readinessCheck = between(rng, at(dayOf(year, 7, 1), 0), at(dayOf(year, 7, 8), 0))
  if (readinessCheck > from) {
    world.schedule(readinessCheck, () => {
      // The school's nudging system reads readiness as Rapport does: three advocates, two in the specialty.
      let advocates = 0
      let inSpecialty = 0
      student.ties.forEach((tie, faculty) => {
        if (!looksLike(tie, "advocate", readinessCheck, world.halfLifeMs)) return
        advocates++
        if (faculty.department === specialty) inSpecialty++
      })
      if (advocates >= 3 && inSpecialty >= 2) return
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
    // A student away during the season (a leave, a withdrawal) does not apply this cycle.
    const reviewFrom = at(dates.reviewFrom, 0)
    for (const student of world.students) {
      if (student.classOf === cycle && studentPresentThroughout(student, planAt, reviewFrom)) {
        planStudent(world, season, student, planAt)
      }
    }
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
