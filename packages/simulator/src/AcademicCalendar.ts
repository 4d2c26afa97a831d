/**
 * The school calendar: when a class enrols (orientation, the last Monday of July), the
 * pre-clinical blocks of years 1 and 2, the clerkships of year 3 and the rotations of year
 * 4, Match Day (third Friday of March) and commencement (third Friday of May), and the
 * residency application season of each cycle (the Match year, which is the graduation
 * year: the season opens in June of the year before and programs review from late
 * September).
 *
 * Pure functions of the graduation year (and of a student's track and choices): the
 * calendar never depends on the seed. Days are day numbers in the school's time zone.
 *
 * @since 0.1.0
 */
import {
  type Clerkship,
  type Course,
  coreClerkships,
  departments,
  specialties,
  yearFourBlocks,
  yearOneCourses,
  yearTwoCourses
} from "./Catalog.js"
import { dayOf, isoDate, mondayOnOrAfter, nthWeekday, weekday } from "./SchoolTime.js"

/**
 * A stretch of a student's curriculum.
 *
 * - `course`: a pre-clinical block (years 1–2), taught by faculty of `departments`;
 * - `doctoring`: the longitudinal small-group course of a year (runs beside the blocks);
 * - `clerkship`: a core clerkship of year 3; `rotation`: a rotation of year 4 (or a year-3
 *   elective), both in `specialty`, with `setting` "clerkship" or "rotation".
 *
 * `startDay` is a Monday and `endDay` a Friday (day numbers, inclusive).
 *
 * @since 0.1.0
 * @category models
 */
export interface Block {
  readonly kind: "course" | "doctoring" | "clerkship" | "rotation"
  readonly id: string
  readonly name: string
  readonly departments: ReadonlyArray<string>
  readonly startDay: number
  readonly endDay: number
  readonly yearOfStudy: 1 | 2 | 3 | 4
}

/**
 * Orientation, when an entering class enrols: the last Monday of July.
 *
 * @since 0.1.0
 * @category calendar
 */
export const orientationDay = (year: number): number => nthWeekday(year, 7, 1, -1)

/**
 * Commencement: the third Friday of May of the graduation year.
 *
 * @since 0.1.0
 * @category calendar
 */
export const commencementDay = (classOf: number): number => nthWeekday(classOf, 5, 5, 3)

/**
 * Match Day: the third Friday of March of the cycle.
 *
 * @since 0.1.0
 * @category calendar
 */
export const matchDay = (cycle: number): number => nthWeekday(cycle, 3, 5, 3)

/**
 * The first day of the two-week winter break that starts in December of `year` (the
 * Monday on or before 22 December).
 *
 * @since 0.1.0
 * @category calendar
 */
export const winterBreakStart = (year: number): number => {
  const day = dayOf(year, 12, 22)
  return day - ((weekday(day) + 6) % 7)
}

/**
 * Whether the week starting on the Monday `monday` is one of the two weeks of winter break
 * (no teaching, no clinical work).
 *
 * @since 0.2.0
 * @category calendar
 */
export const inWinterBreak = (monday: number): boolean => {
  const breakStart = winterBreakStart(new Date((monday - 200) * 86_400_000).getUTCFullYear())
  return monday >= breakStart && monday < breakStart + 14
}

/**
 * The residency application season of a cycle (the Match year).
 *
 * - `requestsFrom` / `requestsUntil`: when students ask for letters;
 * - `opens`: the application service opens (1 June of cycle−1);
 * - `lettersDue`: the date by which letters should be in (15 September);
 * - `reviewFrom`: programs start reviewing (the last Wednesday of September).
 *
 * @since 0.1.0
 * @category calendar
 */
export const applicationSeason = (cycle: number) => ({
  requestsFrom: dayOf(cycle - 1, 3, 15),
  opens: dayOf(cycle - 1, 6, 1),
  requestsUntil: dayOf(cycle - 1, 8, 20),
  lettersDue: dayOf(cycle - 1, 9, 15),
  reviewFrom: nthWeekday(cycle - 1, 9, 3, -1)
})

/**
 * The first day of each year of study for the class graduating in `classOf`.
 *
 * @since 0.1.0
 * @category calendar
 */
export const yearStarts = (classOf: number): readonly [number, number, number, number] => [
  orientationDay(classOf - 4),
  nthWeekday(classOf - 3, 8, 1, 1),
  nthWeekday(classOf - 2, 5, 1, 1),
  nthWeekday(classOf - 1, 5, 1, 1)
]

/**
 * The year of study (1–4) of the class of `classOf` on a day; 0 before orientation, 5 after
 * commencement.
 *
 * @since 0.1.0
 * @category calendar
 */
export const yearOfStudy = (classOf: number, day: number): number => {
  const starts = yearStarts(classOf)
  if (day < starts[0]) return 0
  if (day > commencementDay(classOf)) return 5
  let year = 1
  for (let i = 1; i < 4; i++) if (day >= (starts[i] ?? Number.POSITIVE_INFINITY)) year = i + 1
  return year
}

/** Lays blocks end to end from a Monday; a block that meets the winter break pauses for it. */
const layout = <A>(
  startDay: number,
  items: ReadonlyArray<A>,
  weeksOf: (item: A) => number,
  make: (item: A, startDay: number, endDay: number) => Block | undefined
): Array<Block> => {
  const blocks: Array<Block> = []
  let day = startDay
  for (const item of items) {
    const weeks = weeksOf(item)
    let end = day + weeks * 7 - 3
    const breakStart = winterBreakStart(new Date(day * 86_400_000).getUTCFullYear())
    if (breakStart >= day && breakStart <= end) end += 14
    else if (day >= breakStart && day < breakStart + 14) {
      day = breakStart + 14
      end = day + weeks * 7 - 3
    }
    const block = make(item, day, end)
    if (block !== undefined) blocks.push(block)
    day = end + 3
  }
  return blocks
}

/**
 * The pre-clinical blocks of a class (years 1 and 2), the doctoring course of each year
 * included, in order of start.
 *
 * @since 0.1.0
 * @category calendar
 */
export const preclinicalBlocks = (classOf: number): ReadonlyArray<Block> => {
  const [y1, y2] = yearStarts(classOf)
  const course =
    (yearOfStudy: 1 | 2) =>
    (item: Course, startDay: number, endDay: number): Block => ({
      kind: "course",
      id: `${item.code}-${classOf}`,
      name: item.name,
      departments: item.departments,
      startDay,
      endDay,
      yearOfStudy
    })
  const first = layout(y1 + 7, yearOneCourses, (c) => c.weeks, course(1))
  const second = layout(y2, yearTwoCourses, (c) => c.weeks, course(2))
  const doctoring = (yearOfStudy: 1 | 2, blocks: ReadonlyArray<Block>): Block => ({
    kind: "doctoring",
    id: `DOC${yearOfStudy}-${classOf}`,
    name: `Doctoring ${yearOfStudy === 1 ? "I" : "II"}`,
    departments: [],
    startDay: blocks[0]?.startDay ?? 0,
    endDay: blocks[blocks.length - 1]?.endDay ?? 0,
    yearOfStudy
  })
  return [doctoring(1, first), ...first, doctoring(2, second), ...second]
}

const departmentCode = (name: string): string => departments.find((d) => d.name === name)?.code ?? "GEN"

/**
 * The clinical blocks of one student: the seven core clerkships of year 3 in the order of
 * the student's `track` (0–6), a year-3 elective, then the year-4 rotations — a
 * sub-internship and an elective in `specialty`, emergency medicine, and `electives`
 * (specialties, used in order) — with blocks left free for residency interviews.
 *
 * @since 0.1.0
 * @category calendar
 */
export const clinicalBlocks = (
  classOf: number,
  track: number,
  specialty: string,
  electives: ReadonlyArray<string>
): ReadonlyArray<Block> => {
  const [, , y3, y4] = yearStarts(classOf)
  const shift = ((track % coreClerkships.length) + coreClerkships.length) % coreClerkships.length
  const order = [...coreClerkships.slice(shift), ...coreClerkships.slice(0, shift)]
  let electiveIndex = 0
  const nextElective = (): string => {
    const choice = electives[electiveIndex % Math.max(1, electives.length)] ?? specialties[0]?.name ?? specialty
    electiveIndex++
    return choice
  }
  const rotation =
    (yearOfStudy: 3 | 4, label: string) =>
    (name: string, startDay: number, endDay: number): Block => ({
      kind: yearOfStudy === 3 && label === "" ? "clerkship" : "rotation",
      id: `${label}${departmentCode(name)}-${isoDate(startDay)}`,
      name,
      departments: [name],
      startDay,
      endDay,
      yearOfStudy
    })
  const third = layout(
    y3,
    order,
    (c: Clerkship) => c.weeks,
    (c, s, e) => rotation(3, "")(c.specialty, s, e)
  )
  const afterCore = mondayOnOrAfter((third[third.length - 1]?.endDay ?? y3) + 1)
  const electiveWeeks = Math.floor((y4 - afterCore) / 7)
  if (electiveWeeks >= 2) {
    third.push(rotation(3, "EL-")(nextElective(), afterCore, afterCore + Math.min(4, electiveWeeks) * 7 - 3))
  }
  const commencement = commencementDay(classOf)
  const fourth = layout(
    y4,
    yearFourBlocks,
    () => 4,
    (kind, s, e) => {
      if (kind === "interviews" || e >= commencement - 7) return undefined
      if (kind === "sub-internship") return rotation(4, "SUBI-")(specialty, s, e)
      if (kind === "specialty") return rotation(4, "SPEC-")(specialty, s, e)
      if (kind === "emergency") return rotation(4, "")("Emergency Medicine", s, e)
      return rotation(4, "EL-")(nextElective(), s, e)
    }
  )
  return [...third, ...fourth]
}
