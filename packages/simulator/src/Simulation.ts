/**
 * The synthetic school, run: from a seed and a size, the school's events in delivery
 * order, lazily. The simulation advances an agenda week by week (enrolments, courses,
 * rotations, mentoring, research, letter seasons, departures); each week the events that
 * occurred before it are released to delivery and the items delivered before it are
 * yielded, so a five-year school of several million events runs in a few hundred
 * megabytes at most and can be piped anywhere.
 *
 * Same seed and size, same bytes: the simulator reads no clock, no environment and no
 * `Math.random`. It never uses real student data.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import { orientationDay } from "./AcademicCalendar.js"
import {
  type Archetype,
  type Behaviour,
  type DeliveryProfile,
  defaultBehaviour,
  defaultDelivery,
  mentoringSpread
} from "./Behaviour.js"
import * as Clinical from "./Clinical.js"
import { type CoverageGap, coverageGap, Delivery, type SimulatedEvent } from "./Delivery.js"
import type { GroundTruth } from "./GroundTruth.js"
import * as Letters from "./Letters.js"
import * as Mentoring from "./Mentoring.js"
import type { Student } from "./People.js"
import * as Random from "./Random.js"
import * as Research from "./Research.js"
import { classMix, enrol, openBooks } from "./Roster.js"
import { at, DAY, dayOf, isoDate, mondayOnOrAfter, timeZone, WEEK } from "./SchoolTime.js"
import { InvalidSize, resolve, type SchoolSize, type SizeName } from "./Size.js"
import * as Teaching from "./Teaching.js"
import { World } from "./World.js"

/**
 * What to simulate.
 *
 * - `seed`: any integer or string; the same seed gives the same bytes;
 * - `size`: a preset name or a custom size (default `small`);
 * - `endYear`: the simulation runs from 1 July of `endYear − years` to `end` (month and
 *   day, default 15 September) of `endYear` (default 2026);
 * - `behaviour`, `delivery`: overrides of the tuning knobs (see Behaviour.ts).
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulationOptions {
  readonly seed: Random.Seed
  readonly size?: SizeName | SchoolSize
  readonly endYear?: number
  readonly end?: { readonly month: number; readonly day: number }
  readonly behaviour?: Partial<Behaviour>
  readonly delivery?: Partial<DeliveryProfile>
}

/**
 * What a simulation is, resolved from its options: for documentation, for tests, and for
 * configuring the Rapport school that will receive it (time zone).
 *
 * @since 0.1.0
 * @category models
 */
export interface School {
  readonly seed: Random.Seed
  readonly size: SchoolSize
  readonly timeZone: string
  /** First instant simulated (ISO 8601 UTC). */
  readonly start: string
  /** End of the simulation, exclusive (ISO 8601 UTC): nothing occurs at or after it. */
  readonly end: string
  readonly coverageGap: { readonly source: string; readonly from: string; readonly to: string }
}

interface Resolved {
  readonly seedKey: number
  readonly size: SchoolSize
  readonly start: number
  readonly end: number
  readonly behaviour: Behaviour
  readonly delivery: DeliveryProfile
  readonly gap: CoverageGap
}

const resolveOptions = (options: SimulationOptions): Result.Result<Resolved, InvalidSize> => {
  const sized = resolve(options.size ?? "small")
  if (Result.isFailure(sized)) return Result.fail(sized.failure)
  const size = sized.success
  const endYear = options.endYear ?? 2026
  if (!Number.isInteger(endYear) || endYear - size.years < 1950 || endYear > 2140) {
    return Result.fail(
      new InvalidSize({
        input: options.endYear,
        problems: [
          `endYear: expected a whole year from ${1950 + size.years} to 2140 (the school starts in endYear − years)`
        ]
      })
    )
  }
  const endDate = options.end ?? { month: 9, day: 15 }
  const endDay = dayOf(endYear, endDate.month, endDate.day)
  const wanted = `${endYear}-${String(endDate.month).padStart(2, "0")}-${String(endDate.day).padStart(2, "0")}`
  if (!Number.isInteger(endDate.month) || !Number.isInteger(endDate.day) || isoDate(endDay) !== wanted) {
    return Result.fail(new InvalidSize({ input: options.end, problems: [`end: ${wanted} is not a date`] }))
  }
  const start = at(dayOf(endYear - size.years, 7, 1), 0)
  const end = at(endDay, 0)
  if (!(end > start + 30 * DAY)) {
    return Result.fail(
      new InvalidSize({ input: options.end, problems: ["end: expected a date after July of endYear"] })
    )
  }
  const seedKey = Random.hashSeed(options.seed)
  const delivery = { ...defaultDelivery, ...options.delivery }
  const gapRng = Random.make(options.seed).fork("coverage-gap")
  return Result.succeed({
    seedKey,
    size,
    start,
    end,
    behaviour: { ...defaultBehaviour, ...mentoringSpread(size.faculty / size.students), ...options.behaviour },
    delivery,
    gap: coverageGap(gapRng, delivery.coverageGap.source, delivery.coverageGap.weeks, start, end)
  })
}

/**
 * Describes the school a set of options simulates, or fails with `InvalidSize`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const describe = (options: SimulationOptions): Result.Result<School, InvalidSize> =>
  Result.map(resolveOptions(options), (r) => ({
    seed: options.seed,
    size: r.size,
    timeZone,
    start: new Date(r.start).toISOString(),
    end: new Date(r.end).toISOString(),
    coverageGap: {
      source: r.gap.source,
      from: new Date(r.gap.from).toISOString(),
      to: new Date(r.gap.to).toISOString()
    }
  }))

/** The curriculum blocks a student is in during the week of `monday`. */
const curriculumWeek = (world: World, student: Student, monday: number): void => {
  const blocks = student.blocks
  let cursor = student.blockCursor
  while (cursor < blocks.length && (blocks[cursor]?.endDay ?? 0) < monday) cursor++
  student.blockCursor = cursor
  for (let i = cursor; i < blocks.length; i++) {
    const block = blocks[i]
    if (block === undefined || block.startDay > monday + 6) break
    if (block.endDay < monday) continue
    if (block.kind === "course") Teaching.courseWeek(world, student, block, monday)
    else if (block.kind === "doctoring") Teaching.doctoringWeek(world, student, block, monday)
    else Clinical.rotationWeek(world, student, block, monday)
  }
}

const setUp = (r: Resolved, rng: Random.Random): World => {
  const world = new World(r.seedKey, rng, r.behaviour, r.delivery, r.start, r.end)
  const classSize = Math.max(2, Math.round(r.size.students / 4))
  const sizeOf = () => Math.max(2, Math.round(classSize * (1 + 0.03 * rng.normal())))
  openBooks(world, r.size.faculty, sizeOf)
  for (const student of world.students) Clinical.scheduleDeclaration(world, student)
  const firstYear = new Date(r.start).getUTCFullYear()
  const lastYear = new Date(r.end).getUTCFullYear()
  for (let year = firstYear; year <= lastYear; year++) {
    const orientation = at(orientationDay(year), 8 * 60 + 30)
    if (orientation >= r.start && orientation < r.end) {
      world.schedule(orientation, () => {
        const mix = classMix(world, sizeOf())
        for (let k = 1; k <= mix.length; k++) {
          const when = orientation + rng.int(0, 90) * 60_000
          const student = enrol(world, year + 4, k, when, 0, mix[k - 1] ?? "engaged")
          Clinical.scheduleDeclaration(world, student)
        }
      })
    }
    Letters.scheduleSeason(world, year + 1)
  }
  let week = 0
  for (let monday = mondayOnOrAfter(Math.floor(r.start / DAY)); at(monday, 0) < r.end; monday += 7) {
    const index = week++
    world.schedule(at(monday, 0), () => {
      if (index % 4 === 0) world.compact()
      for (const student of world.students) {
        curriculumWeek(world, student, monday)
        Mentoring.week(world, student, monday)
        Research.week(world, student, monday)
      }
    })
  }
  return world
}

/**
 * Counters of a finished run, for measurements.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunStats {
  /** Events the presence check refused (generators asking for someone absent). */
  readonly refused: number
  /** Events lost in the coverage gap. */
  readonly droppedInGap: number
  /** Each student's archetype (behaviour type), by student id: `truth.students` has it too. */
  readonly archetypes: ReadonlyMap<string, Archetype>
  /** What the simulator knows and the events never say, for checks and benchmarks. */
  readonly truth: GroundTruth
}

/**
 * The school's events in delivery order, generated lazily. Throws `InvalidSize` (a typed,
 * tagged error) on the first `next()` when the options are invalid; use `describe` to
 * check them first. The generator's return value carries the run's counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export function* generate(options: SimulationOptions): Generator<SimulatedEvent, RunStats, undefined> {
  const resolved = resolveOptions(options)
  if (Result.isFailure(resolved)) throw resolved.failure
  const r = resolved.success
  const root = Random.make(options.seed)
  const world = setUp(r, root.fork("school"))
  const delivery = new Delivery(world, root.fork("delivery"), r.gap)
  let flushedUpTo = r.start
  while (world.agenda.peekAt() < r.end) {
    const next = world.agenda.peekAt()
    if (next >= flushedUpTo + WEEK) {
      delivery.release(next)
      yield* delivery.drain(next)
      flushedUpTo = next
    }
    world.now = next
    world.agenda.pop()?.()
  }
  world.now = r.end
  delivery.release(r.end)
  yield* delivery.drain(Number.POSITIVE_INFINITY)
  const truth = world.truth.snapshot()
  const archetypes = new Map<string, Archetype>()
  for (const [id, student] of truth.students) archetypes.set(id, student.behaviour)
  return { refused: world.refused, droppedInGap: delivery.dropped, archetypes, truth }
}
