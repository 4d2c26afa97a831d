/**
 * The shapes of the person pages (`GET /v1/students/{id}`, `GET /v1/faculty/{id}`). See Views.ts.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { Tier, Instant, NullableInstant, TierCounts, ViewMeta, facultyFields } from "./Cells.js"
import { FollowUpRow } from "./Dashboards.js"
const Contribution = Schema.Struct({
  eventId: Schema.String,
  type: Schema.String,
  occurredAt: Instant,
  dimension: Schema.String,
  /** points left today after decay */
  points: Schema.Number
})

/**
 * One relationship on a person's page.
 *
 * @since 0.1.0
 * @category views
 */
export const Relationship = Schema.Struct({
  studentId: Schema.String,
  facultyId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  department: Schema.NullOr(Schema.String),
  score: Schema.Number,
  tier: Tier,
  dimensions: Schema.Array(
    Schema.Struct({ dimension: Schema.String, touched: Schema.Boolean, strength: Schema.Number })
  ),
  explanation: Schema.Struct({
    /** The largest contributions, each with its points of the score. */
    topContributions: Schema.Array(Contribution),
    /** The points of every other contribution: with the top ones, they add up to the score. */
    otherPoints: Schema.Number,
    missingDimensions: Schema.Array(Schema.String),
    lastContactAt: NullableInstant,
    /** The next tier and what it still needs; null at advocate. */
    nextTier: Schema.NullOr(
      Schema.Struct({
        tier: Tier,
        strengthNeeded: Schema.NullOr(Schema.Number),
        breadthNeeded: Schema.NullOr(Schema.Int),
        weeksNeeded: Schema.NullOr(Schema.Int)
      })
    ),
    /** The score and what the next tier needs, in one sentence. */
    sentence: Schema.String
  })
}).annotate({ identifier: "Relationship" })

const TimelineEntry = Schema.Struct({
  eventId: Schema.String,
  type: Schema.String,
  occurredAt: Instant,
  source: Schema.NullOr(Schema.String),
  facultyIds: Schema.Array(Schema.String),
  summary: Schema.String
})

const LetterRow = Schema.Struct({
  letterId: Schema.String,
  facultyId: Schema.String,
  cycle: Schema.NullOr(Schema.Int),
  specialty: Schema.NullOr(Schema.String),
  state: Schema.Literals(["requested", "committed", "declined", "submitted"]),
  requestedAt: NullableInstant,
  committedAt: NullableInstant,
  submittedAt: NullableInstant
})

/**
 * `GET /v1/students/{id}` (support check-ins never appear here).
 *
 * @since 0.1.0
 * @category views
 */
export const StudentPage = Schema.Struct({
  meta: ViewMeta,
  studentId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  status: Schema.String,
  graduationYear: Schema.NullOr(Schema.Int),
  program: Schema.NullOr(Schema.String),
  specialty: Schema.NullOr(Schema.String),
  specialtyInterests: Schema.Array(Schema.String),
  summary: Schema.Struct({
    relationships: TierCounts,
    advocatesInSpecialty: Schema.Int,
    advocatesOutOfSpecialty: Schema.Int,
    departmentsReached: Schema.Int,
    proactivity: Schema.NullOr(Schema.Number),
    isolated: Schema.Boolean,
    /** new (first semester: never isolated), pre-clinical, clinical or applying; null without enrolment. */
    stage: Schema.NullOr(Schema.Literals(["new", "pre-clinical", "clinical", "applying"])),
    /** Days since the last discretionary contact (meetings, office hours, notes, letters, research). */
    daysSinceLastContact: Schema.NullOr(Schema.Int),
    noRecentContact: Schema.Boolean,
    noRecentMentoring: Schema.Boolean,
    /** Letters committed or submitted, or advocates, whichever is higher. */
    letterReadiness: Schema.Struct({
      ready: Schema.Boolean,
      basis: Schema.Literals(["letters", "advocates"]),
      count: Schema.Int,
      inSpecialty: Schema.Int,
      needed: Schema.Int,
      inSpecialtyNeeded: Schema.Int
    })
  }),
  relationships: Schema.Array(Relationship),
  /** newest first; a page of it when `timelineLimit` is given (see `timelinePage`) */
  timeline: Schema.Array(TimelineEntry),
  /** the whole timeline's length, and the `timelineCursor` of the next page (null: this is the last) */
  timelinePage: Schema.Struct({
    total: Schema.Int,
    nextCursor: Schema.NullOr(
      Schema.String.annotate({ description: "an opaque cursor: pass it as `timelineCursor` for the next page" })
    )
  }),
  followUps: Schema.Array(FollowUpRow),
  letters: Schema.Array(LetterRow)
}).annotate({ identifier: "StudentPage" })

/**
 * `GET /v1/faculty/{id}`
 *
 * @since 0.1.0
 * @category views
 */
export const FacultyPage = Schema.Struct({
  meta: ViewMeta,
  ...facultyFields,
  load: Schema.Struct({
    activeMentoringPairs: Schema.Int,
    peerMedian: Schema.NullOr(Schema.Number),
    ratio: Schema.NullOr(Schema.Number)
  }),
  relationships: Schema.Array(Relationship),
  letters: Schema.Array(LetterRow)
}).annotate({ identifier: "FacultyPage" })

/**
 * @since 0.1.0
 * @category models
 */
export type StudentPage = typeof StudentPage.Type
/**
 * @since 0.1.0
 * @category models
 */
export type FacultyPage = typeof FacultyPage.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Relationship = typeof Relationship.Type
