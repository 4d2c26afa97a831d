/**
 * @rapport/core: the domain of Rapport. Event schemas, engagement scoring and follow-up
 * rules, pure and free of I/O, clocks and randomness.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Canonical from "./Canonical.js"

/**
 * @since 0.1.0
 */
export * as Ids from "./Ids.js"

/**
 * @since 0.1.0
 */
export * as EventField from "./EventField.js"

/**
 * @since 0.1.0
 */
export * as Event from "./Event.js"

/**
 * @since 0.1.0
 */
export * as Decode from "./Decode.js"

/**
 * @since 0.1.0
 */
export * as Upcast from "./Upcast.js"

/**
 * @since 0.1.0
 */
export * as Dedupe from "./Dedupe.js"
