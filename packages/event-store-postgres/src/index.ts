/**
 * @rapport/event-store-postgres: Rapport's event store on PostgreSQL (postgres.js).
 *
 * @since 0.1.0
 */

/**
 * `PostgresEventStore.make(options)`, `PostgresEventStore.layer(options)`, the `Options`
 * Schema and its `defaults`.
 *
 * @since 0.1.0
 */
export * as PostgresEventStore from "./PostgresEventStore.js"
