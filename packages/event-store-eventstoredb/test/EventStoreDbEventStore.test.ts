import { createServer } from "node:net"
import { EventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as EventStoreDbEventStore from "../src/EventStoreDbEventStore.js"
import { testStreamKey } from "./support/Naming.js"

const streamKey = testStreamKey
const message = (effect: Effect.Effect<unknown, EventStoreDbEventStore.EventStoreDbConfigError, never>) =>
  Effect.runPromise(Effect.map(Effect.flip(effect), (error) => error.message))

/** a local port that refuses connections (bound, then closed) */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 1
      server.close(() => resolve(port))
    })
  })

describe("checkUrl", () => {
  it("accepts esdb and kurrentdb connection strings, rewriting kurrentdb to the esdb this client speaks", () => {
    const cases: Array<[string, string]> = [
      ["esdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"],
      ["esdb+discover://cluster.internal:2113", "esdb+discover://cluster.internal:2113"],
      [
        "esdb://admin:changeit@a:2113,b:2113,c:2113?nodePreference=leader",
        "esdb://admin:changeit@a:2113,b:2113,c:2113?nodePreference=leader"
      ],
      ["kurrentdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"],
      ["kurrentdb+discover://cluster:2113", "esdb+discover://cluster:2113"],
      [
        "  esdb://localhost:2113?tls=false&defaultDeadline=5000  ",
        "esdb://localhost:2113?tls=false&defaultDeadline=5000"
      ]
    ]
    for (const [url, rewritten] of cases) {
      expect(EventStoreDbEventStore.checkUrl(url)).toEqual(Result.succeed(rewritten))
    }
  })

  it("refuses other schemes, unknown options and tlsVerifyCert=false, in one sentence naming the setting", () => {
    for (const [url, fragment] of [
      ["", "is empty"],
      ["http://localhost:2113", "must start with esdb://"],
      ["localhost:2113", "must start with esdb://"],
      ["kurrent://localhost:2113", "must start with esdb://"],
      ["esdb://localhost:2113?tls=false&tlsVerfyCert=true", '"tlsVerfyCert"'],
      ["esdb://localhost:2113?tls=false&defaultDeadline=0", "defaultDeadline"],
      ["esdb://localhost:2113?defaultDeadline=soon", "defaultDeadline"],
      ["esdb://localhost:2113?tlsVerifyCert=false", "tlsCAFile"]
    ]) {
      const checked = EventStoreDbEventStore.checkUrl(url ?? "", "EVENTSTOREDB_URL")
      expect(Result.isFailure(checked)).toBe(true)
      const text = Result.isFailure(checked) ? checked.failure.message : ""
      expect(text.startsWith("EVENTSTOREDB_URL ")).toBe(true)
      expect(text).toContain(fragment)
      expect(text.endsWith(".")).toBe(true)
    }
  })
})

describe("deadlineOf", () => {
  it("is the connection string's defaultDeadline, or the client's 10,000 ms", () => {
    expect(EventStoreDbEventStore.deadlineOf("esdb://localhost:2113?tls=false&default-deadline=2500")).toBe(2500)
    expect(EventStoreDbEventStore.deadlineOf("esdb://localhost:2113?tls=false")).toBe(10_000)
  })
})

describe("make, fromEnv and the layers", () => {
  it("a malformed connection string fails with the client's reason and never shows the password", async () => {
    const text = await message(
      Effect.scoped(
        EventStoreDbEventStore.make({ url: "esdb://admin:s3cr3t-pw@localhost:notaport?tls=false", streamKey })
      )
    )
    expect(text).toContain("url is not a valid EventStoreDB connection string")
    expect(text).not.toContain("s3cr3t-pw")
  })

  it("a missing or short stream key is refused in one sentence that never repeats it", async () => {
    const short = "not-32-characters-long-s3cr3t"
    const text = await message(
      Effect.scoped(EventStoreDbEventStore.make({ url: "esdb://localhost:2113", streamKey: short }))
    )
    expect(text).toBe(
      "streamKey must be a secret of at least 32 characters (64 random hex digits recommended); stream names are keyed with it."
    )
    const fromEnv = await message(
      EventStoreDbEventStore.fromEnv({ EVENTSTOREDB_URL: "esdb://db:2113", EVENTSTOREDB_STREAM_KEY: short })
    )
    expect(fromEnv.startsWith("EVENTSTOREDB_STREAM_KEY must be a secret")).toBe(true)
    expect(fromEnv).not.toContain(short)
  })

  it("invalid settings are reported with their path", async () => {
    const text = await message(
      Effect.scoped(EventStoreDbEventStore.make({ url: "esdb://localhost:2113", streamKey, maxAppendSize: 0 }))
    )
    expect(text).toContain("maxAppendSize")
  })

  it("fromEnv reads EVENTSTOREDB_URL and says what to set when it is missing", async () => {
    expect(await message(EventStoreDbEventStore.fromEnv({}))).toBe(
      "EVENTSTOREDB_URL is not set; set it to a connection string such as esdb://localhost:2113?tls=false."
    )
    expect(await message(EventStoreDbEventStore.fromEnv({ EVENTSTOREDB_URL: "postgres://x" }))).toContain(
      "EVENTSTOREDB_URL must start with esdb://"
    )
    expect(await message(EventStoreDbEventStore.fromEnv({ EVENTSTOREDB_URL: "esdb://db:2113?tls=false" }))).toContain(
      "EVENTSTOREDB_STREAM_KEY is not set"
    )
    const config = await Effect.runPromise(
      EventStoreDbEventStore.fromEnv({
        EVENTSTOREDB_URL: "esdb://db:2113?tls=false",
        EVENTSTOREDB_STREAM_KEY: streamKey
      })
    )
    expect(config).toEqual({ url: "esdb://db:2113?tls=false", streamKey })
  })

  it("declares what EventStoreDB can and cannot guarantee", () => {
    expect(EventStoreDbEventStore.capabilities).toEqual({
      atomicMultiStreamAppend: false,
      physicalDelete: true,
      recreateDeletedStream: false,
      deleteEvents: false
    })
    expect(EventStoreDbEventStore.capabilities.deleteEvents).toBe(false)
  })

  it("opens without contacting the server; refused connections and failed discovery are StoreUnavailable (real client)", async () => {
    const port = await closedPort()
    const layer = EventStoreDbEventStore.layerFromEnv({
      EVENTSTOREDB_URL: `esdb://127.0.0.1:${port}?tls=false&defaultDeadline=5000`,
      EVENTSTOREDB_STREAM_KEY: streamKey
    })
    const program = Effect.gen(function* () {
      const store = yield* EventStore
      expect(store.capabilities.atomicMultiStreamAppend).toBe(false)
      return yield* Effect.flip(store.headPosition)
    })
    const error = await Effect.runPromise(Effect.provide(program, layer))
    expect(error._tag).toBe("StoreUnavailable")
    const cluster = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(
          EventStoreDbEventStore.make({
            url: `esdb://127.0.0.1:${port},127.0.0.1:${port}?tls=false&maxDiscoverAttempts=2&discoveryInterval=10`,
            streamKey
          }),
          (store) => Effect.flip(store.readAll({ after: 0 }))
        )
      )
    )
    expect(cluster).toMatchObject({ _tag: "StoreUnavailable", reason: "Failed to discover after 2 attempts." })
    const failed = await message(
      Effect.scoped(Layer.build(EventStoreDbEventStore.layer({ url: "tcp://x", streamKey })))
    )
    expect(failed).toContain("url must start with esdb://")
  })
})
