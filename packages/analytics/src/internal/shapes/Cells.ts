/**
 * The pieces every view is made of: cells that may be hidden (and why), tiers, dates,
 * instants, and the meta every view carries. See Views.ts.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"

/**
 * Why a cell is hidden.
 *
 * @since 0.1.0
 * @category models
 */
export const SuppressionReason = Schema.Literals(["small-group", "sensitive", "complementary"])

/**
 * @since 0.1.0
 * @category models
 */
export const Suppressed = Schema.Struct({
  suppressed: Schema.Literal(true),
  reason: SuppressionReason,
  /** the threshold in force */
  threshold: Schema.Int
}).annotate({ identifier: "Suppressed" })

/**
 * @since 0.1.0
 * @category models
 */
export type Suppressed = typeof Suppressed.Type

/**
 * @since 0.1.0
 * @category models
 */
export const Cell = Schema.Union([Schema.Number, Suppressed]).annotate({ identifier: "Cell" })

/**
 * @since 0.1.0
 * @category models
 */
export type Cell = typeof Cell.Type

/**
 * @since 0.2.0
 * @category models
 */
export const Tier = Schema.Literals(["none", "acquainted", "developing", "strong", "advocate"])
/**
 * @since 0.2.0
 * @category models
 */
export const IsoDate = Schema.String.annotate({ description: "calendar date YYYY-MM-DD in the school's time zone" })
/**
 * @since 0.2.0
 * @category models
 */
export const Instant = Schema.String.annotate({ description: "RFC 3339 UTC instant" })
/**
 * @since 0.2.0
 * @category models
 */
export const Month = Schema.String.annotate({ description: "YYYY-MM in the school's time zone" })
/**
 * @since 0.2.0
 * @category models
 */
export const NullableInstant = Schema.NullOr(Instant)

/**
 * @since 0.2.0
 * @category models
 */
export const TierCells = Schema.Struct({
  none: Cell,
  acquainted: Cell,
  developing: Cell,
  strong: Cell,
  advocate: Cell
}).annotate({ identifier: "TierCells" })

/**
 * @since 0.2.0
 * @category models
 */
export const TierCounts = Schema.Struct({
  acquainted: Schema.Int,
  developing: Schema.Int,
  strong: Schema.Int,
  advocate: Schema.Int
}).annotate({ identifier: "TierCounts" })

/**
 * What every view carries: when it was computed and what its numbers mean.
 *
 * @since 0.1.0
 * @category models
 */
export const ViewMeta = Schema.Struct({
  school: Schema.String,
  asOf: Instant,
  /** the read models include every event up to this global position */
  position: Schema.Int,
  /** small-group threshold applied to this response (0 when none was needed) */
  suppressionThreshold: Schema.Int
}).annotate({ identifier: "ViewMeta" })

/**
 * Who a faculty member is and their mentees by tier: the faculty table's rows and the
 * faculty page both begin with them.
 *
 * @since 0.2.0
 * @category models
 */
export const facultyFields = {
  facultyId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  department: Schema.NullOr(Schema.String),
  rank: Schema.NullOr(Schema.String),
  status: Schema.String,
  mentees: TierCounts
}
