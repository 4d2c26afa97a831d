/**
 * `appendMany` on EventStoreDB: deduplication by `(school, event id)` across streams,
 * conflicts, expected states, and writes that a retry can always complete.
 *
 * The steps (docs/operations.md explains the guarantees they give):
 * 1. check the request without I/O: stream ids, one part per stream, non-empty event
 *    ids, conflicting or exact repeats inside the request, sizes;
 * 2. read each target stream's last revision (a tombstoned stream fails here);
 * 3. settle every distinct event id through its claim (`Settle.ts`): reserve it, or
 *    find that it is already stored (a duplicate, wherever it lies), or that it is bound
 *    to other content (a conflict);
 * 4. on a conflict, a misplaced or unusable id, or a wrong expected state, release the
 *    reservations this attempt made fresh and fail: nothing was written;
 * 5. write each stream's new events in request order, one single-stream append each,
 *    always with an exact expected revision; after a conflict on that revision, locate
 *    the events a concurrent attempt may have written and retry with the rest when the
 *    request allows it (`Any`, `StreamExists`);
 * 6. answer revisions and positions read back from the server.
 *
 * A stream part whose events are all stored already is not checked against its expected
 * state: its write happened in an earlier attempt, so a retry of a partly applied
 * `appendMany` completes instead of failing forever. This module must never append
 * without an exact expectation, and never release a reservation whose write may have
 * happened or may still happen: an unreachable server or a timeout leaves it for the
 * retry, and a reservation taken over from another attempt is never released (that
 * attempt may be alive and write later; see `Settle.ts`).
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import type { AppendManyResult, AppendRequest, StreamId } from "@rapport/event-store"
import {
  EventIdConflict,
  InvalidAppend,
  StreamDeleted,
  StoreUnavailable,
  WrongExpectedRevision
} from "@rapport/event-store"
import type { AppendError } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import type { Naming } from "../EventStoreDbStreamName.js"
import { type Actual, actualFromClient, exactly, satisfies } from "../ExpectedRevision.js"
import * as Claims from "./Claims.js"
import type { ClientFailure } from "./ClientFailure.js"
import { type Connection, call } from "./Connection.js"
import * as Envelope from "./Envelope.js"
import { after, lastRevision, locate } from "./Locate.js"
import { type Outcome, type Part, plan, result, type Unique } from "./AppendPlan.js"
import { settle } from "./Settle.js"

/**
 * Limits of an append.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendSettings {
  /** bytes per single-stream write; the server's `MaxAppendSize` (default 1 MiB) */
  readonly maxAppendSize: number
  /** concurrent claim operations */
  readonly concurrency: number
  /** the names of streams under the store's key */
  readonly naming: Naming
}

const maxWriteAttempts = 16

const unavailable = (failure: { readonly reason: string; readonly cause: unknown }): StoreUnavailable =>
  new StoreUnavailable({ reason: failure.reason, cause: failure.cause })

const release = (
  connection: Connection,
  settings: AppendSettings,
  uniques: ReadonlyArray<Unique>,
  outcomes: ReadonlyMap<string, Outcome>
): Effect.Effect<void, StoreUnavailable> =>
  Effect.forEach(
    uniques,
    (unique) => {
      const outcome = outcomes.get(unique.key)
      // A reservation taken over from another attempt stays: that attempt may still write.
      return outcome?._tag === "Reserved" && !outcome.takenOver
        ? Claims.release(connection, unique.school, unique.event.id, outcome.claimRevision)
        : Effect.void
    },
    { concurrency: settings.concurrency, discard: true }
  ).pipe(Effect.catchTag("Unreachable", (failure) => Effect.fail(unavailable(failure))))

/** Step 4: the first reason to refuse the whole request, in request order. */
const refusal = (parts: ReadonlyArray<Part>, outcomes: ReadonlyMap<string, Outcome>): AppendError | undefined => {
  for (const part of parts) {
    for (const unique of part.uniques) {
      const outcome = outcomes.get(unique.key)
      if (outcome?._tag === "Conflict") {
        return new EventIdConflict({
          school: unique.school,
          eventId: unique.event.id,
          storedHash: outcome.storedHash,
          attemptedHash: unique.hash
        })
      }
      if (outcome?._tag === "ClaimDeleted") {
        return new InvalidAppend({
          reason: `event ${unique.event.id} cannot be stored: its idempotency claim stream ${outcome.claimStream} was deleted on the server`
        })
      }
      if (outcome?._tag === "Misplaced") {
        return new InvalidAppend({
          reason: `event ${unique.event.id} was reserved for stream ${outcome.streamName} by an earlier attempt that has not written it; retry that attempt unchanged`
        })
      }
    }
  }
  return undefined
}

/** Step 5 for one stream: writes its reserved events; returns the stream's last revision. */
const writePart = (
  connection: Connection,
  attempt: string,
  part: Part,
  current: Actual,
  outcomes: Map<string, Outcome>
): Effect.Effect<Actual, AppendError> =>
  Effect.gen(function* () {
    const stream: StreamId = part.request.stream
    let remaining = part.uniques.filter((unique) => outcomes.get(unique.key)?._tag === "Reserved")
    let expectedNow = current
    const locateRemaining = (from: number) =>
      Effect.map(locate(connection, part.name, from, new Set(remaining.map((u) => u.serverId))), (found) => {
        for (const unique of remaining) {
          const at = found.get(unique.serverId)
          if (at !== undefined) outcomes.set(unique.key, { _tag: "Stored", at, duplicate: true })
        }
        remaining = remaining.filter((unique) => !found.has(unique.serverId))
      })
    for (let tries = 0; remaining.length > 0; tries++) {
      if (tries >= maxWriteAttempts) {
        return yield* Effect.fail(
          new StoreUnavailable({ reason: `stream ${part.name} changed on every one of ${tries} attempts; retry` })
        )
      }
      const events = remaining.map((unique) =>
        Envelope.toProposed(part.request.stream, unique.event, unique.hash, attempt)
      )
      const written = yield* Effect.result(
        call(`append to ${part.name}`, () => connection.append(part.name, events, exactly(expectedNow)))
      )
      if (written._tag === "Success") {
        const ours = remaining
        yield* locateRemaining(after(expectedNow))
        if (remaining.length > 0) {
          return yield* Effect.die(
            new Error(`append to ${part.name} succeeded but ${remaining.length} of its events are not in the stream`)
          )
        }
        // The server answers a repeat of another attempt's write with success and stores
        // nothing: only the events that carry this attempt's name were stored by it.
        let repeated = false
        for (const unique of ours) {
          const outcome = outcomes.get(unique.key)
          if (outcome?._tag === "Stored" && outcome.at.attempt === attempt) {
            outcomes.set(unique.key, { ...outcome, duplicate: false })
          } else repeated = true
        }
        // A repeat is answered with the end of the original write, not the stream's last
        // revision, which later appends may have moved: read it.
        return repeated ? yield* lastRevision(connection, part.name) : Number(written.success.nextExpectedRevision)
      }
      const failure: ClientFailure = written.failure
      switch (failure._tag) {
        case "WrongExpectedVersion": {
          const actual = actualFromClient(failure.actual) ?? "no-stream"
          // A concurrent attempt with the same reservation may have written some of them.
          yield* locateRemaining(after(current))
          if (remaining.length === 0) return actual
          const expected = part.request.expected
          if (expected._tag === "Any" || (expected._tag === "StreamExists" && actual !== "no-stream")) {
            expectedNow = actual
            continue
          }
          return yield* Effect.fail(new WrongExpectedRevision({ stream, expected, actual }))
        }
        case "StreamTombstoned":
          return yield* Effect.fail(new StreamDeleted({ stream }))
        case "AppendTooLarge":
          return yield* Effect.fail(
            new InvalidAppend({
              reason: `the events for stream ${part.name} are over the server's ${failure.maxAppendSize}-byte append limit`
            })
          )
        case "Unreachable":
          return yield* Effect.fail(unavailable(failure))
      }
    }
    return expectedNow
  }).pipe(
    Effect.catchTags({
      Unreachable: (failure) => Effect.fail(unavailable(failure)),
      StreamTombstoned: () => Effect.fail(new StreamDeleted({ stream: part.request.stream }))
    })
  )

/**
 * Appends to several streams (each stream's part whole or not at all; the parts one
 * after another, not atomically).
 *
 * @since 0.1.0
 * @category operations
 */
export const appendMany =
  (connection: Connection, settings: AppendSettings, ready: Effect.Effect<void, StoreUnavailable>) =>
  (requests: ReadonlyArray<AppendRequest>): Effect.Effect<AppendManyResult, AppendError> =>
    Effect.gen(function* () {
      const attempt = randomUUID()
      const planned = plan(requests, settings)
      if (!Array.isArray(planned)) return yield* Effect.fail(planned)
      yield* ready
      const parts: ReadonlyArray<Part> = planned
      const current = yield* Effect.forEach(
        parts,
        (part) =>
          lastRevision(connection, part.name).pipe(
            Effect.catchTags({
              Unreachable: (failure) => Effect.fail(unavailable(failure)),
              StreamTombstoned: () => Effect.fail(new StreamDeleted({ stream: part.request.stream }))
            })
          ),
        { concurrency: settings.concurrency }
      )
      const outcomes = yield* settle(connection, settings.concurrency, parts, current)
      const uniques = parts.flatMap((part) => part.uniques)
      const fail = (error: AppendError, from = 0) =>
        Effect.andThen(
          release(
            connection,
            settings,
            parts.slice(from).flatMap((p) => p.uniques),
            outcomes
          ),
          Effect.fail(error)
        )
      const refused = refusal(parts, outcomes)
      if (refused !== undefined) return yield* fail(refused)
      const reserved = (part: Part) => part.uniques.some((unique) => outcomes.get(unique.key)?._tag === "Reserved")
      const anyNew = uniques.some((unique) => outcomes.get(unique.key)?._tag === "Reserved")
      const eventCount = parts.reduce((n, part) => n + part.keys.length, 0)
      if (anyNew || eventCount === 0) {
        for (const [index, part] of parts.entries()) {
          const actual = current[index] ?? "no-stream"
          const checked = reserved(part) || part.keys.length === 0
          if (checked && !satisfies(part.request.expected, actual)) {
            return yield* fail(
              new WrongExpectedRevision({ stream: part.request.stream, expected: part.request.expected, actual })
            )
          }
        }
      }
      const revisions: Array<Actual> = []
      for (const [index, part] of parts.entries()) {
        const before = current[index] ?? "no-stream"
        if (!reserved(part)) {
          revisions.push(before)
          continue
        }
        const written = yield* Effect.result(writePart(connection, attempt, part, before, outcomes))
        if (written._tag === "Failure") {
          const failure = written.failure
          if (failure._tag === "StoreUnavailable") return yield* Effect.fail(failure)
          return yield* fail(failure, index)
        }
        revisions.push(written.success)
      }
      return result(parts, outcomes, revisions)
    })
