/**
 * Every school's settings, resolved and validated once, then handed to every consumer: the
 * projector (its folds and the follow-ups it writes), the dashboard, person pages and
 * retention. A school's settings are its time zone (calendar days and months) and its
 * follow-up rules (which are on, with which parameters; docs/rules.md).
 *
 * What schools state is plain data (`Statements`, by school id, `*` for every school not
 * listed), so that it can cross to the projector's thread, which resolves it again there.
 * A school listed takes from `*` what it does not state itself: the time zone, and each
 * rule's setting (a rule the school names replaces `*`'s setting of it whole).
 *
 * This module must never fall back to a default for something a school stated wrongly:
 * `resolve` refuses the whole, naming the school and the field.
 *
 * @since 0.2.0
 */
import { BuiltinRules, Config, type Rule } from "@rapport/core"
import * as Data from "effect/Data"
import * as Result from "effect/Result"

/**
 * What one school states (or `*`, every school not listed).
 *
 * @since 0.2.0
 * @category models
 */
export interface Statement {
  /** an IANA time zone; UTC when neither the school nor `*` states one */
  readonly timeZone?: string | undefined
  /**
   * per rule id: `false` (off), `true` (its defaults) or its parameters; rules not named
   * keep their defaults (`BuiltinRules.configure`)
   */
  readonly rules?: Readonly<Record<string, unknown>> | undefined
}

/**
 * What schools state, by school id; `*` for every school not listed.
 *
 * @since 0.2.0
 * @category models
 */
export type Statements = Readonly<Record<string, Statement>>

/**
 * One school's settings, resolved.
 *
 * @since 0.2.0
 * @category models
 */
export interface School {
  readonly timeZone: string
  /** the scoring configuration in the school's time zone */
  readonly scoring: Config.ScoringConfig
  /** the follow-up rules the school runs, with its parameters */
  readonly rules: ReadonlyArray<Rule.Rule>
}

/**
 * Every school's settings.
 *
 * @since 0.2.0
 * @category models
 */
export interface SchoolSettings {
  /** what was stated, as plain data (what the projector's thread is given) */
  readonly statements: Statements
  readonly of: (school: string) => School
}

/**
 * Settings that do not validate: the school (or `*`) and every problem, with the path of
 * its field (`["rules", "thank-you", "withinDays"]`).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidSchoolSettings extends Data.TaggedError("InvalidSchoolSettings")<{
  readonly school: string
  readonly problems: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>
}> {
  override get message(): string {
    const problems = this.problems.map((p) => `${p.path.map(String).join(".") || "(settings)"}: ${p.message}`)
    return `the settings of ${this.school === "*" ? "every school" : `school ${this.school}`} do not validate: ${problems.join("; ")}`
  }
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const resolveOne = (
  school: string,
  statement: Statement,
  every: Statement
): Result.Result<School, InvalidSchoolSettings> => {
  const timeZone = statement.timeZone ?? every.timeZone ?? "UTC"
  const scoring = Config.makeConfig({ timeZone })
  if (Result.isFailure(scoring)) {
    const problems = scoring.failure.problems.map((p) => ({ path: p.path, message: p.message }))
    return Result.fail(new InvalidSchoolSettings({ school, problems }))
  }
  if (statement.rules !== undefined && !isObject(statement.rules)) {
    return Result.fail(
      new InvalidSchoolSettings({
        school,
        problems: [{ path: ["rules"], message: "Expected an object keyed by rule id" }]
      })
    )
  }
  const rules = BuiltinRules.configure({ ...every.rules, ...statement.rules })
  if (Result.isFailure(rules)) {
    const problems = rules.failure.problems.map((p) => ({ path: ["rules", ...p.path], message: p.message }))
    return Result.fail(new InvalidSchoolSettings({ school, problems }))
  }
  return Result.succeed({ timeZone, scoring: scoring.success, rules: rules.success })
}

/**
 * Resolves and validates every school's statement (and `*`'s) at once.
 *
 * @since 0.2.0
 * @category constructors
 */
export const resolve = (statements: Statements): Result.Result<SchoolSettings, InvalidSchoolSettings> => {
  const every = statements["*"] ?? {}
  const fallback = resolveOne("*", every, {})
  if (Result.isFailure(fallback)) return Result.fail(fallback.failure)
  const schools = new Map<string, School>()
  for (const [school, statement] of Object.entries(statements)) {
    if (school === "*") continue
    const resolved = resolveOne(school, statement, every)
    if (Result.isFailure(resolved)) return Result.fail(resolved.failure)
    schools.set(school, resolved.success)
  }
  const everySchool = fallback.success
  return Result.succeed({ statements, of: (school) => schools.get(school) ?? everySchool })
}

/**
 * Like `resolve`, for settings known to be valid (a test's, or statements already resolved
 * once on the other side of a thread): throws `InvalidSchoolSettings` otherwise.
 *
 * @since 0.2.0
 * @category constructors
 */
export const resolveOrThrow = (statements: Statements): SchoolSettings => {
  const resolved = resolve(statements)
  if (Result.isFailure(resolved)) throw resolved.failure
  return resolved.success
}

/**
 * Every school in one time zone, with the default rules.
 *
 * @since 0.2.0
 * @category constructors
 */
export const inZone = (timeZone: string): SchoolSettings => resolveOrThrow({ "*": { timeZone } })

/**
 * The statements of time zones by school (`*` for every other school), as the server's
 * `RAPPORT_TIME_ZONE(S)` give them, with each school's rule settings when it states them.
 *
 * @since 0.2.0
 * @category constructors
 */
export const statementsOf = (
  timeZones: Readonly<Record<string, string>>,
  rules: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {}
): Statements => {
  const out: Record<string, Statement> = {}
  for (const school of new Set([...Object.keys(timeZones), ...Object.keys(rules)])) {
    const timeZone = timeZones[school]
    const ruleSettings = rules[school]
    out[school] = {
      ...(timeZone === undefined ? {} : { timeZone }),
      ...(ruleSettings === undefined ? {} : { rules: ruleSettings })
    }
  }
  return out
}
