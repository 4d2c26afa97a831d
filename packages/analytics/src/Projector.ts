/**
 * The projector: follows the event log from its checkpoint, folds events with
 * `@rapport/core`, and writes the read-model rows the batch touched together with the new
 * checkpoint in one transaction.
 *
 * - Start: the read models are at their checkpoint; the log up to it is replayed into the
 *   in-memory folds (no writes), then new events are followed (a wake-up from the
 *   in-process server, or polling for other processes).
 * - One projector works at a time on a read-model database: a lease row, renewed while it
 *   works and checked inside every write transaction (a fence), so a second process takes
 *   over within seconds when the first dies and a paused one can never write after losing it.
 * - Follow-ups depend on "today" as well as on events: they are re-evaluated for the
 *   students a batch touched, and for everyone on `refreshFollowUps()` (the server calls it
 *   periodically).
 * - Erasure: see docs/architecture.md.
 *
 * @since 0.1.0
 */
import { Config, Decode, type Event, FollowUps, Letter, Nudge, RuleContext, Rules, SchoolFold } from "@rapport/core"
import type { EventStoreShape, RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import { Coverage } from "./Coverage.js"
import * as Projection from "./Projection.js"
import * as ReadModel from "./ReadModel.js"
import type { SqlDatabase, SqlExecutor } from "./Sql.js"
import * as Streams from "./Streams.js"
import * as Writer from "./Writer.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface ProjectorOptions {
  readonly store: EventStoreShape
  readonly db: SqlDatabase
  /** the IANA time zone of a school */
  readonly timeZoneOf: (school: string) => string
  readonly now: () => Date
  readonly batchSize?: number
  /** how often to look for new events when no wake-up comes (other writer processes) */
  readonly pollIntervalMs?: number
  /** while events keep coming, follow-ups of the students they touched are re-evaluated at most this often */
  readonly followUpIntervalMs?: number
  /** how long the lease lasts without renewal; another projector takes over after it */
  readonly leaseMs?: number
  /** called after an erasure's read-model rows are gone and its stream deleted (directory, audit) */
  readonly onErased?: (school: string, studentId: string) => Promise<void>
  readonly log?: (line: Readonly<Record<string, string | number | boolean>>) => void
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Projector {
  /** replays up to the checkpoint, then follows the log in the background */
  readonly start: () => Promise<void>
  /** the last committed checkpoint */
  readonly position: () => number
  /** wakes the loop (the server calls it after each append) */
  readonly notify: () => void
  /** resolves true once the checkpoint is at least `position`, false after `timeoutMs` */
  readonly waitFor: (position: number, timeoutMs: number) => Promise<boolean>
  /** processes everything committed so far, then resolves (tests, `rapport rebuild`) */
  readonly catchUp: () => Promise<void>
  /** re-evaluates every student's follow-ups as of now */
  readonly refreshFollowUps: () => Promise<void>
  /** finishes the batch in flight, checkpoints, releases the lease */
  readonly stop: () => Promise<void>
  /** the folded state of a school (read-only), for person pages "as of now" */
  readonly school: (school: string) => SchoolProjection | undefined
}

/**
 * One school's in-memory state.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolProjection {
  readonly fold: SchoolFold.SchoolFold
  readonly rules: FollowUps.Accumulator
  readonly coverage: Coverage
  /** students whose own row changed */
  readonly dirtyStudents: Set<string>
  /** students to rewrite whole (enrolment or specialty changed: every pair and month) */
  readonly fullStudents: Set<string>
  /** per student, the faculty whose pair changed */
  readonly dirtyPairs: Map<string, Set<string>>
  /** per student, the month keys whose counts changed */
  readonly dirtyMonths: Map<string, Set<number>>
  /** per student, the faculty whose letters changed */
  readonly dirtyLetters: Map<string, Set<string>>
  /** per student, the faculty with a new rotation */
  readonly dirtyRotations: Map<string, Set<string>>
  readonly dirtyFaculty: Set<string>
  readonly dirtyFollowUps: Set<string>
  readonly erasures: Set<string>
  readonly writtenSpecialties: Map<string, string>
  everything: boolean
}

const facultyIdsOf = (event: Event.RapportEvent): ReadonlyArray<string> => {
  const data = event.data
  const ids: Array<string> = []
  if ("facultyId" in data) ids.push(data.facultyId)
  if ("facultyIds" in data) ids.push(...data.facultyIds)
  return ids
}

const toEvent = (recorded: RecordedEvent): Event.RapportEvent | undefined => {
  // Events were validated on the way in; this re-check keeps a store written by another
  // tool from putting something the folds cannot read into them.
  const decoded = Decode.decodeEvent({
    id: recorded.id,
    type: recorded.type,
    v: recorded.v,
    occurredAt: recorded.occurredAt,
    ...(recorded.source === undefined ? {} : { source: recorded.source }),
    data: recorded.data
  })
  return Result.isSuccess(decoded) ? decoded.success : undefined
}

const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V): void => {
  let set = map.get(key)
  if (set === undefined) {
    set = new Set()
    map.set(key, set)
  }
  set.add(value)
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: ProjectorOptions): Projector => {
  const batchSize = options.batchSize ?? 5000
  const pollIntervalMs = options.pollIntervalMs ?? 200
  const leaseMs = options.leaseMs ?? 5000
  const owner = randomUUID()
  const log = options.log ?? (() => undefined)
  const schools = new Map<string, SchoolProjection>()
  let committed = 0
  let lastRenewal = 0
  let lastFollowUps = 0
  const followUpIntervalMs = options.followUpIntervalMs ?? 2000
  let running = false
  let stopping = false
  let erasuresPending = false
  let loop: Promise<void> | undefined
  let wake: (() => void) | undefined
  const waiters = new Set<{ position: number; resolve: (ok: boolean) => void }>()

  const schoolOf = (school: string): SchoolProjection => {
    let projection = schools.get(school)
    if (projection === undefined) {
      const config = Config.makeConfig({ timeZone: options.timeZoneOf(school) })
      const scoring = Result.isSuccess(config) ? config.success : Config.defaultConfig
      projection = {
        fold: SchoolFold.make(scoring),
        rules: FollowUps.make(),
        coverage: new Coverage(SchoolFold.make(scoring).state.calendar),
        dirtyStudents: new Set(),
        fullStudents: new Set(),
        dirtyPairs: new Map(),
        dirtyMonths: new Map(),
        dirtyLetters: new Map(),
        dirtyRotations: new Map(),
        dirtyFaculty: new Set(),
        dirtyFollowUps: new Set(),
        erasures: new Set(),
        writtenSpecialties: new Map(),
        everything: false
      }
      schools.set(school, projection)
    }
    return projection
  }

  const apply = (recorded: RecordedEvent, track: boolean): void => {
    const event = toEvent(recorded)
    if (event === undefined) {
      log({ msg: "projector skipped an event it cannot read", position: recorded.position })
      return
    }
    const projection = schoolOf(recorded.stream.school)
    // An erasure changes the faculty the student met (letters, specialties; some vanish).
    const erasedFrom =
      event.type === "StudentErasureRequested"
        ? [...(projection.fold.state.students.get(event.data.studentId)?.pairs.keys() ?? [])]
        : []
    projection.fold.apply(event)
    projection.rules.apply(event)
    const studentId = FollowUps.studentIdOf(event)
    projection.coverage.add(event, recorded, studentId)
    // Replayed or new, an erased student's events leave the coverage counts (as the fold drops them).
    if (event.type === "StudentErasureRequested") projection.coverage.erase(event.data.studentId)
    if (!track) return
    if (event.type === "EventRetracted") {
      // Rare: recompute the school rather than index every event by id.
      projection.everything = true
      return
    }
    if (event.type === "StudentErasureRequested") {
      projection.erasures.add(event.data.studentId)
      for (const facultyId of erasedFrom) projection.dirtyFaculty.add(facultyId)
      return
    }
    const facultyIds = facultyIdsOf(event)
    for (const facultyId of facultyIds) projection.dirtyFaculty.add(facultyId)
    if (studentId === undefined) return
    projection.dirtyStudents.add(studentId)
    projection.dirtyFollowUps.add(studentId)
    switch (event.type) {
      case "StudentEnrolled":
      case "SpecialtyDeclared":
        projection.fullStudents.add(studentId)
        return
      case "StudentStatusChanged":
      case "NudgeSent":
      case "CourseStarted":
        return
    }
    for (const facultyId of facultyIds) addTo(projection.dirtyPairs, studentId, facultyId)
    addTo(projection.dirtyMonths, studentId, projection.fold.state.calendar.monthOf(Date.parse(event.occurredAt)))
    if (event.type.startsWith("Letter"))
      for (const facultyId of facultyIds) addTo(projection.dirtyLetters, studentId, facultyId)
    if (event.type === "RotationCompleted")
      for (const facultyId of facultyIds) addTo(projection.dirtyRotations, studentId, facultyId)
  }

  const hasDirty = (followUps: boolean): boolean => {
    for (const projection of schools.values()) {
      if (
        projection.everything ||
        projection.dirtyStudents.size > 0 ||
        projection.dirtyFaculty.size > 0 ||
        (followUps && projection.dirtyFollowUps.size > 0) ||
        projection.erasures.size > 0 ||
        projection.coverage.isDirty
      ) {
        return true
      }
    }
    return false
  }

  const renewLease = async (tx: SqlExecutor, nowMs: number): Promise<boolean> => {
    const result = await tx.run(
      `INSERT INTO rm_meta (name, value) VALUES ('lease', ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value
       WHERE rm_meta.value LIKE ? OR CAST(substr(rm_meta.value, 38) AS BIGINT) < ?`,
      [`${owner}:${nowMs + leaseMs}`, `${owner}:%`, nowMs]
    )
    return result.changes > 0
  }

  const acquireLease = async (): Promise<void> => {
    for (;;) {
      if (stopping) return
      const got = await options.db.transaction((tx) => renewLease(tx, options.now().getTime()))
      if (got) return
      await sleep(Math.min(1000, leaseMs / 4))
    }
  }

  const writeFollowUps = async (
    tx: SqlExecutor,
    school: string,
    projection: SchoolProjection,
    students: Iterable<string>
  ) => {
    const asOf = options.now().toISOString()
    const context = RuleContext.fromState(projection.fold.state, asOf)
    for (const studentId of students) {
      if (!projection.fold.state.students.has(studentId) || projection.fold.isErased(studentId)) continue
      const followUps = FollowUps.evaluateStudent(Rules.all, projection.rules.state, studentId, asOf, context)
      const own = projection.rules.state.students.get(studentId)
      const single: FollowUps.State = {
        ...projection.rules.state,
        students: own === undefined ? new Map() : new Map([[studentId, own]])
      }
      const nudges = Nudge.outcomes(single, asOf, context, { followUps })
      await Writer.writeFollowUps(tx, school, studentId, followUps, nudges)
    }
  }

  const flush = async (tx: SqlExecutor, withFollowUps: boolean): Promise<Array<[string, string]>> => {
    const erased: Array<[string, string]> = []
    for (const [school, projection] of schools) {
      const state = projection.fold.state
      if (projection.everything) {
        // A retraction can leave a student or faculty member with nothing: their rows go.
        for (const row of await tx.all("SELECT student_id FROM rm_students WHERE school = ?", [school])) {
          const id = String(row.student_id)
          if (!state.students.has(id)) await Writer.eraseStudent(tx, school, id)
        }
        for (const row of await tx.all("SELECT faculty_id FROM rm_faculty WHERE school = ?", [school])) {
          projection.dirtyFaculty.add(String(row.faculty_id))
        }
        for (const id of state.students.keys()) projection.fullStudents.add(id)
        for (const id of state.faculty.keys()) projection.dirtyFaculty.add(id)
        for (const id of state.students.keys()) projection.dirtyFollowUps.add(id)
        projection.everything = false
      }
      for (const facultyId of projection.dirtyFaculty) {
        const faculty = state.faculty.get(facultyId)
        if (faculty === undefined) {
          await Writer.deleteFaculty(tx, school, facultyId)
          projection.writtenSpecialties.delete(facultyId)
          continue
        }
        const row = Projection.facultyRow(faculty)
        await Writer.writeFaculty(tx, school, row)
        const specialties = JSON.stringify(row.specialties)
        const before = projection.writtenSpecialties.get(facultyId)
        if (before !== undefined && before !== specialties) {
          // "in specialty" of every pair of this faculty member may have changed
          for (const studentId of faculty.students.keys()) addTo(projection.dirtyPairs, studentId, facultyId)
        }
        projection.writtenSpecialties.set(facultyId, specialties)
      }
      projection.dirtyFaculty.clear()
      for (const studentId of projection.fullStudents) {
        const student = state.students.get(studentId)
        if (student === undefined || projection.fold.isErased(studentId)) continue
        const rows = Projection.studentRows(student, state)
        await Writer.writeStudent(
          tx,
          school,
          rows.student,
          rows.pairs,
          Projection.monthRows(student),
          Projection.letterRows(student),
          Projection.rotationRows(student)
        )
      }
      for (const studentId of projection.dirtyStudents) {
        if (projection.fullStudents.has(studentId)) continue
        const student = state.students.get(studentId)
        if (student === undefined || projection.fold.isErased(studentId)) continue
        const row = Projection.studentRow(student, state)
        await Writer.upsertStudent(tx, school, row)
        for (const facultyId of projection.dirtyPairs.get(studentId) ?? []) {
          const pair = student.pairs.get(facultyId)
          if (pair !== undefined && Projection.hasRow(pair))
            await Writer.upsertPair(tx, school, Projection.pairRow(pair, student, state))
        }
        for (const month of projection.dirtyMonths.get(studentId) ?? []) {
          await Writer.upsertMonth(tx, school, studentId, row.graduationYear, Projection.monthRow(student, month))
        }
        for (const facultyId of projection.dirtyLetters.get(studentId) ?? []) {
          const pair = student.pairs.get(facultyId)
          await Writer.replaceLetters(tx, school, studentId, facultyId, pair === undefined ? [] : Letter.letters(pair))
        }
        for (const facultyId of projection.dirtyRotations.get(studentId) ?? []) {
          const pair = student.pairs.get(facultyId)
          const rows = pair === undefined ? [] : Projection.pairRotations(pair)
          await Writer.replaceRotations(tx, school, studentId, facultyId, rows)
        }
      }
      // pairs dirtied by a faculty member's new specialty, for students with nothing else new
      for (const [studentId, facultyIds] of projection.dirtyPairs) {
        if (projection.dirtyStudents.has(studentId) || projection.fullStudents.has(studentId)) continue
        const student = state.students.get(studentId)
        if (student === undefined || projection.fold.isErased(studentId)) continue
        for (const facultyId of facultyIds) {
          const pair = student.pairs.get(facultyId)
          if (pair !== undefined && Projection.hasRow(pair))
            await Writer.upsertPair(tx, school, Projection.pairRow(pair, student, state))
        }
      }
      projection.dirtyStudents.clear()
      projection.fullStudents.clear()
      projection.dirtyPairs.clear()
      projection.dirtyMonths.clear()
      projection.dirtyLetters.clear()
      projection.dirtyRotations.clear()
      for (const studentId of projection.erasures) {
        await Writer.eraseStudent(tx, school, studentId)
        await tx.run("INSERT INTO rm_pending_erasures (school, student_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [
          school,
          studentId
        ])
        projection.dirtyFollowUps.delete(studentId)
        erased.push([school, studentId])
      }
      projection.erasures.clear()
      for (const cell of projection.coverage.drain()) await Writer.writeCoverage(tx, school, cell)
      if (withFollowUps) {
        await writeFollowUps(tx, school, projection, projection.dirtyFollowUps)
        projection.dirtyFollowUps.clear()
      }
    }
    return erased
  }

  const finishErasures = async (): Promise<void> => {
    const pending = await options.db.all("SELECT school, student_id FROM rm_pending_erasures")
    for (const row of pending) {
      const school = String(row.school)
      const studentId = String(row.student_id)
      await Effect.runPromise(options.store.deleteStream(Streams.student(school, studentId)))
      await options.onErased?.(school, studentId)
      await options.db.run("DELETE FROM rm_pending_erasures WHERE school = ? AND student_id = ?", [school, studentId])
      log({ msg: "erased a student", school })
    }
    // The deleted rows are zeroed (secure_delete), but SQLite keeps their old pages in the
    // WAL until a checkpoint copies the new ones over them: do it now, not someday.
    if (pending.length > 0 && options.db.dialect === "sqlite") await options.db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
  }

  const settleWaiters = () => {
    for (const waiter of waiters) {
      if (committed >= waiter.position) {
        waiters.delete(waiter)
        waiter.resolve(true)
      }
    }
  }

  /** one page: read, fold, write; returns whether the log end was reached */
  const step = async (): Promise<boolean> => {
    // An erasure whose stream deletion failed (the store was unreachable) is finished on the
    // next step, not only at the next start.
    if (erasuresPending) {
      await finishErasures()
      erasuresPending = false
    }
    const page = await Effect.runPromise(options.store.readAll({ after: committed, maxCount: batchSize }))
    for (const recorded of page.events) apply(recorded, true)
    const next = page.lastPosition
    const nowMs = options.now().getTime()
    // Follow-ups cost a rule evaluation per student: batch them while events keep coming.
    const withFollowUps = page.isEnd && nowMs - lastFollowUps >= followUpIntervalMs
    if (next <= committed && !hasDirty(withFollowUps)) {
      // Idle: keep the lease alive so that a waiting projector does not take over.
      if (nowMs - lastRenewal > leaseMs / 3) {
        const held = await options.db.transaction((tx) => renewLease(tx, nowMs))
        if (!held) throw new Error("the projector lease was lost")
        lastRenewal = nowMs
      }
      return page.isEnd
    }
    lastRenewal = nowMs
    const erased = await options.db.transaction(async (tx) => {
      if (!(await renewLease(tx, options.now().getTime()))) throw new Error("the projector lease was lost")
      const done = await flush(tx, withFollowUps)
      if (next > committed) await ReadModel.saveCheckpoint(tx, next, options.now())
      return done
    })
    if (withFollowUps) lastFollowUps = nowMs
    committed = Math.max(committed, next)
    if (erased.length > 0) erasuresPending = true
    if (erasuresPending) {
      await finishErasures()
      erasuresPending = false
    }
    settleWaiters()
    return page.isEnd
  }

  const warmUp = async (): Promise<void> => {
    const { needsRebuild } = await ReadModel.ensure(options.db)
    await acquireLease()
    // Only the lease holder may drop the tables another projector could be writing.
    if (needsRebuild) await ReadModel.reset(options.db)
    const checkpoint = await ReadModel.checkpoint(options.db)
    let position = 0
    while (position < checkpoint) {
      const page = await Effect.runPromise(options.store.readAll({ after: position, maxCount: 5000 }))
      for (const recorded of page.events) {
        if (recorded.position > checkpoint) break
        apply(recorded, false)
      }
      if (page.events.length === 0 || page.lastPosition >= checkpoint) break
      position = page.lastPosition
    }
    committed = checkpoint
    // The read models already hold what the replay counted, and the faculty rows hold the
    // specialties it computed: a later change of them must re-dirty the pairs, as it would
    // have without the restart.
    for (const projection of schools.values()) {
      projection.coverage.drain()
      for (const [facultyId, faculty] of projection.fold.state.faculty) {
        projection.writtenSpecialties.set(facultyId, JSON.stringify(Projection.facultyRow(faculty).specialties))
      }
    }
    await finishErasures()
  }

  const run = async (): Promise<void> => {
    while (!stopping) {
      try {
        const atEnd = await step()
        if (atEnd) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollIntervalMs)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
          wake = undefined
        }
      } catch (error) {
        log({ msg: "projector step failed; retrying", error: error instanceof Error ? error.message : String(error) })
        await sleep(1000)
        if (error instanceof Error && error.message.includes("lease was lost")) {
          for (const projection of schools.values()) projection.everything = true
          await acquireLease()
        }
      }
    }
  }

  return {
    start: async () => {
      if (running) return
      running = true
      await warmUp()
      loop = run()
    },
    position: () => committed,
    notify: () => wake?.(),
    waitFor: (position, timeoutMs) => {
      if (committed >= position) return Promise.resolve(true)
      return new Promise<boolean>((resolve) => {
        const waiter = { position, resolve }
        waiters.add(waiter)
        wake?.()
        setTimeout(() => {
          if (waiters.delete(waiter)) resolve(false)
        }, timeoutMs)
      })
    },
    catchUp: async () => {
      if (!running) {
        running = true
        await warmUp()
      }
      const head = await Effect.runPromise(options.store.headPosition)
      while (committed < head) {
        const atEnd = await step()
        if (atEnd) break
      }
      // and the follow-ups of everyone touched, whatever the interval
      lastFollowUps = Number.NEGATIVE_INFINITY
      await step()
    },
    refreshFollowUps: async () => {
      await options.db.transaction(async (tx) => {
        if (!(await renewLease(tx, options.now().getTime()))) return
        for (const [school, projection] of schools) {
          await writeFollowUps(tx, school, projection, projection.fold.state.students.keys())
        }
      })
    },
    stop: async () => {
      stopping = true
      wake?.()
      await loop
      await options.db
        .run("DELETE FROM rm_meta WHERE name = 'lease' AND value LIKE ?", [`${owner}:%`])
        .catch(() => undefined)
    },
    school: (school) => schools.get(school)
  }
}
