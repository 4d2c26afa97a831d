/**
 * The projector's in-memory folds, one per school: events read from the store are
 * decoded and folded here, while the log is replayed up to the checkpoint (without
 * tracking rows: the read models already hold them) or followed (tracking them). A school
 * whose events were deleted from the store is folded again from the store (Reload.ts).
 *
 * This module must never write SQL.
 *
 * @since 0.2.0
 */
import type { EventStoreShape, RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import type * as Reload from "../Reload.js"
import type * as SchoolSettings from "../SchoolSettings.js"
import { recordTypes, toEvent } from "./Recorded.js"
import { SchoolProjection } from "./SchoolProjection.js"

/** The largest page read at once: a batch reads several. */
export const pageSize = 5000

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly store: EventStoreShape
  /** every school's settings (time zone, follow-up rules), resolved once */
  readonly schools: SchoolSettings.SchoolSettings
  readonly log: (line: Readonly<Record<string, string | number | boolean>>) => void
}

/**
 * @since 0.2.0
 * @category models
 */
export class Schools {
  private readonly options: Options
  private readonly bySchool = new Map<string, SchoolProjection>()
  /** a group commit stamps all its events alike: each instant is parsed once */
  private lastRecordedAt = ""
  private lastRecordedMs = 0

  constructor(options: Options) {
    this.options = options
  }

  /**
   * Every school folded so far.
   *
   * @since 0.2.0
   */
  get all(): ReadonlyMap<string, SchoolProjection> {
    return this.bySchool
  }

  private schoolOf(school: string): SchoolProjection {
    let projection = this.bySchool.get(school)
    if (projection === undefined) {
      projection = new SchoolProjection(this.options.schools.of(school))
      this.bySchool.set(school, projection)
    }
    return projection
  }

  private applyTo(projection: SchoolProjection, recorded: RecordedEvent, track: boolean): void {
    const event = toEvent(recorded)
    if (event === undefined) {
      if (!recordTypes.has(recorded.type))
        this.options.log({ msg: "projector skipped an event it cannot read", position: recorded.position })
      return
    }
    if (recorded.recordedAt !== this.lastRecordedAt) {
      this.lastRecordedAt = recorded.recordedAt
      this.lastRecordedMs = Date.parse(recorded.recordedAt)
    }
    projection.apply(event, this.lastRecordedMs, track, recorded.position)
  }

  /**
   * Folds one event into its school; with `track`, marks the rows it changes.
   *
   * @since 0.2.0
   */
  apply(recorded: RecordedEvent, track: boolean): void {
    this.applyTo(this.schoolOf(recorded.stream.school), recorded, track)
  }

  /**
   * Replays the log up to `checkpoint` (the read models hold it), then takes what was
   * folded as written.
   *
   * @since 0.2.0
   */
  async replay(checkpoint: number): Promise<void> {
    let position = 0
    while (position < checkpoint) {
      const page = await Effect.runPromise(this.options.store.readAll({ after: position, maxCount: pageSize }))
      for (const recorded of page.events) {
        if (recorded.position > checkpoint) break
        this.apply(recorded, false)
      }
      if (page.events.length === 0 || page.lastPosition >= checkpoint) break
      position = page.lastPosition
    }
    for (const projection of this.bySchool.values()) projection.assumeWritten()
  }

  /**
   * Folds the school of `request` again, from the store as it now is, up to `folded`
   * (where the others are folded); its rows are all rewritten by the next write.
   *
   * @since 0.2.0
   */
  async reload(request: Reload.Request, folded: number): Promise<void> {
    const fresh = new SchoolProjection(this.options.schools.of(request.school))
    let after = 0
    while (after < folded) {
      const page = await Effect.runPromise(
        this.options.store.readAll({ after, filter: { school: request.school }, maxCount: pageSize })
      )
      for (const recorded of page.events) if (recorded.position <= folded) this.applyTo(fresh, recorded, false)
      if (page.isEnd || page.lastPosition <= after) break
      after = page.lastPosition
    }
    // an erasure folded but not yet written must still be written (and its stream deleted)
    fresh.replaces(this.bySchool.get(request.school))
    this.bySchool.set(request.school, fresh)
  }

  /**
   * Whether any school has rows waiting (`followUps`: counting follow-ups).
   *
   * @since 0.2.0
   */
  hasChanges(followUps: boolean): boolean {
    for (const projection of this.bySchool.values()) if (projection.hasChanges(followUps)) return true
    return false
  }

  /**
   * Marks every row of every school for rewriting (the lease was lost meanwhile).
   *
   * @since 0.2.0
   */
  markEverything(): void {
    for (const projection of this.bySchool.values()) projection.markEverything()
  }
}
