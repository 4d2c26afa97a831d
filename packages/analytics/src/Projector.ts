/**
 * The projector: follows the event log from its checkpoint, folds events with
 * `@rapport/core`, and writes the read-model rows the batch touched together with the new
 * checkpoint in one transaction.
 *
 * - Start: the read models are at their checkpoint; the log up to it is replayed into the
 *   in-memory folds (no writes), then new events are followed (a wake-up from the
 *   in-process server, or polling for other processes).
 * - A batch folds pages of events until it holds `batchSize` events, the log's end is
 *   reached or it has folded for `batchMs`; then it writes. The rows written depend on
 *   the students and pairs touched, not on the events, so large batches under load cost
 *   little more than small ones: the projector keeps up by batching more.
 * - One projector works at a time on a read-model database: a lease row, renewed while it
 *   works and checked inside every write transaction (a fence), so a second process takes
 *   over within seconds when the first dies and a paused one can never write after losing it.
 * - A write that fails loses nothing: what it was to write stays pending (Changes.ts) and
 *   the next batch writes it with its own.
 * - Follow-ups depend on "today" as well as on events: they are re-evaluated for the
 *   students a batch touched, and for everyone on `refreshFollowUps()` (the server calls it
 *   periodically).
 * - Erasure: see docs/architecture.md.
 * - A school whose events were deleted from the store (retention) is folded again from
 *   the store and its rows replaced in one write, when asked through Reload.ts.
 *
 * This module runs wherever it is made: on the caller's thread (`make`), or in a worker
 * thread of its own (ProjectorWorker.ts), which is how the server runs it.
 *
 * @since 0.1.0
 */
import { Decode, type Event, State } from "@rapport/core"
import type { EventStoreShape, RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import * as Changes from "./Changes.js"
import * as ReadModel from "./ReadModel.js"
import * as Reload from "./Reload.js"
import { SchoolProjection as School } from "./SchoolProjection.js"
import type * as SchoolSettings from "./SchoolSettings.js"
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
  /** every school's settings (time zone, follow-up rules), resolved once */
  readonly schools: SchoolSettings.SchoolSettings
  readonly now: () => Date
  /** the most events folded before a write (default 200,000) */
  readonly batchSize?: number
  /** the longest a batch folds before it writes, in milliseconds (default 1,000) */
  readonly batchMs?: number
  /** how often to look for new events when no wake-up comes (other writer processes) */
  readonly pollIntervalMs?: number
  /** while events keep coming, follow-ups of the students they touched are re-evaluated at most this often */
  readonly followUpIntervalMs?: number
  /** how long the lease lasts without renewal; another projector takes over after it */
  readonly leaseMs?: number
  /** called after an erasure's read-model rows are gone and its stream deleted (directory, audit) */
  readonly onErased?: (school: string, studentId: string) => Promise<void>
  /** called after each commit with the new checkpoint */
  readonly onCommitted?: (position: number) => void
  readonly log?: (line: Readonly<Record<string, string | number | boolean>>) => void
  /** drop the read models once the lease is held, and replay every event (`rapport rebuild`) */
  readonly rebuild?: boolean
}

/**
 * A projector, wherever it runs.
 *
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
}

/**
 * A projector on the caller's thread, whose folded state can be read.
 *
 * @since 0.1.0
 * @category models
 */
export interface LocalProjector extends Projector {
  /** the folded state of a school (read-only) */
  readonly school: (school: string) => SchoolProjection | undefined
}

/**
 * One school's in-memory state (SchoolProjection.ts).
 *
 * @since 0.1.0
 * @category models
 */
export type SchoolProjection = School

/** The largest page read at once: a batch reads several. */
const pageSize = 5000

/** Follow-ups of students touched are never older than this while events keep coming. */
const maxFollowUpGapMs = 10_000

class LeaseLost extends Error {
  constructor() {
    super("the projector lease was lost")
  }
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

/**
 * Event types kept in the log for readers other than the folds (the xAPI statements a
 * school system sent, as sent): the projector passes over them without a word, where any
 * other event it cannot read is logged.
 *
 * @since 0.3.0
 * @category constants
 */
export const recordTypes: ReadonlySet<string> = new Set(["XapiStatementRecorded"])

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: ProjectorOptions): LocalProjector => {
  const batchSize = Math.max(1, options.batchSize ?? 200_000)
  const batchMs = options.batchMs ?? 1000
  const pollIntervalMs = options.pollIntervalMs ?? 200
  const leaseMs = options.leaseMs ?? 5000
  const followUpIntervalMs = options.followUpIntervalMs ?? 2000
  const owner = randomUUID()
  const log = options.log ?? (() => undefined)
  const schools = new Map<string, SchoolProjection>()
  /** the checkpoint: every event up to it is in the read models */
  let committed = 0
  /** every event up to it is in memory (ahead of `committed` while a write is pending) */
  let folded = 0
  let lastRenewal = 0
  let lastFollowUps = 0
  /** the wait between follow-up evaluations: the interval, or ten times what the last one took (at most 10 s) */
  let followUpGapMs = followUpIntervalMs
  /** how long the last write took, and when it ended (pacing) */
  let lastWriteMs = 0
  let lastWriteEnded = 0
  let running = false
  let stopping = false
  let erasuresPending = false
  /** whether the last renewal held the lease */
  let holdsLease = false
  let loop: Promise<void> | undefined
  let wake: (() => void) | undefined
  /** steps, catch-ups and refreshes take turns */
  let turn: Promise<unknown> = Promise.resolve()
  const waiters = new Set<{ position: number; resolve: (ok: boolean) => void }>()
  let lastRecordedAt = ""
  let lastRecordedMs = 0

  const inTurn = <A>(body: () => Promise<A>): Promise<A> => {
    const result = turn.then(body)
    turn = result.catch(() => undefined)
    return result
  }

  const schoolOf = (school: string): SchoolProjection => {
    let projection = schools.get(school)
    if (projection === undefined) {
      projection = new School(options.schools.of(school))
      schools.set(school, projection)
    }
    return projection
  }

  const applyTo = (projection: SchoolProjection, recorded: RecordedEvent, track: boolean): void => {
    const event = toEvent(recorded)
    if (event === undefined) {
      if (!recordTypes.has(recorded.type))
        log({ msg: "projector skipped an event it cannot read", position: recorded.position })
      return
    }
    // A group commit stamps all its events alike: parse each instant once.
    if (recorded.recordedAt !== lastRecordedAt) {
      lastRecordedAt = recorded.recordedAt
      lastRecordedMs = Date.parse(recorded.recordedAt)
    }
    projection.apply(event, lastRecordedMs, track, recorded.position)
  }
  const apply = (recorded: RecordedEvent, track: boolean): void =>
    applyTo(schoolOf(recorded.stream.school), recorded, track)

  /** the reloads asked for (Reload.ts) that this projector has folded and not yet written */
  const reloading = new Map<string, Reload.Request>()

  /**
   * Folds each school whose reload was asked for again, from the store as it now is, up
   * to where the others are folded; its rows are then all replaced in the next write.
   */
  const foldReloads = async (): Promise<void> => {
    for (const request of await Reload.pending(options.db)) {
      if (reloading.get(request.school)?.token === request.token) continue
      const fresh = new School(options.schools.of(request.school))
      let after = 0
      while (after < folded) {
        const page = await Effect.runPromise(
          options.store.readAll({ after, filter: { school: request.school }, maxCount: pageSize })
        )
        for (const recorded of page.events) if (recorded.position <= folded) applyTo(fresh, recorded, false)
        if (page.isEnd || page.lastPosition <= after) break
        after = page.lastPosition
      }
      // an erasure folded but not yet written must still be written (and its stream deleted)
      for (const studentId of schools.get(request.school)?.erasures ?? []) fresh.erasures.add(studentId)
      fresh.markEverything()
      schools.set(request.school, fresh)
      reloading.set(request.school, request)
      log({ msg: "projector reloaded a school whose events were deleted", school: request.school })
    }
  }

  const hasChanges = (followUps: boolean): boolean => {
    for (const projection of schools.values()) if (projection.hasChanges(followUps)) return true
    return false
  }

  const renewLease = async (tx: SqlExecutor, nowMs: number): Promise<boolean> => {
    // A lease found not ours (expired, or deleted by a projector that stopped) means another
    // projector may have written since our last renewal: what we remember of the rows
    // (follow-ups, faculty) is no longer to be trusted, so the school is rewritten.
    const before = await tx.all("SELECT value FROM rm_meta WHERE name = 'lease'")
    const wasOurs = String(before[0]?.value ?? "").startsWith(`${owner}:`)
    const result = await tx.run(
      `INSERT INTO rm_meta (name, value) VALUES ('lease', ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value
       WHERE rm_meta.value LIKE ? OR CAST(substr(rm_meta.value, 38) AS BIGINT) < ?`,
      [`${owner}:${nowMs + leaseMs}`, `${owner}:%`, nowMs]
    )
    const got = result.changes > 0
    if (got && holdsLease && !wasOurs) for (const projection of schools.values()) projection.markEverything()
    holdsLease = got
    return got
  }

  const acquireLease = async (): Promise<void> => {
    for (;;) {
      if (stopping) return
      const got = await options.db.transaction((tx) => renewLease(tx, options.now().getTime()))
      if (got) return
      await sleep(Math.min(1000, leaseMs / 4))
    }
  }

  const existingIds = async (tx: SqlExecutor, school: string) => ({
    students: (await tx.all("SELECT student_id FROM rm_students WHERE school = ?", [school])).map((row) =>
      String(row.student_id)
    ),
    faculty: (await tx.all("SELECT faculty_id FROM rm_faculty WHERE school = ?", [school])).map((row) =>
      String(row.faculty_id)
    )
  })

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

  /** folds pages until the batch is full, the log's end is reached or its time is up; true at the end */
  const foldBatch = async (minMs: number): Promise<boolean> => {
    const started = Date.now()
    const foldMs = Math.max(batchMs, minMs)
    let count = 0
    for (;;) {
      const page = await Effect.runPromise(
        options.store.readAll({ after: folded, maxCount: Math.min(pageSize, batchSize - count) })
      )
      for (const recorded of page.events) apply(recorded, true)
      count += page.events.length
      if (page.lastPosition > folded) folded = page.lastPosition
      if (page.isEnd) return true
      const elapsed = Date.now() - started
      if (count >= batchSize || elapsed >= foldMs) return false
      // A longer (paced) batch still ends after batchMs for a reader waiting on its writes, or a stop.
      if (elapsed >= batchMs && (stopping || someoneWaitsFor(folded))) return false
      // On a shared thread, let requests in between pages.
      await yieldToIo()
    }
  }

  /** resolves after `ms`, or sooner on a wake-up (`notify`, `waitFor`, `stop`) */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined
        resolve()
      }, ms)
      wake = () => {
        wake = undefined
        clearTimeout(timer)
        resolve()
      }
    })

  const someoneWaitsFor = (position: number): boolean => {
    for (const waiter of waiters) if (waiter.position <= position) return true
    return false
  }

  /**
   * One batch: read, fold, write; returns whether the log end was reached. `paced`: the
   * rows a write costs depend on the students touched, not on the events, so while events
   * keep coming the batch folds for at least four times as long as the last write took
   * (writing then takes at most a fifth of the projector's time), unless someone waits
   * to read their writes. `waitWhenQuiet`: at the log's end, keep folding what arrives
   * until that time is up (the running loop), rather than write at once (a catch-up).
   */
  const step = async (paced: boolean, waitWhenQuiet = paced): Promise<boolean> => {
    // An erasure whose stream deletion failed (the store was unreachable) is finished on the
    // next step, not only at the next start.
    if (erasuresPending) {
      await finishErasures()
      erasuresPending = false
    }
    await foldReloads()
    // Behind the log, a paced batch also folds for four times the last write.
    let atEnd = await foldBatch(paced ? 4 * lastWriteMs : 0)
    if (waitWhenQuiet) {
      // ...but a log gone quiet is written at once (within a poll interval).
      const writeAfter = lastWriteEnded + 4 * lastWriteMs
      while (atEnd && !stopping && Date.now() < writeAfter && !someoneWaitsFor(folded)) {
        const before = folded
        await pause(Math.min(writeAfter - Date.now(), pollIntervalMs))
        atEnd = await foldBatch(0)
        if (folded === before) break
      }
    }
    const nowMs = options.now().getTime()
    // Follow-ups cost a rule evaluation per student: batch them while events keep coming.
    // A school-wide evaluation costs about as much as folding tens of thousands of events:
    // spaced by ten times its cost, it never takes more than a tenth of the projector.
    // A reloaded school's follow-ups went with its rows: written again at once.
    const withFollowUps = (atEnd && nowMs - lastFollowUps >= followUpGapMs) || reloading.size > 0
    if (folded <= committed && !hasChanges(withFollowUps)) {
      // Idle: keep the lease alive so that a waiting projector does not take over.
      if (nowMs - lastRenewal > leaseMs / 3) {
        const held = await options.db.transaction((tx) => renewLease(tx, nowMs))
        if (!held) throw new LeaseLost()
        lastRenewal = nowMs
      }
      return atEnd
    }
    lastRenewal = nowMs
    const target = folded
    const writeStarted = performance.now()
    // The rows and the checkpoint first, the follow-ups in a transaction of their own after
    // them: evaluating every touched student's rules costs seconds on a large school, and
    // the checkpoint (the lag) need not wait for it. Follow-ups lag the checkpoint anyway
    // while events keep coming (they are batched, above).
    const written = await options.db.transaction(async (tx) => {
      if (!(await renewLease(tx, options.now().getTime()))) throw new LeaseLost()
      const planned: Array<readonly [SchoolProjection, Changes.SchoolChanges]> = []
      for (const [school, projection] of schools) {
        if (!projection.hasChanges(false)) continue
        const reload = reloading.get(school)
        if (reload !== undefined) await Reload.replaceSchool(tx, reload)
        const existing = projection.everything ? await existingIds(tx, school) : undefined
        const changes = Changes.plan(school, projection, existing)
        await Writer.writeChanges(tx, changes)
        planned.push([projection, changes])
      }
      if (target > committed) await ReadModel.saveCheckpoint(tx, target, options.now())
      return planned
    })
    for (const [projection, changes] of written) {
      Changes.settle(projection, changes)
      if (changes.erasures.length > 0) erasuresPending = true
    }
    // The replaced rows are zeroed (secure_delete), but their old pages stay in the WAL
    // until a checkpoint: retention removes data for good, so checkpoint now.
    if (reloading.size > 0 && options.db.dialect === "sqlite") await options.db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
    reloading.clear()
    committed = Math.max(committed, target)
    options.onCommitted?.(committed)
    if (erasuresPending) {
      await finishErasures()
      erasuresPending = false
    }
    // A reader waiting for its write also reads the follow-ups it changed, when this batch
    // evaluates them.
    if (!withFollowUps) settleWaiters()
    else {
      await writeFollowUps((projection) => [...projection.dirtyFollowUps])
      lastFollowUps = nowMs
      settleWaiters()
    }
    lastWriteMs = performance.now() - writeStarted
    lastWriteEnded = Date.now()
    if (withFollowUps) followUpGapMs = Math.min(Math.max(followUpIntervalMs, 10 * lastWriteMs), maxFollowUpGapMs)
    return atEnd
  }

  /**
   * Evaluates the follow-ups of some students of each school as of now, in a transaction of
   * its own, and writes those whose rows would change (most stay the same from one
   * evaluation to the next). What it wrote is remembered once the transaction has
   * committed. Without the lease it throws LeaseLost, or with `quietly` writes nothing.
   */
  const writeFollowUps = async (
    studentsOf: (projection: SchoolProjection) => ReadonlyArray<string>,
    quietly = false
  ): Promise<void> => {
    const evaluated = await options.db.transaction(async (tx) => {
      if (!(await renewLease(tx, options.now().getTime()))) {
        if (quietly) return []
        throw new LeaseLost()
      }
      const asOf = options.now().toISOString()
      const done: Array<readonly [SchoolProjection, ReadonlyArray<string>, Map<string, string>]> = []
      for (const [school, projection] of schools) {
        const students = studentsOf(projection)
        const written = new Map<string, string>()
        for (const own of Changes.followUpsFor(projection, students, asOf)) {
          const rows = Writer.followUpRows(own.followUps, own.nudges)
          const key = JSON.stringify(rows)
          if (projection.writtenFollowUps.get(own.studentId) === key) continue
          await Writer.writeFollowUpRows(tx, school, own.studentId, rows)
          written.set(own.studentId, key)
        }
        done.push([projection, students, written])
      }
      return done
    })
    for (const [projection, students, written] of evaluated) {
      for (const id of students) projection.dirtyFollowUps.delete(id)
      for (const [id, key] of written) projection.writtenFollowUps.set(id, key)
    }
  }

  const warmUp = async (): Promise<void> => {
    const { needsRebuild } = await ReadModel.ensure(options.db)
    await acquireLease()
    // Only the lease holder may drop the tables another projector could be writing.
    if (needsRebuild || options.rebuild === true) await ReadModel.reset(options.db)
    const checkpoint = await ReadModel.checkpoint(options.db)
    let position = 0
    while (position < checkpoint) {
      const page = await Effect.runPromise(options.store.readAll({ after: position, maxCount: pageSize }))
      for (const recorded of page.events) {
        if (recorded.position > checkpoint) break
        apply(recorded, false)
      }
      if (page.events.length === 0 || page.lastPosition >= checkpoint) break
      position = page.lastPosition
    }
    committed = checkpoint
    folded = checkpoint
    options.onCommitted?.(committed)
    // The read models already hold what the replay counted, and the faculty rows hold the
    // specialties it computed: a later change of them must re-dirty the pairs, as it would
    // have without the restart.
    for (const projection of schools.values()) {
      projection.coverage.settle()
      for (const [facultyId, faculty] of projection.fold.state.faculty) {
        projection.writtenSpecialties.set(facultyId, JSON.stringify(State.facultySpecialties(faculty)))
      }
      for (const [studentId, student] of projection.fold.state.students) {
        projection.writtenActive.set(studentId, State.isActiveStudent(student))
        // Follow-ups commit after the checkpoint: a projector that stopped between the two
        // left some stale. Evaluate everyone's once, with the first follow-ups after start.
        projection.dirtyFollowUps.add(studentId)
      }
    }
    await finishErasures()
  }

  const run = async (): Promise<void> => {
    while (!stopping) {
      try {
        const atEnd = await inTurn(() => step(true))
        if (atEnd) await pause(pollIntervalMs)
      } catch (error) {
        log({ msg: "projector step failed; retrying", error: error instanceof Error ? error.message : String(error) })
        await sleep(1000)
        if (error instanceof LeaseLost) {
          for (const projection of schools.values()) projection.markEverything()
          await acquireLease()
        }
      }
    }
  }

  const ensureStarted = async (): Promise<void> => {
    if (running) return
    running = true
    await warmUp()
  }

  return {
    start: async () => {
      if (running) return
      await inTurn(ensureStarted)
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
    catchUp: () =>
      inTurn(async () => {
        await ensureStarted()
        const head = await Effect.runPromise(options.store.headPosition)
        // Paced like the running projector: a rebuild spent more than half its time
        // rewriting the rows of one-second batches.
        while (committed < head) {
          const atEnd = await step(true, false)
          if (atEnd) break
        }
        // and the follow-ups of everyone touched, whatever the interval
        lastFollowUps = Number.NEGATIVE_INFINITY
        await step(false)
      }),
    refreshFollowUps: () =>
      inTurn(() => writeFollowUps((projection) => [...projection.fold.state.students.keys()], true)),
    stop: async () => {
      stopping = true
      wake?.()
      await loop
      await turn
      // The follow-ups of the last batches wait for the interval while events come: write
      // them before the lease goes, as a rebuild has them (else they stay stale until the
      // next refresh after a restart).
      if (running) {
        await inTurn(async () => {
          lastFollowUps = Number.NEGATIVE_INFINITY
          await step(false)
        }).catch(() => undefined)
      }
      await options.db
        .run("DELETE FROM rm_meta WHERE name = 'lease' AND value LIKE ?", [`${owner}:%`])
        .catch(() => undefined)
    },
    school: (school) => schools.get(school)
  }
}
