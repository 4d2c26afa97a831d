/**
 * When the projector evaluates follow-ups, and the transaction that writes them.
 * Follow-ups depend on "today" as well as on events: they are evaluated for the students
 * a batch touched, batched while events keep coming (a school-wide evaluation costs about
 * as much as folding tens of thousands of events, so evaluations are spaced by ten times
 * their cost, at most ten seconds apart), and for everyone on a refresh.
 *
 * @since 0.2.0
 */
import type { Lease } from "./Lease.js"
import * as FollowUpRows from "./FollowUpRows.js"
import type { SchoolProjection } from "./SchoolProjection.js"
import type { SqlDatabase } from "./SqlTypes.js"
import * as Writer from "./Writer.js"

/** Follow-ups of students touched are never older than this while events keep coming. */
const maxGapMs = 10_000

/**
 * @since 0.2.0
 * @category models
 */
export class FollowUpSchedule {
  private readonly intervalMs: number
  private lastEvaluated = 0
  /** the wait between evaluations: the interval, or ten times what the last write took (at most 10 s) */
  private gapMs: number

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs
    this.gapMs = intervalMs
  }

  /**
   * Whether a batch evaluates follow-ups: at the log's end once the gap has passed.
   *
   * @since 0.2.0
   */
  isDue(atEnd: boolean, nowMs: number): boolean {
    return atEnd && nowMs - this.lastEvaluated >= this.gapMs
  }

  /**
   * The next batch evaluates them, whatever the gap (a catch-up, a stop).
   *
   * @since 0.2.0
   */
  dueNow(): void {
    this.lastEvaluated = Number.NEGATIVE_INFINITY
  }

  /**
   * A batch evaluated them at `nowMs`.
   *
   * @since 0.2.0
   */
  evaluated(nowMs: number): void {
    this.lastEvaluated = nowMs
  }

  /**
   * The batch that evaluated them wrote for `writeMs`: the next waits ten times as long.
   *
   * @since 0.2.0
   */
  spaceBy(writeMs: number): void {
    this.gapMs = Math.min(Math.max(this.intervalMs, 10 * writeMs), maxGapMs)
  }
}

/**
 * Evaluates the follow-ups of some students of each school as of `now`, in a transaction
 * of its own fenced by the lease, and writes those whose rows would change (most stay the
 * same from one evaluation to the next). What it wrote is remembered once the transaction
 * has committed. Without the lease it throws LeaseLost, or with `quietly` writes nothing.
 *
 * @since 0.2.0
 * @category operations
 */
export const write = async (
  db: SqlDatabase,
  lease: Lease,
  schools: ReadonlyMap<string, SchoolProjection>,
  now: () => Date,
  studentsOf: (projection: SchoolProjection) => ReadonlyArray<string>,
  quietly = false
): Promise<void> => {
  const evaluated = await db.transaction(async (tx) => {
    if (quietly) {
      if (!(await lease.renew(tx, now().getTime()))) return []
    } else await lease.fence(tx, now().getTime())
    const asOf = now().toISOString()
    const done: Array<readonly [SchoolProjection, ReadonlyArray<string>, Map<string, string>]> = []
    for (const [school, projection] of schools) {
      const students = studentsOf(projection)
      const written = new Map<string, string>()
      for (const own of FollowUpRows.rowsFor(projection, students, asOf)) {
        const json = JSON.stringify(own.rows)
        if (projection.followUpsUnchanged(own.studentId, json)) continue
        await Writer.writeFollowUpRows(tx, school, own)
        written.set(own.studentId, json)
      }
      done.push([projection, students, written])
    }
    return done
  })
  for (const [projection, students, written] of evaluated) projection.settleFollowUps(students, written)
}
