/**
 * The eight built-in follow-up rules, and a school's settings for them as one object:
 *
 * ```json
 * { "thank-you": { "withinDays": 10 }, "early-office-hours": false }
 * ```
 *
 * Each key is a rule id; its value is `false` to switch the rule off, or the parameters
 * to change (the others keep their documented defaults, see docs/rules.md). Unknown
 * rules and unknown parameters are errors, every one of them reported.
 *
 * This module only assembles rules; it must never evaluate them.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import type { ParameterProblem, Rule } from "../Rule.js"
import { configure as configureRule } from "../Rule.js"
import * as EarlyOfficeHours from "./EarlyOfficeHours.js"
import * as LetterPipeline from "./LetterPipeline.js"
import * as LetterReadiness from "./LetterReadiness.js"
import * as MentorCadence from "./MentorCadence.js"
import * as Outreach from "./Outreach.js"
import * as ResearchFollowThrough from "./ResearchFollowThrough.js"
import * as StayInTouch from "./StayInTouch.js"
import * as ThankYou from "./ThankYou.js"

/**
 * `thank-you` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const thankYou = ThankYou.rule

/**
 * `stay-in-touch` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const stayInTouch = StayInTouch.rule

/**
 * `mentor-cadence` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const mentorCadence = MentorCadence.rule

/**
 * `letter-readiness` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const letterReadiness = LetterReadiness.rule

/**
 * `letter-pipeline` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const letterPipeline = LetterPipeline.rule

/**
 * `early-office-hours` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const earlyOfficeHours = EarlyOfficeHours.rule

/**
 * `research-follow-through` with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const researchFollowThrough = ResearchFollowThrough.rule

/**
 * `outreach` with its defaults.
 *
 * @since 0.3.0
 * @category rules
 */
export const outreach = Outreach.rule

/**
 * The ids of the built-in rules, as literal types.
 *
 * @since 0.2.0
 * @category rules
 */
export const ids = {
  thankYou: ThankYou.id,
  stayInTouch: StayInTouch.id,
  mentorCadence: MentorCadence.id,
  letterReadiness: LetterReadiness.id,
  letterPipeline: LetterPipeline.id,
  earlyOfficeHours: EarlyOfficeHours.id,
  researchFollowThrough: ResearchFollowThrough.id,
  outreach: Outreach.id
} as const

/**
 * The most letters a residency program reads: `letter-readiness` never asks for more
 * advocates than this.
 *
 * @since 0.2.0
 * @category rules
 */
export const maxLettersPerProgram: number = LetterReadiness.maxLettersPerProgram

/**
 * Every built-in rule with its defaults, in the order of docs/rules.md.
 *
 * @since 0.1.0
 * @category rules
 */
export const all: ReadonlyArray<Rule> = [
  thankYou,
  stayInTouch,
  mentorCadence,
  letterReadiness,
  letterPipeline,
  earlyOfficeHours,
  researchFollowThrough,
  outreach
]

/**
 * A school's settings that do not validate: every problem, with the rule id as the first
 * segment of its path.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRuleSettings extends Data.TaggedError("InvalidRuleSettings")<{
  readonly problems: ReadonlyArray<ParameterProblem>
}> {
  override get message(): string {
    return this.problems.map((p) => `${p.path.map(String).join(".") || "(settings)"}: ${p.message}`).join("; ")
  }
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The built-in rules (or `rules`, for a list with a tool's own) with a school's settings
 * applied: rules set to `false` left out, the others configured.
 *
 * @since 0.1.0
 * @category constructors
 */
export const configure = (
  settings: unknown,
  rules: ReadonlyArray<Rule> = all
): Result.Result<ReadonlyArray<Rule>, InvalidRuleSettings> => {
  if (settings === undefined) return Result.succeed(rules)
  if (!isPlainObject(settings)) {
    return Result.fail(
      new InvalidRuleSettings({ problems: [{ path: [], message: "Expected an object keyed by rule id" }] })
    )
  }
  const problems: Array<ParameterProblem> = []
  const known = new Set(rules.map((rule) => rule.id))
  for (const key of Object.keys(settings)) {
    if (!known.has(key))
      problems.push({ path: [key], message: `Unknown rule; expected one of ${[...known].join(", ")}` })
  }
  const out: Array<Rule> = []
  for (const rule of rules) {
    const value = Object.hasOwn(settings, rule.id) ? settings[rule.id] : undefined
    if (value === false) continue
    if (value === undefined || value === true) {
      out.push(rule)
      continue
    }
    const configured = configureRule(rule, value)
    if (Result.isSuccess(configured)) out.push(configured.success)
    else for (const p of configured.failure.problems) problems.push({ path: [rule.id, ...p.path], message: p.message })
  }
  return problems.length > 0 ? Result.fail(new InvalidRuleSettings({ problems })) : Result.succeed(out)
}
