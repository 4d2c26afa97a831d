/**
 * @rapport/event-store: the EventStore port, its typed errors, the content hash and
 * stream-name helpers every adapter uses, a reusable subscription and an in-memory
 * implementation. The conformance suite lives at `@rapport/event-store/testing`
 * (kept out of this barrel: it imports vitest).
 *
 * @since 0.1.0
 */

/**
 * The port: `EventStore`, `ExpectedState` and the types (`StreamId`, `NewEvent`,
 * `RecordedEvent`, `AppendRequest`, ...), importable by name.
 *
 * @since 0.1.0
 */
export * from "./EventStore.js"

/**
 * The typed errors (`WrongExpectedRevision`, `EventIdConflict`, ...), importable by name.
 *
 * @since 0.1.0
 */
export * from "./EventStoreError.js"

/**
 * `contentHash(event)`: hex SHA-256 of the canonical content, for deduplication.
 *
 * @since 0.1.0
 */
export * as ContentHash from "./ContentHash.js"

/**
 * `contentHash(event)`, also importable by name.
 *
 * @since 0.1.0
 */
export { contentHash } from "./ContentHash.js"

/**
 * Stream id validation and the injective, school-prefix-free single-string encoding
 * (`encodeStreamName`, `decodeStreamName`, `schoolPrefix`). Named `StreamName` so as not
 * to shadow the `StreamId` type.
 *
 * @since 0.1.0
 */
export * as StreamName from "./StreamId.js"

/**
 * `encodeStreamName` / `decodeStreamName`, also importable by name.
 *
 * @since 0.1.0
 */
export { decodeStreamName, encodeStreamName } from "./StreamId.js"

/**
 * A catch-up-then-live subscription on `readAll` plus a wake-up signal.
 *
 * @since 0.1.0
 */
export * as Subscription from "./Subscription.js"

/**
 * The in-memory store: `InMemoryEventStore.make()` and `InMemoryEventStore.layer`.
 *
 * @since 0.1.0
 */
export * as InMemoryEventStore from "./InMemoryEventStore.js"
