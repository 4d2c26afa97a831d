/**
 * @rapport/event-store-sqlite: Rapport's embedded event store, one SQLite file through
 * `node:sqlite` (Node 22.13+), implementing the `EventStore` port of
 * `@rapport/event-store`.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as SqliteEventStore from "./SqliteEventStore.js"
