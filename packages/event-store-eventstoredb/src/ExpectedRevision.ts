/**
 * The port's expected states and revisions, translated to and from
 * `@eventstore/db-client`'s: `ANY`, `NO_STREAM`, `STREAM_EXISTS` and a `bigint`
 * revision on the way out; a `bigint` or `NO_STREAM` as the stream's current revision on
 * the way back.
 *
 * The adapter itself always writes with an exact expectation (`NO_STREAM` or the
 * revision it has just read), never `ANY`: only an exact expectation makes the server's
 * own idempotency check and optimistic concurrency hold (see docs/operations.md). This
 * module must stay pure.
 *
 * @since 0.1.0
 */
import type { AppendExpectedRevision, CurrentRevision, ExpectedRevision } from "@eventstore/db-client"
import { ANY, NO_STREAM, STREAM_EXISTS } from "@eventstore/db-client"
import { ExpectedState, type Revision } from "@rapport/event-store"

/**
 * A stream's last revision, or `"no-stream"`, as the port reports it.
 *
 * @since 0.1.0
 * @category models
 */
export type Actual = Revision | "no-stream"

/**
 * The client's expectation for a port expected state.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toClient = (expected: ExpectedState): AppendExpectedRevision => {
  switch (expected._tag) {
    case "Any":
      return ANY
    case "NoStream":
      return NO_STREAM
    case "StreamExists":
      return STREAM_EXISTS
    case "Exact":
      return BigInt(expected.revision)
  }
}

/**
 * A revision from the client as a port revision; `undefined` beyond
 * `Number.MAX_SAFE_INTEGER` (never reached by a real stream).
 *
 * @since 0.1.0
 * @category conversions
 */
export const revisionFromClient = (revision: bigint): Revision | undefined =>
  revision >= 0n && revision <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(revision) : undefined

/**
 * The port expected state for a client expectation (used to describe what the server
 * refused); `undefined` for a revision beyond `Number.MAX_SAFE_INTEGER`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const fromClient = (expected: AppendExpectedRevision): ExpectedState | undefined => {
  switch (expected) {
    case ANY:
      return ExpectedState.any
    case NO_STREAM:
      return ExpectedState.noStream
    case STREAM_EXISTS:
      return ExpectedState.streamExists
    default: {
      const revision = revisionFromClient(expected)
      return revision === undefined ? undefined : ExpectedState.exact(revision)
    }
  }
}

/**
 * The stream's current revision as the port reports it (`"no-stream"` when missing);
 * `undefined` for a revision beyond `Number.MAX_SAFE_INTEGER`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const actualFromClient = (current: CurrentRevision): Actual | undefined =>
  current === NO_STREAM ? "no-stream" : revisionFromClient(current)

/**
 * The exact expectation that appends right after `actual` and nowhere else: `NO_STREAM`
 * for a missing stream, the revision otherwise.
 *
 * @since 0.1.0
 * @category conversions
 */
export const exactly = (actual: Actual): ExpectedRevision => (actual === "no-stream" ? NO_STREAM : BigInt(actual))

/**
 * Whether a stream whose last revision is `actual` is in the `expected` state.
 *
 * @since 0.1.0
 * @category predicates
 */
export const satisfies = (expected: ExpectedState, actual: Actual): boolean => {
  switch (expected._tag) {
    case "Any":
      return true
    case "NoStream":
      return actual === "no-stream"
    case "StreamExists":
      return actual !== "no-stream"
    case "Exact":
      return actual === expected.revision
  }
}
