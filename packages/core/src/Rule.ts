/**
 * The declarative form of a follow-up rule, built-in or added by a tool:
 *
 * - an `id` (lower-case words joined by `-`), a one-line `description`;
 * - `parameters`: a Schema of what a school may tune, with `defaults` documented beside it;
 * - `events`: the event types the rule cares about. The engine folds them, per student,
 *   into the rule's state: the set of those events, keyed by event id, minus retracted
 *   ones. A set does not care about order or arrival time, so every rule — including a
 *   tool's own — is order-independent and honours retractions by construction, instead of
 *   trusting each author to get a hand-written fold right;
 * - `evaluate`: from that state, `asOf` and a {@link RuleContext} (what the rule needs of
 *   the wider state), the follow-ups of one student, as drafts.
 *
 * This module must never read a clock: the engine hands `evaluate` only events that
 * occurred at or before `asOf`, and the calendar day of `asOf` in the school's zone.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import type { EventByType, EventType, RapportEvent } from "./Event.js"
import type { StudentStatus } from "./EventField.js"
import type { Draft } from "./FollowUp.js"
import { defaultExpiresAfterDays, defaultPriority } from "./FollowUp.js"
import type { Tier } from "./Tier.js"

/**
 * What rules need from the wider state of the school, as of one `asOf` (the instant the
 * context was built for; see `RuleContext.make` for the implementation over the scoring
 * fold). Rules never see other students' events through it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RuleContext {
  /** The instant this context describes (UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`). */
  readonly asOf: string
  /** The school's IANA time zone. */
  readonly timeZone: string
  /** The calendar day `YYYY-MM-DD` of an instant in the school's time zone. */
  readonly dateOf: (instant: string) => string
  /** The first instant of a calendar day `YYYY-MM-DD` in the school's time zone. */
  readonly startOfDay: (date: string) => string
  /** The student's status as of `asOf`; `undefined` when no event said (treated as active). */
  readonly studentStatus: (studentId: string) => StudentStatus | undefined
  /** The graduation year from enrolment. */
  readonly graduationYear: (studentId: string) => number | undefined
  /** The declared specialty when there is one, else the specialty interests from enrolment. */
  readonly specialties: (studentId: string) => ReadonlyArray<string>
  /** The faculty the student has had scored contact with as of `asOf`, sorted. */
  readonly facultyOf: (studentId: string) => ReadonlyArray<string>
  /** The tier of a pair at instant `at` (default `asOf`; never later than `asOf`). */
  readonly tier: (studentId: string, facultyId: string, at?: string) => Tier
  /** The last scored contact of a pair as of `asOf`, an instant. */
  readonly lastContact: (studentId: string, facultyId: string) => string | undefined
  /** A faculty member's department, from `FacultyJoined`. */
  readonly department: (facultyId: string) => string | undefined
  /** The specialties a faculty member counts for in letter readiness (as the scoring decides them). */
  readonly facultySpecialties: (facultyId: string) => ReadonlyArray<string>
  /**
   * Whether a faculty member has left the school (their latest of `FacultyJoined` and
   * `FacultyLeft` is a departure); no open follow-up names them. Absent: no one has left
   * (added in 0.3.0).
   */
  readonly facultyHasLeft?: ((facultyId: string) => boolean) | undefined
}

/**
 * What `evaluate` is given for one student.
 *
 * - `events`: the student's events of the rule's types that occurred at or before
 *   `asOf` and were not retracted, ordered by `occurredAt`, then id — the same order
 *   whatever order they were folded in;
 * - `today`: the calendar day of `asOf` in the school's time zone.
 *
 * @since 0.1.0
 * @category models
 */
export interface RuleInput<E extends RapportEvent> {
  readonly studentId: string
  readonly events: ReadonlyArray<E>
  readonly asOf: string
  readonly today: string
  readonly context: RuleContext
}

/**
 * A rule with its parameters set. `P` is its parameters, `T` the types of the events it
 * folds.
 *
 * `evaluate` and `withParams` are methods (not function properties) on purpose: that makes
 * a `Rule<P, T>` usable where any rule is expected, as the engine's lists need. The
 * engine only ever passes a rule the events of its own types, so nothing unsound can
 * reach it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule<P = unknown, T extends EventType = EventType> {
  readonly id: string
  readonly description: string
  readonly events: ReadonlyArray<T>
  /** The Schema that validates the parameters. */
  readonly parameters: Schema.Decoder<P>
  /** The documented defaults. */
  readonly defaults: P
  /** The parameters in force. */
  readonly params: P
  /**
   * How important its follow-ups are, 1 the most: its `priority` parameter when it has one,
   * else `FollowUp.defaultPriority` (added in 0.3.0).
   */
  readonly priority: number
  /**
   * Days past the due date after which its follow-ups expire: its `expiresAfterDays`
   * parameter when it has one, else `FollowUp.defaultExpiresAfterDays` (added in 0.3.0).
   */
  readonly expiresAfterDays: number
  /** The follow-ups of one student, as drafts. */
  evaluate(input: RuleInput<EventByType[T]>): Iterable<Draft>
  /** The same rule with these parameters, taken as they are: use {@link configure} to validate. */
  withParams(params: P): Rule<P, T>
}

/**
 * One problem in a rule's parameters, with its path.
 *
 * @since 0.1.0
 * @category errors
 */
export interface ParameterProblem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * A school's parameters for a rule that do not validate (every problem listed).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRuleParameters extends Data.TaggedError("InvalidRuleParameters")<{
  readonly ruleId: string
  readonly problems: ReadonlyArray<ParameterProblem>
}> {
  override get message(): string {
    const what = this.problems.map((p) => `${p.path.map(String).join(".") || "(parameters)"}: ${p.message}`)
    return `Rule ${this.ruleId}: ${what.join("; ")}`
  }
}

/**
 * A rule definition that cannot work: its id is not lower-case words joined by `-` (at
 * most 64 characters), its defaults fail its own parameter Schema, or that Schema was built
 * with another copy of effect than the one @rapport/core uses. Thrown by
 * {@link make}: it is a bug in code, not bad input.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRuleDefinition extends Data.TaggedError("InvalidRuleDefinition")<{
  readonly ruleId: string
  readonly reason: string
}> {
  override get message(): string {
    return `Rule ${this.ruleId}: ${this.reason}`
  }
}

/**
 * Thrown when an `asOf` is none of the forms the library reads (see `AsOf`): a bug in the
 * caller, who reads an `asOf` from outside with `AsOf.parse`.
 *
 * @since 0.1.0
 * @category errors
 */
export { InvalidAsOf } from "./internal/asOf.js"

/**
 * What a rule id looks like: lower-case words joined by `-`, at most 64 characters.
 *
 * @since 0.1.0
 * @category patterns
 */
export const ruleIdPattern: RegExp = /^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * The definition {@link make} turns into a rule.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<T extends EventType, P> {
  readonly id: string
  readonly description: string
  readonly events: ReadonlyArray<T>
  readonly parameters: Schema.Decoder<P>
  readonly defaults: NoInfer<P>
  readonly evaluate: (input: RuleInput<EventByType[T]>, params: P) => Iterable<Draft>
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const decodeParams = <P>(
  ruleId: string,
  schema: Schema.Decoder<P>,
  input: unknown
): Result.Result<P, InvalidRuleParameters> => {
  const decoded = Schema.decodeUnknownResult(schema)(input, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const problems = formatIssues(decoded.failure.issue).issues.map((issue) => ({
    path: (issue.path ?? []).map((segment) => (typeof segment === "object" ? segment.key : segment)),
    message: issue.message
  }))
  return Result.fail(new InvalidRuleParameters({ ruleId, problems }))
}

// Every AST node of one copy of effect shares a base class: a Schema built with another copy
// (a second effect installed beside the one @rapport/core resolves) decodes wrongly here —
// a number came out as `Symbol()` — so it is refused rather than trusted.
const builtWithOurEffect = (ast: SchemaAST.AST, depth = 0): boolean => {
  const base = Object.getPrototypeOf(Object.getPrototypeOf(Schema.Number.ast))?.constructor
  if (typeof base === "function" && !(ast instanceof base)) return false
  if (depth > 8) return true
  switch (ast._tag) {
    case "Objects":
      return ast.propertySignatures.every((p) => builtWithOurEffect(p.type, depth + 1))
    case "Union":
      return ast.types.every((t) => builtWithOurEffect(t, depth + 1))
    case "Arrays":
      return [...ast.elements, ...ast.rest].every((t) => builtWithOurEffect(t, depth + 1))
    default:
      return true
  }
}

// A rule states its priority and expiry as parameters of those names (every built-in
// does), so that a school tunes them as it tunes the rest.
const wholeParameter = (params: unknown, name: string, fallback: number): number => {
  const value = isPlainObject(params) ? params[name] : undefined
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback
}

const build = <T extends EventType, P>(definition: Definition<T, P>, params: P): Rule<P, T> => ({
  id: definition.id,
  description: definition.description,
  events: definition.events,
  parameters: definition.parameters,
  defaults: definition.defaults,
  params,
  priority: Math.max(1, wholeParameter(params, "priority", defaultPriority)),
  expiresAfterDays: wholeParameter(params, "expiresAfterDays", defaultExpiresAfterDays),
  evaluate(input) {
    return definition.evaluate(input, params)
  },
  withParams(next) {
    return build(definition, next)
  }
})

/**
 * Makes a rule from its definition, with its defaults in force.
 *
 * @throws InvalidRuleDefinition when the id is malformed, the defaults fail the Schema or the
 * Schema comes from another copy of effect.
 * @since 0.1.0
 * @category constructors
 */
export const make = <const T extends EventType, P>(definition: Definition<T, P>): Rule<P, T> => {
  if (!ruleIdPattern.test(definition.id)) {
    throw new InvalidRuleDefinition({
      ruleId: definition.id,
      reason: "an id is lower-case letters and digits in words joined by '-', at most 64 characters"
    })
  }
  if (!builtWithOurEffect(definition.parameters.ast)) {
    throw new InvalidRuleDefinition({
      ruleId: definition.id,
      reason:
        "its parameters Schema was built with another copy of effect than @rapport/core uses; install one copy (npm ls effect: effect is a peer dependency of @rapport/core)"
    })
  }
  const checked = decodeParams(definition.id, definition.parameters, definition.defaults)
  if (Result.isFailure(checked)) {
    throw new InvalidRuleDefinition({ ruleId: definition.id, reason: `its defaults fail: ${checked.failure.message}` })
  }
  return build(definition, checked.success)
}

/**
 * The same rule with the parameters a school set (the rest keep their current values).
 * Unknown parameters are errors: they are usually typos.
 *
 * @since 0.1.0
 * @category combinators
 */
export const configure = <P, T extends EventType>(
  rule: Rule<P, T>,
  overrides: unknown
): Result.Result<Rule<P, T>, InvalidRuleParameters> => {
  if (overrides !== undefined && !isPlainObject(overrides)) {
    return Result.fail(
      new InvalidRuleParameters({ ruleId: rule.id, problems: [{ path: [], message: "Expected an object" }] })
    )
  }
  const merged = { ...(isPlainObject(rule.params) ? rule.params : {}), ...overrides }
  return Result.map(decodeParams(rule.id, rule.parameters, merged), (params) => rule.withParams(params))
}
