import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError
} from "@eventstore/db-client"
import { ExpectedState } from "@rapport/event-store"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import { classify } from "../src/internal/ClientFailure.js"
import { call } from "../src/internal/Connection.js"
import { assemble } from "../src/internal/Store.js"
import { makeSimulatedServer } from "./support/SimulatedServer.js"
import { naming } from "./support/Naming.js"

const settings = { maxAppendSize: 1_048_576, scanBudget: 4096, concurrency: 8, naming }

describe("classify: the client's errors", () => {
  it("a wrong expected version keeps the stream, the expectation and the actual revision", () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: "rapport-student-1.a-1.x",
      expected: 4n,
      current: 6n
    })
    expect(classify(error)).toMatchObject({
      _tag: "WrongExpectedVersion",
      streamName: "rapport-student-1.a-1.x",
      expected: 4n,
      actual: 6n
    })
    const missing = new WrongExpectedVersionError(undefined, {
      streamName: "s",
      expected: "stream_exists",
      current: NO_STREAM
    })
    expect(classify(missing)).toMatchObject({ expected: "stream_exists", actual: NO_STREAM })
  })

  it("a stream deleted, not found, or an append over the size limit", () => {
    expect(classify(StreamDeletedError.fromStreamName("s"))).toMatchObject({
      _tag: "StreamTombstoned",
      streamName: "s"
    })
    expect(classify(new StreamNotFoundError(undefined, "s"))).toBe("stream-not-found")
    expect(classify(MaxAppendSizeExceededError.fromMaxAppendSize(1024))).toMatchObject({
      _tag: "AppendTooLarge",
      maxAppendSize: 1024
    })
  })

  it("unavailable, deadline exceeded, timeouts and server cancellations are Unreachable", () => {
    for (const error of [
      new UnavailableError(undefined, "14 UNAVAILABLE: No connection established"),
      new DeadlineExceededError(undefined, "4 DEADLINE_EXCEEDED"),
      new TimeoutError(undefined, "10 ABORTED"),
      new CancelledError(undefined, "1 CANCELLED")
    ]) {
      expect(classify(error)).toMatchObject({ _tag: "Unreachable" })
    }
  })

  it("a node starting, electing or overloaded is Unreachable, though the client calls a batch append's answer unknown", () => {
    for (const message of [
      "Could not recognize Server Is Not Ready",
      "Could not recognize Server Is Busy",
      "Could not recognize No leader info available in response",
      "2 UNKNOWN: No leader info available in response"
    ]) {
      expect(classify(new UnknownError(undefined, message))).toMatchObject({ _tag: "Unreachable" })
    }
    expect(classify(new UnavailableError(undefined, "14 UNAVAILABLE: Server Is Too Busy"))).toMatchObject({
      _tag: "Unreachable"
    })
    for (const message of ["Could not recognize Something Else", "", "13 INTERNAL: Server Is Not Readyish"]) {
      expect(classify(new UnknownError(undefined, message))).toBeUndefined()
    }
  })

  it("objects of the same shape from another copy of the client are understood too", () => {
    expect(classify({ type: "not-leader", message: "not leader" })).toMatchObject({ _tag: "Unreachable" })
    expect(classify({ type: "stream-deleted", streamName: "s" })).toMatchObject({
      _tag: "StreamTombstoned",
      streamName: "s"
    })
    expect(
      classify({ type: "wrong-expected-version", streamName: "s", expectedVersion: "no_stream", actualVersion: 0n })
    ).toMatchObject({ _tag: "WrongExpectedVersion", expected: "no_stream", actual: 0n })
  })

  it("gRPC and socket failures the client did not convert, and failed discovery, are Unreachable", () => {
    const grpc = Object.assign(new Error("14 UNAVAILABLE: Connection dropped"), {
      code: 14,
      details: "Connection dropped"
    })
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2113"), { code: "ECONNREFUSED" })
    const discovery = new Error("Failed to discover after 10 attempts.")
    for (const error of [grpc, refused, discovery]) expect(classify(error)).toMatchObject({ _tag: "Unreachable" })
  })

  it("everything else is a defect", () => {
    const invalid = Object.assign(new Error("3 INVALID_ARGUMENT"), { code: 3 })
    for (const error of [
      new AccessDeniedError(undefined, "access denied"),
      new UnknownError(undefined, "13 INTERNAL"),
      invalid,
      new Error("boom"),
      "a string",
      undefined,
      { type: "user-not-found" }
    ]) {
      expect(classify(error)).toBeUndefined()
    }
  })
})

describe("call: failures in the error channel, defects as defects", () => {
  it("an unreachable server fails; access denied dies naming the call", async () => {
    const failed = await Effect.runPromiseExit(
      call("read of x", () => Promise.reject(new UnavailableError(undefined, "down")))
    )
    expect(Exit.isFailure(failed) && Cause.hasFails(failed.cause)).toBe(true)
    const died = await Effect.runPromiseExit(
      call("read of x", () => Promise.reject(new AccessDeniedError(undefined, "no")))
    )
    expect(Exit.isFailure(died) && Cause.hasDies(died.cause)).toBe(true)
    expect(String(Exit.isFailure(died) ? Cause.squash(died.cause) : "")).toContain("read of x")
  })
})

describe("the store maps the client's errors to the port's", () => {
  const stream = { school: "a", kind: "student" as const, id: "s-1" }
  const event = { id: "e-1", type: "T", v: 1, occurredAt: "2026-01-01T00:00:00.000Z", data: {} }

  it("an unreachable server is StoreUnavailable, for writes and reads", async () => {
    const server = makeSimulatedServer()
    server.faults.next = () => "before"
    const store = assemble(server.connect(), settings)
    const append = await Effect.runPromise(
      Effect.flip(store.append({ stream, expected: ExpectedState.any, events: [event] }))
    )
    expect(append._tag).toBe("StoreUnavailable")
    expect((await Effect.runPromise(Effect.flip(store.readStream(stream))))._tag).toBe("StoreUnavailable")
    expect((await Effect.runPromise(Effect.flip(store.readAll({ after: 0 }))))._tag).toBe("StoreUnavailable")
    expect((await Effect.runPromise(Effect.flip(store.headPosition)))._tag).toBe("StoreUnavailable")
    expect((await Effect.runPromise(Effect.flip(store.deleteStream(stream))))._tag).toBe("StoreUnavailable")
  })

  it("a node not ready or busy is StoreUnavailable (503, not a defect), and keeps reservations for the retry", async () => {
    for (const fault of ["not-ready", "busy"] as const) {
      const server = makeSimulatedServer()
      const store = assemble(server.connect(), settings)
      const e = { ...event, id: `e-${fault}` }
      server.faults.next = (op, name) => (op === "append" && name.startsWith("rapport-") ? fault : undefined)
      const refused = await Effect.runPromise(
        Effect.flip(store.append({ stream, expected: ExpectedState.any, events: [e] }))
      )
      expect(refused).toMatchObject({ _tag: "StoreUnavailable" })
      expect(refused._tag === "StoreUnavailable" ? refused.reason : "").toContain(
        fault === "not-ready" ? "Server Is Not Ready" : "Server Is Busy"
      )
      server.faults.next = (op) => (op === "readStream" ? fault : undefined)
      expect((await Effect.runPromise(Effect.flip(store.readStream(stream))))._tag).toBe("StoreUnavailable")
      server.faults.next = () => undefined
      // Another content is refused while the reservation stands; the retry completes it.
      const other = await Effect.runPromise(
        Effect.flip(store.append({ stream, expected: ExpectedState.any, events: [{ ...e, v: 2 }] }))
      )
      expect(other._tag).toBe("EventIdConflict")
      const retried = await Effect.runPromise(store.append({ stream, expected: ExpectedState.any, events: [e] }))
      expect(retried.events.map((x) => [x.revision, x.duplicate])).toEqual([[0, false]])
    }
  })

  it("a server refusing the expected revision is WrongExpectedRevision with stream, expected and actual", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    await Effect.runPromise(store.append({ stream, expected: ExpectedState.noStream, events: [event] }))
    const error = await Effect.runPromise(
      Effect.flip(store.append({ stream, expected: ExpectedState.exact(3), events: [{ ...event, id: "e-2" }] }))
    )
    expect(error).toMatchObject({ _tag: "WrongExpectedRevision", stream, expected: ExpectedState.exact(3), actual: 0 })
  })

  it("a stream deleted on the server is StreamDeleted", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    await Effect.runPromise(store.append({ stream, expected: ExpectedState.noStream, events: [event] }))
    await Effect.runPromise(store.deleteStream(stream))
    const error = await Effect.runPromise(
      Effect.flip(store.append({ stream, expected: ExpectedState.any, events: [{ ...event, id: "e-2" }] }))
    )
    expect(error).toMatchObject({ _tag: "StreamDeleted", stream })
  })
})
