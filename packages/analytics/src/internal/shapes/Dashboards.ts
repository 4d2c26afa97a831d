/**
 * The shapes of the school-wide dashboards (`GET /v1/dashboard/*`). See Views.ts.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { Cell, Tier, IsoDate, Month, NullableInstant, TierCells, TierCounts, ViewMeta, facultyFields } from "./Cells.js"
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
 * Where a student is in medical school (core's `Stage`): `new` until the end of their first
 * semester (never isolated), `pre-clinical`, `clinical`, `applying` (the class applying for
 * residency).
 *
 * @since 0.5.0
 * @category views
 */
export const StudentStage = Schema.Literals(["new", "pre-clinical", "clinical", "applying"]).annotate({
  identifier: "StudentStage"
})

/**
 * One stage of the overview's isolation split.
 *
 * @since 0.5.0
 * @category views
 */
export const StageIsolation = Schema.Struct({
  stage: StudentStage,
  /** active students in this stage */
  students: Cell,
  /** of them, isolated (always 0 for `new`: new students are never isolated) */
  isolated: Cell,
  isolatedShare: Cell
}).annotate({ identifier: "StageIsolation" })

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
  /**
   * open follow-ups by state, and (added in 0.3.0) the students who need attention: those
   * with at least one open follow-up. A dean acts on students, not on items.
   */
  followUps: Schema.Struct({ due: Cell, overdue: Cell, students: Cell }),
  /** the last 12 months */
  trends: Schema.Array(MonthlyPoint),
  /**
   * (added in 0.5.0) active students and isolation by stage, in stage order; active students
   * without a stage (no graduation year) are in no row.
   */
  isolatedByStage: Schema.Array(StageIsolation),
  /**
   * (added in 0.5.0) active students in years 2–4 with no mentoring contact (meeting or office
   * hours) for more than `gapDays` days, out of `students` in years 2–4
   */
  noRecentMentoring: Schema.Struct({ students: Cell, withoutMentoring: Cell, share: Cell, gapDays: Schema.Int })
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
  /** (added in 0.5.0) the student's stage now; null without a graduation year once past "new" */
  stage: Schema.NullOr(StudentStage),
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
  ...facultyFields,
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
  /** the median of active mentoring pairs over every active faculty member (those with none included): what `loadRatio` compares with */
  peerMedian: Schema.NullOr(Schema.Number),
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
  /** `expired` (added in 0.3.0): past its rule's expiry and no longer asked of anyone */
  state: Schema.Literals(["due", "overdue", "done", "expired"]),
  dueOn: IsoDate,
  studentId: Schema.String,
  facultyIds: Schema.Array(Schema.String),
  sentence: Schema.String,
  /** the last day it is asked for (added in 0.3.0) */
  expiresOn: IsoDate,
  /** its rule's priority, 1 the most important (added in 0.3.0) */
  priority: Schema.Int
}).annotate({ identifier: "FollowUpRow" })

const RuleCells = { due: Cell, overdue: Cell, done: Cell, expired: Cell }

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
  /**
   * which follow-ups `rows` lists (added in 0.3.0): `current` (the default), those due in the
   * last 30 days or the next 14 — open ones only unless `state` asks otherwise; `all`, every
   * one
   */
  window: Schema.Literals(["current", "all"]),
  /** individual follow-ups: dashboards:read only, the most important first */
  total: Schema.Int,
  page: Schema.Int,
  pageSize: Schema.Int,
  rows: Schema.Array(FollowUpRow)
}).annotate({ identifier: "FollowUps" })

const CoverageFields = {
  events: Schema.Int,
  /** when the latest event happened (its `occurredAt`), whenever it arrived */
  lastOccurredAt: NullableInstant,
  /** when the latest event to arrive was stored */
  lastReceivedAt: NullableInstant,
  /** the date of `lastOccurredAt` in the school's time zone */
  lastOccurredOn: Schema.NullOr(IsoDate),
  /** calendar days (school time zone) from `lastOccurredOn` to today: how long nothing has happened, as far as this data says */
  daysSilent: Schema.NullOr(Schema.Int),
  /** the most days between two consecutive days with events, over this month and the twelve before it (null with fewer than two such days): how quiet it usually gets */
  longestGapDays: Schema.NullOr(Schema.Int),
  /** silent for more than 14 days and longer than `longestGapDays`: worth checking before reading anything into the figures it feeds */
  unusualSilence: Schema.Boolean,
  months: Schema.Array(Schema.Struct({ month: Month, events: Schema.Int }))
}

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
      ...CoverageFields
    })
  ),
  /** the same per rotation specialty, from the rotations recorded (`RotationCompleted`) */
  specialties: Schema.Array(
    Schema.Struct({
      specialty: Schema.String,
      ...CoverageFields
    })
  )
}).annotate({ identifier: "Coverage" })

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
