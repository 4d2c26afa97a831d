/**
 * Step 3 of an append (`Append.ts`): every distinct event id of a request settled through
 * its claim (`Claims.ts`). Each id ends up reserved by this attempt, found stored (a
 * duplicate, wherever it lies), bound to other content (a conflict), reserved for another
 * stream by an attempt that has not written it (misplaced), or unusable (its claim stream
 * was deleted by hand).
 *
 * Claims fence writes only if a claim never reads as free while its event is stored, or
 * may still be stored, in a live stream. So this module:
 * - reserves a free id (no claim, or released) as *fresh*: only this attempt can write
 *   under that reservation, so it may release it when it certainly wrote nothing;
 * - takes over a reservation of the same content for the same stream whose event is not
 *   (yet) written, marking it *taken over*: the attempt that made it may be alive and
 *   write later, so a taken-over reservation is never released (`Append.ts`);
 * - treats a reservation naming a deleted (tombstoned) stream as free, whatever its
 *   content: nothing can ever be written under it, and the port forgets the ids of a
 *   deleted stream. Only the claimed stream's own state says so, never a guess.
 *
 * This module must never reserve without the exact revision of the claim it last read.
 *
 * @since 0.1.0
 */
import type { ExpectedRevision } from "@eventstore/db-client"
import { StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { claimStreamName } from "../EventStoreDbStreamName.js"
import type { Actual } from "../ExpectedRevision.js"
import type { Outcome, Part, Unique } from "./AppendPlan.js"
import * as Claims from "./Claims.js"
import type { Unreachable } from "./ClientFailure.js"
import type { Connection } from "./Connection.js"
import { after, type Located, lastRevision, locate } from "./Locate.js"

const maxRounds = 8

/** An id to reserve at the claim's `expected` revision; `takeover` when another attempt holds it. */
interface Pending {
  readonly unique: Unique
  readonly expected: ExpectedRevision
  readonly takeover: boolean
}

type Held = { readonly unique: Unique; readonly claim: Extract<Claims.Claim, { _tag: "Reserved" }> }

/** Reserves each pending id; returns those another attempt changed first. */
const reserveAll = (
  connection: Connection,
  parts: ReadonlyArray<Part>,
  current: ReadonlyArray<Actual>,
  pending: ReadonlyArray<Pending>,
  outcomes: Map<string, Outcome>,
  concurrency: number
): Effect.Effect<Array<Unique>, Unreachable> =>
  Effect.gen(function* () {
    const taken: Array<Unique> = []
    yield* Effect.forEach(
      pending,
      ({ unique, expected, takeover }) =>
        Claims.reserve(connection, unique.school, unique.event.id, expected, {
          hash: unique.hash,
          streamName: parts[unique.part]?.name ?? "",
          base: current[unique.part] ?? "no-stream"
        }).pipe(
          Effect.tap((reserved) =>
            Effect.sync(() => {
              if (reserved === "taken") taken.push(unique)
              else outcomes.set(unique.key, { _tag: "Reserved", claimRevision: reserved, takenOver: takeover })
            })
          ),
          Effect.catchTag("StreamTombstoned", () =>
            Effect.sync(() =>
              outcomes.set(unique.key, {
                _tag: "ClaimDeleted",
                claimStream: claimStreamName(unique.school, unique.event.id)
              })
            )
          )
        ),
      { concurrency, discard: true }
    )
    return taken
  })

/**
 * Where the events of `held` claims (same content) lie in their claimed streams, and which
 * claimed streams, of those and of the `conflicting` claims (other content), are deleted.
 */
const inspectClaimedStreams = (
  connection: Connection,
  held: ReadonlyArray<Held>,
  conflicting: ReadonlyArray<Held>,
  concurrency: number
): Effect.Effect<{ found: Map<string, Located>; deleted: Set<string> }, Unreachable> =>
  Effect.gen(function* () {
    const found = new Map<string, Located>()
    const deleted = new Set<string>()
    const wanted = new Map<string, { from: number; ids: Set<string> }>()
    for (const { unique, claim } of held) {
      const scan = wanted.get(claim.streamName) ?? { from: after(claim.base), ids: new Set<string>() }
      scan.from = Math.min(scan.from, after(claim.base))
      scan.ids.add(unique.serverId)
      wanted.set(claim.streamName, scan)
    }
    yield* Effect.forEach(
      [...wanted],
      ([streamName, scan]) =>
        locate(connection, streamName, scan.from, scan.ids).pipe(
          Effect.tap((located) =>
            Effect.sync(() => {
              for (const [id, at] of located) found.set(id, at)
            })
          ),
          Effect.catchTag("StreamTombstoned", () => Effect.sync(() => deleted.add(streamName)))
        ),
      { concurrency, discard: true }
    )
    // Other content was reserved: a conflict, unless the claimed stream is deleted.
    const others = new Set(conflicting.map(({ claim }) => claim.streamName).filter((name) => !wanted.has(name)))
    yield* Effect.forEach(
      others,
      (streamName) =>
        lastRevision(connection, streamName).pipe(
          Effect.asVoid,
          Effect.catchTag("StreamTombstoned", () => Effect.sync(() => deleted.add(streamName)))
        ),
      { concurrency, discard: true }
    )
    return { found, deleted }
  })

/** Decides each id another attempt changed first; returns the ids to reserve again. */
const judge = (
  connection: Connection,
  parts: ReadonlyArray<Part>,
  claims: ReadonlyArray<{ readonly unique: Unique; readonly claim: Claims.Claim }>,
  outcomes: Map<string, Outcome>,
  concurrency: number
): Effect.Effect<Array<Pending>, Unreachable> =>
  Effect.gen(function* () {
    const next: Array<Pending> = []
    const held: Array<Held> = []
    const conflicting: Array<Held> = []
    for (const { unique, claim } of claims) {
      if (claim._tag === "Erased") {
        outcomes.set(unique.key, { _tag: "ClaimDeleted", claimStream: claimStreamName(unique.school, unique.event.id) })
      } else if (claim._tag === "Free") next.push({ unique, expected: claim.expected, takeover: false })
      else if (claim.hash === unique.hash) held.push({ unique, claim })
      else conflicting.push({ unique, claim })
    }
    const { found, deleted } = yield* inspectClaimedStreams(connection, held, conflicting, concurrency)
    for (const { unique, claim } of held) {
      const at = found.get(unique.serverId)
      if (at !== undefined) outcomes.set(unique.key, { _tag: "Stored", at, duplicate: true })
      // A reservation for a deleted stream binds nothing: nothing can be written under it.
      else if (deleted.has(claim.streamName)) next.push({ unique, expected: claim.revision, takeover: false })
      else if (claim.streamName !== parts[unique.part]?.name) {
        outcomes.set(unique.key, { _tag: "Misplaced", streamName: claim.streamName })
      }
      // Reserved for this stream by an attempt that has not written it (yet): take it over.
      else next.push({ unique, expected: claim.revision, takeover: true })
    }
    for (const { unique, claim } of conflicting) {
      if (deleted.has(claim.streamName)) next.push({ unique, expected: claim.revision, takeover: false })
      else outcomes.set(unique.key, { _tag: "Conflict", storedHash: claim.hash })
    }
    return next
  })

/**
 * Settles every distinct id of the parts; `current` holds each part's last revision.
 *
 * @since 0.1.0
 * @category operations
 */
export const settle = (
  connection: Connection,
  concurrency: number,
  parts: ReadonlyArray<Part>,
  current: ReadonlyArray<Actual>
): Effect.Effect<Map<string, Outcome>, StoreUnavailable> =>
  Effect.gen(function* () {
    const outcomes = new Map<string, Outcome>()
    // A new id's claim stream does not exist yet: try to reserve it straight away.
    let pending: Array<Pending> = parts.flatMap((part) =>
      part.uniques.map((unique) => ({ unique, expected: Claims.noClaim, takeover: false }))
    )
    for (let round = 0; round < maxRounds && pending.length > 0; round++) {
      const taken = yield* reserveAll(connection, parts, current, pending, outcomes, concurrency)
      const claims = yield* Effect.forEach(
        taken,
        (unique) =>
          Effect.map(Claims.lookup(connection, unique.school, unique.event.id), (claim) => ({ unique, claim })),
        { concurrency }
      )
      pending = yield* judge(connection, parts, claims, outcomes, concurrency)
    }
    const [first] = pending
    if (first !== undefined) {
      return yield* Effect.fail(
        new StoreUnavailable({
          reason: `event ${first.unique.event.id} is being claimed by concurrent attempts; retry`
        })
      )
    }
    return outcomes
  }).pipe(
    Effect.catchTag("Unreachable", (failure) =>
      Effect.fail(new StoreUnavailable({ reason: failure.reason, cause: failure.cause }))
    )
  )
