/**
 * The expected failures of the read side (dashboard views and person pages), as tagged
 * errors carrying what a caller needs to answer them: the read models cannot be reached,
 * no such person, an input the read side cannot interpret, a position the read models have
 * not reached yet. (The event store's own `StoreUnavailable` comes from
 * `@rapport/event-store`.) A server maps each to one answer, in one place.
 *
 * Anything else that goes wrong on the read side is a defect (a bug): it is never turned
 * into one of these, so that it is seen and fixed rather than answered "retry later".
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as SqlError from "./SqlError.js"

/**
 * The read-model database cannot be reached now; retrying later may succeed.
 *
 * @since 0.2.0
 * @category errors
 */
export class ReadModelsUnavailable extends Data.TaggedError("ReadModelsUnavailable")<{
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `read models unavailable: ${this.reason}`
  }
}

/**
 * The school has no such student or faculty member (or the id belongs to another school).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotFound extends Data.TaggedError("NotFound")<{
  readonly kind: "student" | "faculty"
  readonly id: string
}> {
  override get message(): string {
    return `no such ${this.kind}: ${this.id}`
  }
}

/**
 * An input the read side cannot interpret (a date that does not exist, for example), with
 * the path of the offending value in the request (`["query", "asOf"]`).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{
  readonly path: ReadonlyArray<string>
  readonly detail: string
}> {
  override get message(): string {
    return `invalid input at ${this.path.join(".")}: ${this.detail}`
  }
}

/**
 * The read models have not reached a log position a reader asked to wait for (its own
 * write, usually) within the time allowed.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotYetConsistent extends Data.TaggedError("NotYetConsistent")<{
  readonly position: number
}> {
  override get message(): string {
    return `the read models have not reached position ${this.position}`
  }
}

/**
 * The failures a dashboard view or a person page may fail with (besides the event store's
 * `StoreUnavailable` for person pages).
 *
 * @since 0.2.0
 * @category models
 */
export type ReadError = ReadModelsUnavailable | NotFound | InvalidInput | NotYetConsistent

/**
 * Runs a read-model query (a promise of `Sql`): an unreachable database fails with
 * `ReadModelsUnavailable`, anything else dies.
 *
 * @since 0.2.0
 * @category operations
 */
export const fromReadModels = <A>(run: () => Promise<A>): Effect.Effect<A, ReadModelsUnavailable> =>
  SqlError.attempt(run).pipe(
    Effect.mapError((error) => new ReadModelsUnavailable({ reason: error.reason, cause: error }))
  )

/**
 * A person that must exist: `undefined` fails with `NotFound`.
 *
 * @since 0.2.0
 * @category operations
 */
export const required =
  (kind: NotFound["kind"], id: string) =>
  <A>(found: A | undefined): Effect.Effect<A, NotFound> =>
    found === undefined ? Effect.fail(new NotFound({ kind, id })) : Effect.succeed(found)
