/**
 * @rapport/event-store-eventstoredb: Rapport's EventStore on EventStoreDB 22.10+ or
 * KurrentDB, through `@eventstore/db-client`. See docs/operations.md, "EventStoreDB /
 * KurrentDB", for the guarantees, how to run a server, and erasure with scavenges.
 *
 * @since 0.1.0
 */

/**
 * The store: `make({ url, streamKey })`, `layer`, `fromEnv(env)`, `layerFromEnv(env)`,
 * `capabilities`, `Config`, `deadlineOf` and `EventStoreDbConfigError`.
 *
 * @since 0.1.0
 */
export * as EventStoreDbEventStore from "./EventStoreDbEventStore.js"

/**
 * How Rapport streams are named on the server: keyed pseudonyms (`make(key)` with
 * `encode` and `decode`), `parse`, `streamPrefix`, `claimStreamName`.
 *
 * @since 0.1.0
 */
export * as EventStoreDbStreamName from "./EventStoreDbStreamName.js"

/**
 * `$all` positions and their order-preserving string form (`encodeCheckpoint`,
 * `decodeCheckpoint`).
 *
 * @since 0.1.0
 */
export * as Checkpoint from "./Checkpoint.js"

/**
 * The port's expected states in the client's terms (`ANY`, `NO_STREAM`,
 * `STREAM_EXISTS`, `bigint`).
 *
 * @since 0.1.0
 */
export * as ExpectedRevision from "./ExpectedRevision.js"
