/**
 * The writer's jobs and how they run, wherever the writer runs (inline or in its thread):
 * appends waiting together are committed as one group (one transaction, one fsync, a
 * savepoint per request), deletions run alone and in arrival order relative to appends.
 *
 * This module must never answer a job before its transaction commits.
 *
 * @since 0.1.0
 */
import type { AppendRequest, StreamId } from "@rapport/event-store"
import type * as Writer from "./Writer.js"

/**
 * A unit of work for the writer.
 *
 * @since 0.1.0
 * @category models
 */
export type Job =
  | { readonly _tag: "Append"; readonly requests: ReadonlyArray<AppendRequest> }
  | { readonly _tag: "Delete"; readonly stream: StreamId }
  | { readonly _tag: "DeleteEvents"; readonly school: string; readonly positions: ReadonlyArray<number> }

/**
 * The answer to a job.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = Writer.AppendOutcome | Writer.DeleteOutcome

/**
 * The most events committed in one group transaction; a larger backlog is split into
 * several groups, so one transaction never grows without bound.
 *
 * @since 0.1.0
 * @category models
 */
export const maxGroupEvents = 20_000

const eventCount = (requests: ReadonlyArray<AppendRequest>): number =>
  requests.reduce((sum, request) => sum + request.events.length, 0)

/**
 * Runs jobs in order, grouping consecutive appends. Returns one outcome per job.
 *
 * @since 0.1.0
 * @category operations
 */
export const runJobs = (writer: Writer.Writer, jobs: ReadonlyArray<Job>): Array<Outcome> => {
  const outcomes: Array<Outcome> = []
  let group: Array<ReadonlyArray<AppendRequest>> = []
  let groupEvents = 0
  const flush = () => {
    if (group.length > 0) outcomes.push(...writer.appendGroup(group))
    group = []
    groupEvents = 0
  }
  for (const job of jobs) {
    if (job._tag === "Delete") {
      flush()
      outcomes.push(writer.deleteStream(job.stream))
      continue
    }
    if (job._tag === "DeleteEvents") {
      flush()
      outcomes.push(writer.deleteEvents(job.school, job.positions))
      continue
    }
    const size = eventCount(job.requests)
    if (group.length > 0 && groupEvents + size > maxGroupEvents) flush()
    group.push(job.requests)
    groupEvents += size
  }
  flush()
  return outcomes
}

/**
 * Whether an outcome changed the log (subscribers should look).
 *
 * @since 0.1.0
 * @category operations
 */
export const changed = (outcome: Outcome): boolean =>
  (outcome._tag === "Appended" && outcome.result.stored > 0) || outcome._tag === "Deleted"
