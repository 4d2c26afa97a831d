/**
 * @rapport/simulator: a deterministic synthetic medical school for Rapport's tests,
 * benchmarks and demo. From a seed and a size it generates, lazily and in delivery order,
 * the events a school's systems would post — with late, duplicated, malformed and
 * retracted deliveries flagged — and writes them as NDJSON or CSV. No real student data,
 * ever.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Simulation from "./Simulation.js"

/**
 * @since 0.1.0
 */
export * as Output from "./Output.js"

/**
 * @since 0.1.0
 */
export * as Delivery from "./Delivery.js"

/**
 * @since 0.1.0
 */
export * as Size from "./Size.js"

/**
 * @since 0.1.0
 */
export * as Behaviour from "./Behaviour.js"

/**
 * @since 0.1.0
 */
export * as Tally from "./Tally.js"

/**
 * @since 0.2.0
 */
export * as GroundTruth from "./GroundTruth.js"

/**
 * @since 0.2.0
 */
export * as Evidence from "./Evidence.js"

/**
 * @since 0.2.0
 */
export * as Measure from "./Measure.js"

/**
 * @since 0.1.0
 */
export * as Random from "./Random.js"

/**
 * @since 0.1.0
 */
export * as EventIds from "./EventIds.js"

/**
 * @since 0.1.0
 */
export * as SchoolTime from "./SchoolTime.js"

/**
 * @since 0.1.0
 */
export * as AcademicCalendar from "./AcademicCalendar.js"

/**
 * @since 0.1.0
 */
export * as Catalog from "./Catalog.js"

/**
 * @since 0.1.0
 */
export * as Sources from "./Sources.js"

/**
 * @since 0.1.0
 */
export * as Nudges from "./Nudges.js"

/**
 * @since 0.4.0
 */
export * as Directory from "./Directory.js"

/**
 * The most used names, flat: `generate`, `describe`, `writeNdjson`, `writeCsv`, `toSink`.
 *
 * @since 0.1.0
 */
export { describe, generate } from "./Simulation.js"
export { toSink, writeCsv, writeNdjson } from "./Output.js"
