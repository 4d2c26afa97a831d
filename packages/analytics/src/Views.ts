/**
 * The shapes of what the dashboards read: one Effect Schema per response of
 * `GET /v1/dashboard/*`, `GET /v1/students/{id}` and `GET /v1/faculty/{id}`. The server
 * builds its OpenAPI document from them and the dashboard reads them; the queries return
 * them.
 *
 * A count or share that may be hidden is a `Cell`: a number, or `{ suppressed, reason }`
 * when the group is smaller than the threshold (for `aggregates:read` keys), the measure
 * is sensitive (support check-ins, for everyone), or the group is hidden so that a smaller
 * one cannot be computed by subtraction (complementary suppression), so the UI can say why
 * it is hidden. Tables of groups carry their total and an "Other" row: the groups too small
 * to show (or hidden to protect one), summed.
 *
 * @since 0.1.0
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

const Tier = Schema.Literals(["none", "acquainted", "developing", "strong", "advocate"])
const IsoDate = Schema.String.annotate({ description: "calendar date YYYY-MM-DD in the school's time zone" })
const Instant = Schema.String.annotate({ description: "RFC 3339 UTC instant" })
const Month = Schema.String.annotate({ description: "YYYY-MM in the school's time zone" })
const NullableInstant = Schema.NullOr(Instant)

const TierCells = Schema.Struct({
  none: Cell,
  acquainted: Cell,
  developing: Cell,
  strong: Cell,
  advocate: Cell
}).annotate({ identifier: "TierCells" })

const TierCounts = Schema.Struct({
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
 * @since 0.1.0
 * @category models
 */
export const MonthlyPoint = Schema.Struct({
  month: Month,
  interactions: Cell,
  pairsWithContact: Cell,
  studentsWithContact: Cell
}).annotate({ identifier: "MonthlyPoint" })

/**
 * `GET /v1/dashboard/overview`
 *
 * @since 0.1.0
 * @category views
 */
export const Overview = Schema.Struct({
  meta: ViewMeta,
  activeStudents: Cell,
  withStrongRelationship: Cell,
  withStrongRelationshipShare: Cell,
  isolated: Cell,
  isolatedShare: Cell,
  nextCycle: Schema.Struct({
    cycle: Schema.Int,
    students: Cell,
    /** students with at least the required number of advocates */
    ready: Cell,
    readyShare: Cell,
    requiredAdvocates: Schema.Int
  }),
  followUps: Schema.Struct({ due: Cell, overdue: Cell }),
  /** the last 12 months */
  trends: Schema.Array(MonthlyPoint)
}).annotate({ identifier: "Overview" })

/**
 * `GET /v1/dashboard/trends`
 *
 * @since 0.1.0
 * @category views
 */
export const Trends = Schema.Struct({
  meta: ViewMeta,
  months: Schema.Array(MonthlyPoint),
  byGraduationYear: Schema.Array(Schema.Struct({ graduationYear: Schema.Int, months: Schema.Array(MonthlyPoint) })),
  /**
   * Graduation years without a series of their own (too small, or hidden so that a small one
   * cannot be computed from `months`) and students without a graduation year, summed: `months`
   * minus the series of `byGraduationYear`. Null when there are none, and when filtered by
   * graduation year.
   */
  otherGraduationYears: Schema.NullOr(
    Schema.Struct({ graduationYears: Schema.Array(Schema.Int), months: Schema.Array(MonthlyPoint) })
  ),
  /** support check-ins per month: sensitive, shown only when the group is large enough */
  supportCheckIns: Schema.Array(Schema.Struct({ month: Month, checkIns: Cell }))
}).annotate({ identifier: "Trends" })

/**
 * One row of the students table (dashboards:read only).
 *
 * @since 0.1.0
 * @category views
 */
export const StudentRow = Schema.Struct({
  studentId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  status: Schema.String,
  graduationYear: Schema.NullOr(Schema.Int),
  specialty: Schema.NullOr(Schema.String),
  highestTier: Tier,
  relationships: TierCounts,
  advocates: Schema.Int,
  isolated: Schema.Boolean,
  lastContactAt: NullableInstant,
  daysSinceContact: Schema.NullOr(Schema.Int),
  departmentsReached: Schema.Int
}).annotate({ identifier: "StudentRow" })

/**
 * `GET /v1/dashboard/students`
 *
 * @since 0.1.0
 * @category views
 */
export const Students = Schema.Struct({
  meta: ViewMeta,
  total: Schema.Int,
  page: Schema.Int,
  pageSize: Schema.Int,
  rows: Schema.Array(StudentRow),
  /** the filtered population by highest tier */
  byTier: TierCells
}).annotate({ identifier: "Students" })

const DepartmentCells = {
  faculty: Cell,
  menteesByTier: TierCells,
  activeMentoringPairs: Cell,
  lettersSubmitted: Cell,
  topDecileShare: Schema.NullOr(Schema.Number),
  gini: Schema.NullOr(Schema.Number)
}

/**
 * @since 0.1.0
 * @category views
 */
export const DepartmentLoad = Schema.Struct({
  department: Schema.String,
  ...DepartmentCells
}).annotate({ identifier: "DepartmentLoad" })

/**
 * Departments without a row of their own, summed.
 *
 * @since 0.2.0
 * @category views
 */
export const OtherDepartments = Schema.Struct({
  departments: Schema.Array(Schema.String),
  ...DepartmentCells
}).annotate({ identifier: "OtherDepartments" })

/**
 * Every department together: the table's total.
 *
 * @since 0.2.0
 * @category views
 */
export const DepartmentsTotal = Schema.Struct(DepartmentCells).annotate({ identifier: "DepartmentsTotal" })

/**
 * @since 0.1.0
 * @category views
 */
export const FacultyRow = Schema.Struct({
  facultyId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  department: Schema.NullOr(Schema.String),
  rank: Schema.NullOr(Schema.String),
  status: Schema.String,
  mentees: TierCounts,
  activeMentoringPairs: Schema.Int,
  letters: Schema.Struct({ requested: Schema.Int, committed: Schema.Int, submitted: Schema.Int, declined: Schema.Int }),
  /** active mentoring pairs divided by the median over every active faculty member (those with none included); null when that median is 0 */
  loadRatio: Schema.NullOr(Schema.Number)
}).annotate({ identifier: "FacultyRow" })

/**
 * `GET /v1/dashboard/faculty`
 *
 * @since 0.1.0
 * @category views
 */
export const Faculty = Schema.Struct({
  meta: ViewMeta,
  concentration: Schema.Struct({
    /** share of active mentoring pairs held by the top 10% of faculty */
    topDecileShare: Schema.NullOr(Schema.Number),
    /** Gini coefficient over faculty with at least one developing-or-better mentee */
    gini: Schema.NullOr(Schema.Number),
    activeMentoringPairs: Cell
  }),
  /** departments with a row of their own (for aggregates:read, those of at least the threshold) */
  departments: Schema.Array(DepartmentLoad),
  /** the other departments, summed (null when every department has a row) */
  otherDepartments: Schema.NullOr(OtherDepartments),
  departmentsTotal: DepartmentsTotal,
  /** individual rows: dashboards:read only (empty for aggregates:read) */
  total: Schema.Int,
  page: Schema.Int,
  pageSize: Schema.Int,
  rows: Schema.Array(FacultyRow)
}).annotate({ identifier: "Faculty" })

const LetterCells = {
  students: Cell,
  ready: Cell,
  withSpecialtyAdvocate: Cell,
  lettersRequested: Cell,
  lettersCommitted: Cell,
  lettersSubmitted: Cell
}

/**
 * `GET /v1/dashboard/letters`
 *
 * @since 0.1.0
 * @category views
 */
export const Letters = Schema.Struct({
  meta: ViewMeta,
  requiredAdvocates: Schema.Int,
  cycles: Schema.Array(
    Schema.Struct({
      cycle: Schema.Int,
      /** the application season opens (June of the year before the Match) */
      seasonOpensOn: IsoDate,
      /** programs start reviewing (late September) */
      programsReviewOn: IsoDate,
      /** specialties with a row of their own (for aggregates:read, those of at least the threshold) */
      specialties: Schema.Array(Schema.Struct({ specialty: Schema.String, ...LetterCells })),
      /** the other specialties, summed (null when every specialty has a row, and when filtered by specialty) */
      otherSpecialties: Schema.NullOr(Schema.Struct({ specialties: Schema.Array(Schema.String), ...LetterCells })),
      /** every student of the cycle, whatever the specialty filter */
      total: Schema.Struct(LetterCells)
    })
  )
}).annotate({ identifier: "Letters" })

/**
 * @since 0.1.0
 * @category views
 */
export const FollowUpRow = Schema.Struct({
  id: Schema.String,
  ruleId: Schema.String,
  state: Schema.Literals(["due", "overdue", "done"]),
  dueOn: IsoDate,
  studentId: Schema.String,
  facultyIds: Schema.Array(Schema.String),
  sentence: Schema.String
}).annotate({ identifier: "FollowUpRow" })

const RuleCells = { due: Cell, overdue: Cell, done: Cell }

const NudgeCells = {
  sent: Cell,
  followedByContact: Cell,
  share: Cell,
  medianDaysToContact: Schema.NullOr(Schema.Number)
}

/**
 * `GET /v1/dashboard/follow-ups`
 *
 * @since 0.1.0
 * @category views
 */
export const FollowUps = Schema.Struct({
  meta: ViewMeta,
  /** rules with a row of their own (for aggregates:read, those concerning at least the threshold of students) */
  byRule: Schema.Array(Schema.Struct({ ruleId: Schema.String, ...RuleCells })),
  /** the other rules, summed (null when every rule has a row) */
  otherRules: Schema.NullOr(Schema.Struct({ ruleIds: Schema.Array(Schema.String), ...RuleCells })),
  /** every rule together (due and overdue as in the overview) */
  rulesTotal: Schema.Struct(RuleCells),
  nudges: Schema.Array(Schema.Struct({ ruleId: Schema.String, ...NudgeCells })),
  otherNudges: Schema.NullOr(Schema.Struct({ ruleIds: Schema.Array(Schema.String), ...NudgeCells })),
  nudgesTotal: Schema.Struct(NudgeCells),
  /** individual follow-ups: dashboards:read only */
  total: Schema.Int,
  page: Schema.Int,
  pageSize: Schema.Int,
  rows: Schema.Array(FollowUpRow)
}).annotate({ identifier: "FollowUps" })

/**
 * `GET /v1/dashboard/coverage`
 *
 * @since 0.1.0
 * @category views
 */
export const Coverage = Schema.Struct({
  meta: ViewMeta,
  sources: Schema.Array(
    Schema.Struct({
      source: Schema.String,
      events: Schema.Int,
      lastOccurredAt: NullableInstant,
      lastReceivedAt: NullableInstant,
      months: Schema.Array(Schema.Struct({ month: Month, events: Schema.Int }))
    })
  )
}).annotate({ identifier: "Coverage" })

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
    topContributions: Schema.Array(Contribution),
    missingDimensions: Schema.Array(Schema.String),
    lastContactAt: NullableInstant
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
    daysSinceLastContact: Schema.NullOr(Schema.Int)
  }),
  relationships: Schema.Array(Relationship),
  timeline: Schema.Array(TimelineEntry),
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
  facultyId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  department: Schema.NullOr(Schema.String),
  rank: Schema.NullOr(Schema.String),
  status: Schema.String,
  mentees: TierCounts,
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
export type Overview = typeof Overview.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Trends = typeof Trends.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Students = typeof Students.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Faculty = typeof Faculty.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Letters = typeof Letters.Type
/**
 * @since 0.1.0
 * @category models
 */
export type FollowUps = typeof FollowUps.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Coverage = typeof Coverage.Type
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
export type MonthlyPoint = typeof MonthlyPoint.Type
/**
 * @since 0.1.0
 * @category models
 */
export type DepartmentLoad = typeof DepartmentLoad.Type
/**
 * @since 0.1.0
 * @category models
 */
export type FacultyRow = typeof FacultyRow.Type
/**
 * @since 0.1.0
 * @category models
 */
export type FollowUpRow = typeof FollowUpRow.Type
/**
 * @since 0.1.0
 * @category models
 */
export type StudentRow = typeof StudentRow.Type
/**
 * @since 0.1.0
 * @category models
 */
export type Relationship = typeof Relationship.Type
