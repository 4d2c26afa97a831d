/**
 * Assembles the port from its parts over a `Connection`: appends with claims, reads,
 * subscriptions, erasure. Separate from the public module so that tests can build a
 * store over a simulated connection; it must never open a connection itself.
 *
 * @since 0.1.0
 */
import type { Capabilities, EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Append from "./Append.js"
import type { Connection } from "./Connection.js"
import * as DeletedStreams from "./DeletedStreams.js"
import * as Erase from "./Erase.js"
import * as Reads from "./Reads.js"

/**
 * Everything the store can be tuned with.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoreSettings extends Append.AppendSettings, Reads.ReadSettings {}

/**
 * What EventStoreDB guarantees through this adapter.
 *
 * @since 0.1.0
 * @category models
 */
export const capabilities: Capabilities = {
  // One append per stream: a crash between two leaves the first written (see docs/operations.md).
  atomicMultiStreamAppend: false,
  // Tombstones plus claims tombstoned; the bytes go at the next scavenge.
  physicalDelete: true,
  recreateDeletedStream: false
}

/**
 * The store over a connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const assemble = (connection: Connection, settings: StoreSettings): EventStoreShape => {
  const appendMany = Append.appendMany(connection, settings)
  const deleted = DeletedStreams.make()
  return {
    capabilities,
    append: (request) =>
      Effect.flatMap(appendMany([request]), (result) => {
        const [first] = result.streams
        return first === undefined
          ? Effect.die(new Error("EventStoreDB store: appendMany answered no stream for one request"))
          : Effect.succeed(first)
      }),
    appendMany,
    readStream: Reads.readStream(connection),
    readAll: Reads.readAll(connection, settings, deleted),
    subscribe: Reads.subscribe(connection, settings, deleted),
    headPosition: Reads.headPosition(connection),
    deleteStream: Erase.deleteStream(connection, settings.concurrency, deleted)
  }
}
