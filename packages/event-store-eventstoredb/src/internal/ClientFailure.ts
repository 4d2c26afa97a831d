/**
 * What `@eventstore/db-client` threw, sorted into the few cases the adapter acts on:
 * a wrong expected version, a deleted (tombstoned) stream, a missing stream, an append
 * over the server's size limit, and "the server cannot be reached now". Everything
 * else (access denied, malformed requests, bugs) is a defect and is never caught here.
 *
 * Classification reads the client's `type` discriminator (its `ErrorType` values such
 * as `"wrong-expected-version"`) rather than `instanceof`, so that errors from another
 * copy of the client, or plain objects of the same shape, are understood too; gRPC and
 * socket errors that the client did not convert are recognised by their status code or
 * errno; a node that is not ready, busy or without a leader is unreachable for now even
 * when the client reports it as an unknown error. This module must never turn a defect into a retryable failure: an unknown error
 * stays unknown.
 *
 * @since 0.1.0
 */
import type { AppendExpectedRevision, CurrentRevision } from "@eventstore/db-client"
import { NO_STREAM } from "@eventstore/db-client"
import * as Data from "effect/Data"

/**
 * The server refused an append because the stream was not at the expected revision.
 *
 * @since 0.1.0
 * @category failures
 */
export class WrongExpectedVersion extends Data.TaggedError("WrongExpectedVersion")<{
  readonly streamName: string
  readonly expected: AppendExpectedRevision
  readonly actual: CurrentRevision
}> {}

/**
 * The stream was hard-deleted (tombstoned); it can never be read or written again.
 *
 * @since 0.1.0
 * @category failures
 */
export class StreamTombstoned extends Data.TaggedError("StreamTombstoned")<{
  readonly streamName: string
}> {}

/**
 * The append is larger than the server's `MaxAppendSize`.
 *
 * @since 0.1.0
 * @category failures
 */
export class AppendTooLarge extends Data.TaggedError("AppendTooLarge")<{
  readonly maxAppendSize: number
}> {}

/**
 * The server could not be reached or did not answer in time; whether a write happened
 * is unknown.
 *
 * @since 0.1.0
 * @category failures
 */
export class Unreachable extends Data.TaggedError("Unreachable")<{
  readonly reason: string
  readonly cause: unknown
}> {}

/**
 * Every failure the adapter handles. A missing stream is not among them: reads report
 * it as a value.
 *
 * @since 0.1.0
 * @category failures
 */
export type ClientFailure = WrongExpectedVersion | StreamTombstoned | AppendTooLarge | Unreachable

const unavailableTypes = new Set(["unavailable", "deadline-exceeded", "timeout", "cancelled", "not-leader"])

// A node that is starting, electing a leader or overloaded answers a batch append with a
// status whose details the client does not recognise, so it throws an UnknownError
// "Could not recognize Server Is Not Ready" (or "Server Is Busy", or "No leader info
// available in response" while no leader is known): KurrentDB's Streams.BatchAppend.cs
// (v24.10 to v25.1) and the client's unpackToCommandError (6.2.1). Unary calls send
// the same conditions as UNAVAILABLE, or UNKNOWN "No leader info available in response".
const notServing = /\b(Server Is Not Ready|Server Is (Too )?Busy|No leader info available in response)\b/

// gRPC status codes: 1 CANCELLED, 4 DEADLINE_EXCEEDED, 10 ABORTED, 14 UNAVAILABLE.
const unavailableGrpcCodes = new Set([1, 4, 10, 14])

const unavailableErrnos = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE"
])

const field = (error: unknown, key: string): unknown =>
  typeof error === "object" && error !== null ? Object.getOwnPropertyDescriptor(error, key)?.value : undefined

const text = (error: unknown, key: string): string | undefined => {
  const value = field(error, key)
  return typeof value === "string" ? value : undefined
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : (text(error, "message") ?? String(error))

const isExpectation = (value: unknown): value is AppendExpectedRevision =>
  typeof value === "bigint" || value === "any" || value === "no_stream" || value === "stream_exists"

const isCurrent = (value: unknown): value is CurrentRevision => typeof value === "bigint" || value === NO_STREAM

/**
 * The type discriminator of a client error (`"wrong-expected-version"`, ...), if any.
 *
 * @since 0.1.0
 * @category classification
 */
export const typeOf = (error: unknown): string | undefined =>
  // The client declares `type` as a class field, so it is an own property of every instance.
  text(error, "type")

/**
 * Sorts a thrown value into a {@link ClientFailure}, `"stream-not-found"`, or `undefined`
 * for a defect.
 *
 * @since 0.1.0
 * @category classification
 */
export const classify = (error: unknown): ClientFailure | "stream-not-found" | undefined => {
  const type = typeOf(error)
  switch (type) {
    case "wrong-expected-version": {
      const streamName = text(error, "streamName") ?? ""
      const expected = field(error, "expectedVersion")
      const actual = field(error, "actualVersion")
      return new WrongExpectedVersion({
        streamName,
        expected: isExpectation(expected) ? expected : "any",
        actual: isCurrent(actual) ? actual : NO_STREAM
      })
    }
    case "stream-deleted":
      return new StreamTombstoned({ streamName: text(error, "streamName") ?? "" })
    case "stream-not-found":
      return "stream-not-found"
    case "maximum-append-size-exceeded": {
      const size = field(error, "maxAppendSize")
      return new AppendTooLarge({ maxAppendSize: typeof size === "number" ? size : 0 })
    }
    case "unknown":
      if (notServing.test(messageOf(error))) {
        return new Unreachable({ reason: `the server is not serving: ${messageOf(error)}`, cause: error })
      }
      return undefined
    default:
      if (type !== undefined && unavailableTypes.has(type)) {
        return new Unreachable({ reason: `${type}: ${messageOf(error)}`, cause: error })
      }
  }
  if (type !== undefined) return undefined
  const code = field(error, "code")
  if (typeof code === "number" && unavailableGrpcCodes.has(code)) {
    return new Unreachable({ reason: messageOf(error), cause: error })
  }
  if (typeof code === "string" && unavailableErrnos.has(code)) {
    return new Unreachable({ reason: `${code}: ${messageOf(error)}`, cause: error })
  }
  const message = messageOf(error)
  if (error instanceof Error && /^Failed to discover after \d+ attempts/.test(message)) {
    return new Unreachable({ reason: message, cause: error })
  }
  return undefined
}
