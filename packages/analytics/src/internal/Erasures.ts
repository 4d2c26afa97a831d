/**
 * Erasure completion: after the transaction that removed an erased student's rows (and
 * recorded the erasure in `rm_pending_erasures`) commits, the student's stream is deleted
 * from the store, the caller is told (directory, audit), and the record goes. A deletion
 * that fails (the store unreachable) is retried on the next batch and at the next start.
 *
 * @since 0.2.0
 */
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Streams from "../Streams.js"
import type { SqlDatabase } from "./SqlTypes.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly store: EventStoreShape
  readonly db: SqlDatabase
  readonly onErased?: ((school: string, studentId: string) => Promise<void>) | undefined
  readonly log: (line: Readonly<Record<string, string | number | boolean>>) => void
}

/**
 * @since 0.2.0
 * @category models
 */
export class Erasures {
  private readonly options: Options
  /** whether a write recorded erasures not finished yet */
  private pending = false

  constructor(options: Options) {
    this.options = options
  }

  /**
   * A write recorded erasures: finish them after it.
   *
   * @since 0.2.0
   */
  recorded(): void {
    this.pending = true
  }

  /**
   * Finishes the erasures recorded by this projector's writes, if any.
   *
   * @since 0.2.0
   */
  async finishRecorded(): Promise<void> {
    if (!this.pending) return
    await this.finish()
    this.pending = false
  }

  /**
   * Finishes every erasure recorded in the read models (at start: those a stopped
   * projector left).
   *
   * @since 0.2.0
   */
  async finish(): Promise<void> {
    const { store, db, onErased, log } = this.options
    const pending = await db.all("SELECT school, student_id FROM rm_pending_erasures")
    for (const row of pending) {
      const school = String(row.school)
      const studentId = String(row.student_id)
      await Effect.runPromise(store.deleteStream(Streams.student(school, studentId)))
      await onErased?.(school, studentId)
      await db.run("DELETE FROM rm_pending_erasures WHERE school = ? AND student_id = ?", [school, studentId])
      log({ msg: "erased a student", school })
    }
    // The deleted rows are zeroed (secure_delete), but SQLite keeps their old pages in the
    // WAL until a checkpoint copies the new ones over them: do it now, not someday.
    if (pending.length > 0 && db.dialect === "sqlite") await db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
  }
}
