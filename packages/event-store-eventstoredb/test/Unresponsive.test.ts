/**
 * A real local TCP listener that accepts connections and never answers (a frozen node, a
 * wrong port behind a proxy), through the real `@eventstore/db-client`: without bounds of
 * its own the adapter left appends and reads pending forever (the client reads with no
 * deadline, waits on its server-features call and its batch-append stream without one).
 * Every call and every store operation must fail as unavailable, by the adapter's bound.
 */
import { createServer, type Socket } from "node:net"
import { EventStoreDBClient } from "@eventstore/db-client"
import { ExpectedState, type StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { afterEach, describe, expect, it } from "vitest"
import * as EventStoreDbEventStore from "../src/EventStoreDbEventStore.js"
import { classify } from "../src/internal/ClientFailure.js"
import { fromClient } from "../src/internal/Connection.js"
import { testStreamKey } from "./support/Naming.js"

const deadline = 300
const bound = `no answer from EventStoreDB within ${deadline} ms`

/** A listener that accepts every connection and never writes a byte. */
const silentListener = () =>
  new Promise<{ readonly port: number; readonly close: () => Promise<void> }>((resolve) => {
    const sockets = new Set<Socket>()
    const server = createServer((socket) => {
      sockets.add(socket)
      socket.on("error", () => undefined)
      socket.on("close", () => sockets.delete(socket))
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      resolve({
        port: typeof address === "object" && address !== null ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

const listeners: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of listeners.splice(0)) await close()
})
const url = async () => {
  const { port, close } = await silentListener()
  listeners.push(close)
  return `esdb://127.0.0.1:${port}?tls=false&defaultDeadline=${deadline}`
}

const event = { id: "e-1", type: "OfficeHoursVisited", v: 1, occurredAt: "2026-01-01T00:00:00.000Z", data: {} }
const stream = { school: "a", kind: "student" as const, id: "s-1" }

describe("a server that accepts connections and never answers", () => {
  it("fails every store operation with StoreUnavailable, by the adapter's bound", async () => {
    const target = await url()
    const failures = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* EventStoreDbEventStore.make({ url: target, streamKey: testStreamKey })
          const failure = <A>(effect: Effect.Effect<A, { readonly _tag: string }>) =>
            Effect.map(Effect.flip(effect), (error): StoreUnavailable | { readonly _tag: string } => error)
          return {
            append: yield* failure(store.append({ stream, expected: ExpectedState.any, events: [event] })),
            appendMany: yield* failure(
              store.appendMany([
                { stream, expected: ExpectedState.any, events: [event] },
                { stream: { ...stream, id: "s-2" }, expected: ExpectedState.noStream, events: [] }
              ])
            ),
            readStream: yield* failure(store.readStream(stream)),
            readAll: yield* failure(store.readAll({ after: 0 })),
            headPosition: yield* failure(store.headPosition),
            deleteStream: yield* failure(store.deleteStream(stream)),
            subscribe: yield* failure(Stream.runHead(store.subscribe({ after: 0 })))
          }
        })
      )
    )
    for (const [operation, error] of Object.entries(failures)) {
      expect({ operation, tag: error._tag }).toEqual({ operation, tag: "StoreUnavailable" })
      expect({ operation, reason: "reason" in error ? error.reason : "" }).toMatchObject({
        operation,
        reason: expect.stringContaining(bound)
      })
    }
  })

  it("bounds every call the adapter makes: appends (and the client's features call), reads, tombstones, metadata, subscriptions", async () => {
    const client = EventStoreDBClient.connectionString(await url())
    const connection = fromClient(client, { deadline })
    const subscription = connection.subscribeToAll({ from: "start", filter: undefined })
    const calls: Record<string, () => Promise<unknown>> = {
      append: () => connection.append("s-1", [{ eventId: crypto.randomUUID(), type: "T", data: {} }], "no_stream"),
      readStream: () => connection.readStream("s-1", { direction: "forwards", from: "start", maxCount: 1 }),
      readAll: () => connection.readAll({ direction: "backwards", from: "end", maxCount: 1 }),
      tombstone: () => connection.tombstone("s-1", "any"),
      truncateBefore: () => connection.truncateBefore("s-1", 1),
      subscribeToAll: () => subscription.records[Symbol.asyncIterator]().next()
    }
    for (const [call, run] of Object.entries(calls)) {
      const error = await run().then(
        () => "answered",
        (error: unknown) => error
      )
      const failure = classify(error)
      expect({ call, tag: failure === undefined || failure === "stream-not-found" ? failure : failure._tag }).toEqual({
        call,
        tag: "Unreachable"
      })
    }
    await subscription.stop()
    await connection.close()
  })
})
