/**
 * @rapport/event-store: the EventStore port, its typed errors and an in-memory
 * implementation. The conformance suite lives at `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * from "./EventStore.js"

/**
 * @since 0.1.0
 */
export * from "./EventStoreError.js"
