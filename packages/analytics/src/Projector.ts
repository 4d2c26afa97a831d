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
 * - A write that fails loses nothing: what it was to write stays pending (internal/Pending.ts) and
 *   the next batch writes it with its own.
 * - Follow-ups depend on "today" as well as on events: they are re-evaluated for the
 *   students a batch touched, and for everyone on `refreshFollowUps()` (the server calls it
 *   periodically).
 * - Erasure: see docs/architecture.md.
 * - A school whose events were deleted from the store (retention) is folded again from
 *   the store and its rows replaced in one write, when asked through Reload.ts.
 *
 * Each concern is a module of its own under `internal/` (the folds, pending rows, the
 * lease, waiters, pacing, follow-up scheduling, erasure completion; see
 * docs/architecture.md); this module is the loop that composes them.
 *
 * This module runs wherever it is made: on the caller's thread (`make`), or in a worker
 * thread of its own (ProjectorWorker.ts), which is how the server runs it.
 *
 * @since 0.1.0
 */
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import { Erasures } from "./internal/Erasures.js"
import * as FollowUpSchedule from "./internal/FollowUpSchedule.js"
import { Lease, LeaseLost } from "./internal/Lease.js"
import { Pacing } from "./internal/Pacing.js"
import type * as Plan from "./internal/Plan.js"
import * as Recorded from "./internal/Recorded.js"
import type { SchoolProjection as School } from "./internal/SchoolProjection.js"
import { pageSize, Schools } from "./internal/Schools.js"
import { Waiters } from "./internal/Waiters.js"
import * as Writer from "./internal/Writer.js"
import * as ReadModel from "./ReadModel.js"
import * as Reload from "./Reload.js"
import type * as SchoolSettings from "./SchoolSettings.js"
import type { SqlDatabase } from "./Sql.js"

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
 * One school's in-memory state (internal/SchoolProjection.ts).
 *
 * @since 0.1.0
 * @category models
 */
export type SchoolProjection = School

/**
 * Event types kept in the log for readers other than the folds (the xAPI statements a
 * school system sent, as sent): the projector passes over them without a word, where any
 * other event it cannot read is logged.
 *
 * @since 0.3.0
 * @category constants
 */
export const recordTypes: ReadonlySet<string> = Recorded.recordTypes

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
  const log = options.log ?? (() => undefined)
  const nowMs = () => options.now().getTime()
  const schools = new Schools({ store: options.store, schools: options.schools, log })
  const lease = new Lease({
    holder: randomUUID(),
    leaseMs: options.leaseMs ?? 5000,
    onTakenOver: () => schools.markEverything()
  })
  const followUps = new FollowUpSchedule.FollowUpSchedule(options.followUpIntervalMs ?? 2000)
  const erasures = new Erasures({ store: options.store, db: options.db, onErased: options.onErased, log })
  const pacing = new Pacing()
  const waiters = new Waiters()
  /** the checkpoint: every event up to it is in the read models */
  let committed = 0
  /** every event up to it is in memory (ahead of `committed` while a write is pending) */
  let folded = 0
  let running = false
  let stopping = false
  let loop: Promise<void> | undefined
  let wake: (() => void) | undefined
  /** steps, catch-ups and refreshes take turns */
  let turn: Promise<unknown> = Promise.resolve()
  /** the reloads asked for (Reload.ts) that this projector has folded and not yet written */
  const reloading = new Map<string, Reload.Request>()

  const inTurn = <A>(body: () => Promise<A>): Promise<A> => {
    const result = turn.then(body)
    turn = result.catch(() => undefined)
    return result
  }

  const foldReloads = async (): Promise<void> => {
    for (const request of await Reload.pending(options.db)) {
      if (reloading.get(request.school)?.token === request.token) continue
      await schools.reload(request, folded)
      reloading.set(request.school, request)
      log({ msg: "projector reloaded a school whose events were deleted", school: request.school })
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
      for (const recorded of page.events) schools.apply(recorded, true)
      count += page.events.length
      if (page.lastPosition > folded) folded = page.lastPosition
      if (page.isEnd) return true
      const elapsed = Date.now() - started
      if (count >= batchSize || elapsed >= foldMs) return false
      // A longer (paced) batch still ends after batchMs for a reader waiting on its writes, or a stop.
      if (elapsed >= batchMs && (stopping || waiters.waitsFor(folded))) return false
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

  /**
   * Writes the rows every school planned and the checkpoint `target` in one transaction
   * fenced by the lease; settles the plans once it has committed.
   */
  const writeRows = async (target: number): Promise<void> => {
    const written = await options.db.transaction(async (tx) => {
      await lease.fence(tx, nowMs())
      const planned: Array<readonly [School, Plan.SchoolChanges]> = []
      for (const [school, projection] of schools.all) {
        if (!projection.hasChanges(false)) continue
        const reload = reloading.get(school)
        if (reload !== undefined) await Reload.replaceSchool(tx, reload)
        const existing = projection.rewritesEverything ? await Writer.existingIds(tx, school) : undefined
        const changes = projection.plan(school, existing)
        await Writer.writeChanges(tx, changes)
        planned.push([projection, changes])
      }
      if (target > committed) await ReadModel.saveCheckpoint(tx, target, options.now())
      return planned
    })
    for (const [projection, changes] of written) {
      projection.settle(changes)
      if (changes.erasures.length > 0) erasures.recorded()
    }
  }

  /**
   * One batch: read, fold, write; returns whether the log end was reached. `paced`: see
   * Pacing.ts, unless someone waits to read their writes. `waitWhenQuiet`: at the log's
   * end, keep folding what arrives until that time is up (the running loop), rather than
   * write at once (a catch-up).
   */
  const step = async (paced: boolean, waitWhenQuiet = paced): Promise<boolean> => {
    // An erasure whose stream deletion failed (the store was unreachable) is finished on the
    // next step, not only at the next start.
    await erasures.finishRecorded()
    await foldReloads()
    let atEnd = await foldBatch(pacing.minFoldMs(paced))
    if (waitWhenQuiet) {
      // ...but a log gone quiet is written at once (within a poll interval).
      const writeAfter = pacing.writeAfter()
      while (atEnd && !stopping && Date.now() < writeAfter && !waiters.waitsFor(folded)) {
        const before = folded
        await pause(Math.min(writeAfter - Date.now(), pollIntervalMs))
        atEnd = await foldBatch(0)
        if (folded === before) break
      }
    }
    const stepMs = nowMs()
    // A reloaded school's follow-ups went with its rows: written again at once.
    const withFollowUps = followUps.isDue(atEnd, stepMs) || reloading.size > 0
    if (folded <= committed && !schools.hasChanges(withFollowUps)) {
      await lease.keepAlive(options.db, stepMs)
      return atEnd
    }
    const target = folded
    const writeStarted = performance.now()
    // The rows and the checkpoint first, the follow-ups in a transaction of their own after
    // them: evaluating every touched student's rules costs seconds on a large school, and
    // the checkpoint (the lag) need not wait for it.
    await writeRows(target)
    // The replaced rows are zeroed (secure_delete), but their old pages stay in the WAL
    // until a checkpoint: retention removes data for good, so checkpoint now.
    if (reloading.size > 0 && options.db.dialect === "sqlite") await options.db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
    reloading.clear()
    committed = Math.max(committed, target)
    options.onCommitted?.(committed)
    await erasures.finishRecorded()
    // A reader waiting for its write also reads the follow-ups it changed, when this batch
    // evaluates them.
    if (withFollowUps) {
      await FollowUpSchedule.write(options.db, lease, schools.all, options.now, (projection) =>
        projection.followUpsDue()
      )
      followUps.evaluated(stepMs)
    }
    waiters.reached(committed)
    const writeMs = pacing.wrote(writeStarted)
    if (withFollowUps) followUps.spaceBy(writeMs)
    return atEnd
  }

  const warmUp = async (): Promise<void> => {
    const { needsRebuild } = await ReadModel.ensure(options.db)
    await lease.acquire(options.db, nowMs, () => stopping)
    // Only the lease holder may drop the tables another projector could be writing.
    if (needsRebuild || options.rebuild === true) await ReadModel.reset(options.db)
    const checkpoint = await ReadModel.checkpoint(options.db)
    await schools.replay(checkpoint)
    committed = checkpoint
    folded = checkpoint
    options.onCommitted?.(committed)
    await erasures.finish()
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
          schools.markEverything()
          await lease.acquire(options.db, nowMs, () => stopping)
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
      const reached = waiters.wait(position, timeoutMs)
      wake?.()
      return reached
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
        followUps.dueNow()
        await step(false)
      }),
    refreshFollowUps: () =>
      inTurn(() =>
        FollowUpSchedule.write(
          options.db,
          lease,
          schools.all,
          options.now,
          (projection) => [...projection.fold.state.students.keys()],
          true
        )
      ),
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
          followUps.dueNow()
          await step(false)
        }).catch(() => undefined)
      }
      await lease.release(options.db)
    },
    school: (school) => schools.all.get(school)
  }
}
