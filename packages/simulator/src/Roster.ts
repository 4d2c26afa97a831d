/**
 * Who is in the school and when: hiring faculty (with a department, a rank and a tenure),
 * enrolling each summer's class (with archetypes, habits, a curriculum and a life plan),
 * and the events that mark those lives — `StudentEnrolled`, `StudentStatusChanged` (leave,
 * return, withdrawal, graduation), `StudentErasureRequested`, `FacultyJoined`,
 * `FacultyLeft` — with everything a departure closes (mentorships, research roles) closed
 * just before it.
 *
 * The school opens its books on the first day of the simulation: the classes already
 * enrolled and the faculty on staff are loaded then, with a little unseen history (the
 * simulator's own ties) so that the first letter season has writers to ask.
 *
 * @since 0.1.0
 */
import { clinicalBlocks, commencementDay, preclinicalBlocks, yearStarts } from "./AcademicCalendar.js"
import { type Archetype, archetypes, type Habits } from "./Behaviour.js"
import { type Department, departments, programs, ranks, specialties } from "./Catalog.js"
import { between } from "./internal/When.js"
import {
  assignAdvisor,
  assignSpecialtyAdvisor,
  closeMentorships,
  handOverMentees,
  specialtyAdvisorOdds
} from "./Mentoring.js"
import type { Faculty, Leave, Student } from "./People.js"
import { normalQuantile, type Random } from "./Random.js"
import { closeResearch, closeResearchOf } from "./Research.js"
import { at, DAY, MINUTE, schoolDay, WEEK, yearOf } from "./SchoolTime.js"
import type { World } from "./World.js"

const weightedName = (rng: Random, table: ReadonlyArray<readonly [string, number]>): string =>
  table[rng.weightedIndex(table.map(([, w]) => w))]?.[0] ?? table[0]?.[0] ?? ""

/**
 * Faculty per department for a staff of `total`: proportional to the department weights,
 * at least one in each department when there are enough people (largest remainders).
 *
 * @since 0.1.0
 * @category constructors
 */
export const staffing = (total: number): Array<readonly [Department, number]> => {
  const weightSum = departments.reduce((sum, d) => sum + d.weight, 0)
  const floorOne = total >= departments.length ? 1 : 0
  const raw = departments.map((d) => Math.max(floorOne, (total * d.weight) / weightSum))
  const counts = raw.map(Math.floor)
  let left = total - counts.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]?.[1] ?? 0
    counts[i] = (counts[i] ?? 0) + 1
  }
  for (let i = counts.length - 1; left < 0 && i >= 0; i--) {
    if ((counts[i] ?? 0) > floorOne) {
      counts[i] = (counts[i] ?? 0) - 1
      left++
    }
  }
  return departments.map((d, i) => [d, counts[i] ?? 0] as const)
}

/** When a faculty member hired at `joinsAt` leaves: a yearly hazard, most at the end of June. */
const drawDeparture = (world: World, rng: Random, joinsAt: number): number => {
  for (let year = yearOf(Math.floor(joinsAt / DAY) - 181); ; year++) {
    const yearStart = at(Date.UTC(year, 6, 1) / DAY, 0)
    if (yearStart >= world.end) return Number.POSITIVE_INFINITY
    if (!rng.chance(world.behaviour.facultyTurnoverPerYear)) continue
    const leaves = rng.chance(0.6)
      ? at(Date.UTC(year + 1, 5, 30) / DAY, 17 * 60)
      : between(rng, yearStart, at(Date.UTC(year + 1, 6, 1) / DAY, 0))
    if (leaves > joinsAt + 60 * DAY) return leaves < world.end ? leaves : Number.POSITIVE_INFINITY
  }
}

/**
 * Hires a faculty member in `department` who starts at `joinsAt`: records `FacultyJoined`
 * then, and schedules their departure (and their replacement's hiring). `quantile` places
 * their appetite for mentoring in the staff's distribution (stratified for the initial
 * staff, so that every seed gives the same shape of mentoring load).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const hire = (world: World, department: Department, joinsAt: number, quantile?: number): Faculty => {
  const rng = world.rng
  const index = world.faculty.length
  const b = world.behaviour
  const rank = rng.chance(0.95) ? weightedName(rng, ranks) : undefined
  // Volunteers for the advisory college are those keenest on mentoring.
  const appetite = quantile ?? rng.between(0.0005, 0.9995)
  const researchShare = department.clinical ? b.researchFacultyShare : Math.min(1, b.researchFacultyShare * 2)
  const member: Faculty = {
    index,
    id: `f-${10001 + index}`,
    department: department.name,
    clinical: department.clinical,
    rank,
    joinsAt,
    leavesAt: drawDeparture(world, rng, joinsAt),
    mentorAppetite: Math.exp(b.mentorAppetiteSigma * normalQuantile(appetite)),
    advisor: appetite > 1 - b.advisoryPoolShare && rank !== "clinical instructor",
    labAppetite: rng.chance(researchShare) ? rng.logNormal(0, 1) : 0,
    diligence: 0.25 + 0.75 * Math.sqrt(rng.float()),
    projects: 0
  }
  world.addFaculty(member)
  world.truth.hired(member)
  world.schedule(joinsAt, () => {
    world.emit(
      "FacultyJoined",
      joinsAt,
      rank === undefined
        ? { facultyId: member.id, department: member.department }
        : { facultyId: member.id, department: member.department, rank },
      undefined,
      [member]
    )
  })
  if (Number.isFinite(member.leavesAt)) {
    world.schedule(member.leavesAt - 2 * DAY, () => {
      handOverMentees(world, member, member.leavesAt - 2 * DAY + 9 * 60 * MINUTE)
      closeResearchOf(world, member, member.leavesAt - 2 * DAY + 10 * 60 * MINUTE)
    })
    world.schedule(member.leavesAt, () => {
      world.emit("FacultyLeft", member.leavesAt, { facultyId: member.id }, undefined, [], { unchecked: true })
      const successorStarts = between(rng, member.leavesAt + 20 * DAY, member.leavesAt + 120 * DAY)
      if (successorStarts < world.end) hire(world, department, successorStarts)
    })
  }
  return member
}

/**
 * One student's habits: their type's, each scaled by a small personal factor, and every
 * discretionary habit also by the student's reach (one factor, widely spread for passive
 * and isolated students), so that types differ on average and overlap at the edges.
 */
const personalHabits = (rng: Random, habits: Habits, reachSigma: number): Habits => {
  const scale = (value: number, cap?: number): number => {
    const scaled = value * rng.logNormal(0, 0.25)
    return cap === undefined ? scaled : Math.min(cap, scaled)
  }
  // Mean one: the type's habits are its averages; σ only spreads students around them.
  const reach = rng.logNormal(-(reachSigma * reachSigma) / 2, reachSigma)
  const reaching = (value: number, cap?: number): number => {
    const scaled = value * reach * rng.logNormal(0, 0.15)
    return cap === undefined ? scaled : Math.min(cap, scaled)
  }
  return {
    lectureContributionsPerWeek: scale(habits.lectureContributionsPerWeek),
    smallGroupParticipation: scale(habits.smallGroupParticipation, 1),
    officeHoursPerCourse: reaching(habits.officeHoursPerCourse),
    earlyVisitShare: scale(habits.earlyVisitShare, 1),
    thankYouAfterRotation: reaching(habits.thankYouAfterRotation, 1),
    mentorMeetingEveryDays: habits.mentorMeetingEveryDays / reaching(1),
    researchPerYear: reaching(habits.researchPerYear, 1),
    feedbackPerClinicalWeek: scale(habits.feedbackPerClinicalWeek),
    stayInTouchPerYear: reaching(habits.stayInTouchPerYear),
    nudgeResponse: reaching(habits.nudgeResponse, 1),
    careerVisitsPerYear: reaching(habits.careerVisitsPerYear)
  }
}

/**
 * A specialty, chosen by national popularity among those the school's faculty can teach:
 * a department of one attracts nobody and a department of two fewer (students of a very
 * small school who choose such a specialty get their letters on away rotations, which
 * Rapport never sees).
 */
const pickSpecialty = (world: World, except?: string): string => {
  const pool = specialties.filter((s) => s.name !== except)
  const staffed = (name: string): number => {
    const staff = world.department(name).length
    return staff >= 3 ? 1 : staff === 2 ? 0.3 : 0
  }
  const weights = pool.map((s) => s.popularity * staffed(s.name))
  const chosen = weights.some((w) => w > 0)
    ? world.rng.weightedIndex(weights)
    : world.rng.weightedIndex(pool.map((s) => s.popularity))
  return pool[chosen]?.name ?? "Internal Medicine"
}

/** Withdrawal, leaves and erasure for a student enrolled at `enrolledAt`. */
const drawPlan = (world: World, rng: Random, classOf: number, enrolledAt: number, graduatesAt: number) => {
  const starts = yearStarts(classOf).map((day) => at(day, 0))
  const windows = starts.map((s, i) => [Math.max(s, enrolledAt), starts[i + 1] ?? graduatesAt] as const)
  let withdrawsAt = Number.POSITIVE_INFINITY
  windows.forEach(([from, until], i) => {
    if (!Number.isFinite(withdrawsAt) && until > from) {
      const share = (until - from) / 365 / DAY
      if (rng.chance((world.behaviour.withdrawalByYear[i] ?? 0) * Math.min(1, share))) {
        withdrawsAt = between(rng, from, until)
      }
    }
  })
  const leaves: Array<Leave> = []
  for (const [from, until] of windows) {
    if (until <= from || !rng.chance(world.behaviour.leavePerYear * Math.min(1, (until - from) / 365 / DAY))) continue
    const leaveFrom = between(rng, from, until)
    const leaveTo = leaveFrom + rng.int(8, 25) * WEEK
    if (leaveFrom >= withdrawsAt || leaveTo > graduatesAt - 21 * DAY) continue
    leaves.push({ from: leaveFrom, to: leaveTo, returns: !(withdrawsAt > leaveFrom && withdrawsAt < leaveTo) })
  }
  const erasureAt = Number.isFinite(withdrawsAt)
    ? rng.chance(world.behaviour.erasureShareOfWithdrawn)
      ? withdrawsAt + rng.int(60, 181) * DAY
      : undefined
    : rng.chance(world.behaviour.erasureShareOfGraduates)
      ? graduatesAt + rng.int(30, 366) * DAY
      : undefined
  return { withdrawsAt, leaves, erasureAt }
}

/**
 * Enrols a student in the class graduating in `classOf` at `enrolledAt`: records
 * `StudentEnrolled`, assigns an advisory-college mentor, and schedules the student's leaves,
 * withdrawal or graduation. `priorYears` of unseen history give the student some ties
 * (students already enrolled when the school's books open).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const enrol = (
  world: World,
  classOf: number,
  serial: number,
  enrolledAt: number,
  priorYears: number,
  archetype: Archetype
): Student => {
  const rng = world.rng
  const b = world.behaviour
  const specialty = pickSpecialty(world)
  const interests = [...new Set([...(rng.chance(0.5) ? [specialty] : []), ...[0, 1].map(() => pickSpecialty(world))])]
  const electives = [...new Set([...interests, pickSpecialty(world), pickSpecialty(world), pickSpecialty(world)])]
  const graduatesAt = at(commencementDay(classOf), 10 * 60)
  const plan = drawPlan(world, rng, classOf, enrolledAt, graduatesAt)
  // Students loaded when the books open start with their next block, never one already under way.
  const enrolledDay = schoolDay(enrolledAt)
  const blocks = [
    ...preclinicalBlocks(classOf),
    ...clinicalBlocks(classOf, rng.int(0, 7), specialty, rng.sample(electives, electives.length))
  ].filter((block) => block.startDay >= enrolledDay)
  const student: Student = {
    index: world.serial("student"),
    id: `s-${classOf}-${String(serial).padStart(4, "0")}`,
    classOf,
    program: weightedName(rng, programs),
    archetype,
    habits: personalHabits(rng, b.habits[archetype], b.reachSigma[archetype]),
    enrolledAt,
    graduatesAt,
    withdrawsAt: plan.withdrawsAt,
    leaves: plan.leaves,
    erasureAt: plan.erasureAt,
    specialty,
    backupSpecialty: rng.chance(0.08) ? pickSpecialty(world, specialty) : undefined,
    interests,
    blocks,
    blockCursor: 0,
    declared: undefined,
    rotation: undefined,
    facilitators: new Map(),
    mentorships: [],
    research: [],
    ties: new Map()
  }
  world.students.push(student)
  world.truth.enrolled(student)
  world.classSizes.set(classOf, (world.classSizes.get(classOf) ?? 0) + 1)
  world.emit(
    "StudentEnrolled",
    enrolledAt,
    rng.chance(0.7)
      ? { studentId: student.id, graduationYear: classOf, program: student.program, specialtyInterests: interests }
      : { studentId: student.id, graduationYear: classOf, program: student.program },
    student,
    []
  )
  if (priorYears > 0) seedHistory(world, student, priorYears)
  // Students already enrolled when the books open have known their advisor for years.
  assignAdvisor(world, student, enrolledAt + rng.int(5, 120) * MINUTE, { carriedOver: priorYears > 0 })
  scheduleLife(world, student)
  return student
}

/**
 * The archetypes of an entering class of `size`: the behaviour's shares rounded by
 * largest remainders, in random order (so every class has the expected mix).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const classMix = (world: World, size: number): Array<Archetype> => {
  const shares = world.behaviour.archetypeShares
  const total = archetypes.reduce((sum, a) => sum + shares[a], 0)
  const exact = archetypes.map((a) => (size * shares[a]) / total)
  const counts = exact.map(Math.floor)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1])
  for (let left = size - counts.reduce((a, c) => a + c, 0), k = 0; left > 0; left--, k++) {
    const i = order[k % order.length]?.[1] ?? 0
    counts[i] = (counts[i] ?? 0) + 1
  }
  const mix = archetypes.flatMap((a, i) => Array.from({ length: counts[i] ?? 0 }, () => a))
  return world.rng.sample(mix, mix.length)
}

/**
 * Unseen history: ties with a few faculty from before the school's books opened. Students
 * already in year 4 have done their sub-internship and specialty elective (May and June):
 * two to four attendings of their specialty know them from weeks on service.
 */
const seedHistory = (world: World, student: Student, priorYears: number): void => {
  const rng = world.rng
  const factor = { proactive: 1.6, engaged: 1, passive: 0.5, isolated: 0.2 }[student.archetype]
  const remember = (member: Faculty | undefined, strength: number): void => {
    if (member === undefined) return
    // Strength for choosing letter writers, no months or dimensions (core never saw it).
    const tie = student.ties.get(member)
    student.ties.set(member, {
      strength: (tie?.strength ?? 0) + strength,
      at: student.enrolledAt,
      last: Number.NEGATIVE_INFINITY,
      contacts: 0,
      mask: 0,
      months: []
    })
  }
  const decayed = (ageDays: number) => 2 ** (-ageDays / world.behaviour.tieHalfLifeDays)
  if (priorYears >= 3) {
    const onService = rng.sample(world.department(student.specialty), rng.int(2, 5))
    for (const member of onService) remember(member, rng.between(5, 11) * decayed(rng.int(10, 60)))
  }
  const count = Math.round(priorYears * 1.5 * factor + rng.float())
  for (let i = 0; i < count; i++) {
    remember(rng.pick(world.faculty), rng.between(1.5, 7.5) * factor * decayed(rng.int(30, 365 * priorYears)))
  }
}

/** Schedules a student's leaves, withdrawal, erasure and graduation. */
const scheduleLife = (world: World, student: Student): void => {
  const status = (when: number, value: "active" | "leave" | "withdrawn" | "graduated") =>
    world.emit("StudentStatusChanged", when, { studentId: student.id, status: value }, student, [], {
      unchecked: true
    })
  for (const leave of student.leaves) {
    world.schedule(leave.from - 10 * MINUTE, () => status(leave.from, "leave"))
    if (leave.returns) world.schedule(leave.to - 10 * MINUTE, () => status(leave.to, "active"))
  }
  const closing = Math.min(student.withdrawsAt, student.graduatesAt)
  world.schedule(closing - 2 * DAY, () => {
    closeMentorships(world, student, closing - 30 * MINUTE)
    closeResearch(world, student, closing - 40 * MINUTE)
  })
  world.schedule(closing - MINUTE, () => {
    status(closing, Number.isFinite(student.withdrawsAt) ? "withdrawn" : "graduated")
  })
  const erasureAt = student.erasureAt
  if (erasureAt !== undefined) {
    world.schedule(erasureAt, () =>
      world.emit("StudentErasureRequested", erasureAt, { studentId: student.id }, student, [], { unchecked: true })
    )
  }
}

/**
 * Opens the school's books at the start of the simulation: the faculty on staff and the
 * three classes already enrolled (years 2–4), with the mentors and declared specialties
 * the advising office already knows.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const openBooks = (world: World, facultyCount: number, classSize: (classOf: number) => number): void => {
  const load = world.start + 6 * 60 * MINUTE
  const quantiles = world.rng.sample(
    Array.from({ length: facultyCount }, (_, k) => (k + 0.5) / facultyCount),
    facultyCount
  )
  for (const [department, count] of staffing(facultyCount)) {
    for (let i = 0; i < count; i++) hire(world, department, load + world.rng.int(0, 30) * MINUTE, quantiles.pop())
  }
  const firstYear = yearOf(Math.floor(world.start / DAY))
  for (let years = 3; years >= 1; years--) {
    const classOf = firstYear + years
    const mix = classMix(world, classSize(classOf))
    for (let k = 1; k <= mix.length; k++) {
      const when = load + 60 * MINUTE + world.rng.int(0, 60) * MINUTE
      const student = enrol(world, classOf, k, when, 4 - years, mix[k - 1] ?? "engaged")
      if (years === 1) declareAtLoad(world, student, load + 3 * 60 * MINUTE)
    }
  }
}

/** A rising fourth-year on the books: declared, and most with the specialty advisor they have had for months. */
const declareAtLoad = (world: World, student: Student, when: number): void => {
  student.declared = student.specialty
  world.emit("SpecialtyDeclared", when, { studentId: student.id, specialty: student.specialty }, student, [])
  if (world.rng.chance(specialtyAdvisorOdds[student.archetype])) {
    assignSpecialtyAdvisor(world, student, student.specialty, when + 30 * MINUTE, true)
  }
}
