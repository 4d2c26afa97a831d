/**
 * @rapport/analytics: the projector, the read models and the queries behind every
 * dashboard, on SQLite and PostgreSQL.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Sql from "./Sql.js"

/**
 * @since 0.2.0
 */
export * as SqlError from "./SqlError.js"

/**
 * @since 0.2.0
 */
export * as ReadError from "./ReadError.js"

/**
 * @since 0.1.0
 */
export * as Streams from "./Streams.js"

/**
 * @since 0.1.0
 */
export * as Views from "./Views.js"

/**
 * @since 0.4.0
 */
export * as Timeline from "./Timeline.js"

/**
 * @since 0.1.0
 */
export * as Filters from "./Filters.js"

/**
 * The kinds of value a query parameter may hold, parsed strictly (decimal integers, dates,
 * instants, months, position tokens), and the check of texts for control characters and
 * lone surrogates.
 *
 * @since 0.2.0
 */
export * as Params from "./Params.js"

/**
 * @since 0.1.0
 */
export * as ReadModel from "./ReadModel.js"

/**
 * Asking the projector to fold a school again after its events were deleted from the
 * store (retention): `request`, `isPending`.
 *
 * @since 0.2.0
 */
export * as Reload from "./Reload.js"

/**
 * @since 0.1.0
 */
export * as Projection from "./Projection.js"

/**
 * @since 0.2.0
 */
export * as SchoolSettings from "./SchoolSettings.js"

/**
 * @since 0.1.0
 */
export * as Projector from "./Projector.js"

/**
 * @since 0.1.0
 */
export * as Dashboard from "./Dashboard.js"

/**
 * The fold behind a person's page, pure, for a caller that runs it in a worker thread.
 *
 * @since 0.2.0
 */
export * as PersonFold from "./PersonFold.js"

/**
 * @since 0.1.0
 */
export * as Suppression from "./Suppression.js"

/**
 * @since 0.1.0
 */
export * as Clock from "./Clock.js"

/**
 * @since 0.1.0
 */
export * as ProjectorWorker from "./ProjectorWorker.js"

/**
 * @since 0.2.0
 */
export * as Complementary from "./Complementary.js"
