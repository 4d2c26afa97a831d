/**
 * Assembles the port from its parts over a `Connection`: appends with claims, reads,
 * subscriptions, erasure, each after the store's layout check (`Layout.ts`). Separate
 * from the public module so that tests can build a store over a simulated connection;
 * it must never open a connection itself.
 *
 * @since 0.1.0
 */
import type { Capabilities, EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Append from "./Append.js"
import type { Connection } from "./Connection.js"
import * as DeletedStreams from "./DeletedStreams.js"
import * as Erase from "./Erase.js"
import * as Layout from "./Layout.js"
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
  // A tombstone, then the claims released; the events' bytes go at the next scavenge, the
  // tombstone (named by a keyed pseudonym) stays.
  physicalDelete: true,
  recreateDeletedStream: false,
  // A stream can only be truncated from its start ($tb), and events arrive out of order:
  // retention cannot remove exactly the events it selects, so it is not offered.
  deleteEvents: false
}

/**
 * The store over a connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const assemble = (connection: Connection, settings: StoreSettings): EventStoreShape => {
  const { ready } = Layout.make(connection, settings.naming)
  // Appends check their request before the layout: a refused request touches nothing.
  const appendMany = Append.appendMany(connection, settings, ready)
  const deleted = DeletedStreams.make()
  const readStream = Reads.readStream(connection, settings.naming)
  const readAll = Reads.readAll(connection, settings, deleted)
  const subscribe = Reads.subscribe(connection, settings, deleted)
  const deleteStream = Erase.deleteStream(connection, settings, deleted)
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
    readStream: (stream, options) => Effect.andThen(ready, readStream(stream, options)),
    readAll: (options) => Effect.andThen(ready, readAll(options)),
    subscribe: (options) => Stream.unwrap(Effect.as(ready, subscribe(options))),
    headPosition: Effect.andThen(ready, Reads.headPosition(connection)),
    deleteStream: (stream) => Effect.andThen(ready, deleteStream(stream))
  }
}
