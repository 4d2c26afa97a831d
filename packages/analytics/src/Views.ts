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
 * The schemas live in `internal/shapes/` (cells, school dashboards, person pages); this
 * module is their one public name.
 *
 * @since 0.1.0
 */
export {
  SuppressionReason,
  Suppressed,
  Cell,
  ViewMeta
} from "./internal/shapes/Cells.js"
export {
  Relationship,
  StudentPage,
  FacultyPage
} from "./internal/shapes/PersonPages.js"
export {
  MonthlyPoint,
  Overview,
  Trends,
  StudentStage,
  StageIsolation,
  StudentRow,
  Students,
  DepartmentLoad,
  OtherDepartments,
  DepartmentsTotal,
  FacultyRow,
  Faculty,
  Letters,
  FollowUpRow,
  FollowUps,
  Coverage
} from "./internal/shapes/Dashboards.js"
