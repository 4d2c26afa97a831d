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

/**
 * @since 0.1.0
 */
export * as Config from "./Config.js"

/**
 * @since 0.1.0
 */
export * as Calendar from "./Calendar.js"

/**
 * @since 0.1.0
 */
export * as Strength from "./Strength.js"

/**
 * @since 0.1.0
 */
export * as Contribution from "./Contribution.js"

/**
 * @since 0.1.0
 */
export * as Tier from "./Tier.js"

/**
 * @since 0.3.0
 */
export * as Repetition from "./Repetition.js"

/**
 * @since 0.3.0
 */
export * as Score from "./Score.js"

/**
 * @since 0.3.0
 */
export * as Stage from "./Stage.js"

/**
 * @since 0.1.0
 */
export * as State from "./State.js"

/**
 * @since 0.1.0
 */
export * as SchoolFold from "./SchoolFold.js"

/**
 * @since 0.1.0
 */
export * as Snapshot from "./Snapshot.js"

/**
 * @since 0.1.0
 */
export * as Explanation from "./Explanation.js"

/**
 * @since 0.1.0
 */
export * as Pair from "./Pair.js"

/**
 * @since 0.1.0
 */
export * as Letter from "./Letter.js"

/**
 * @since 0.1.0
 */
export * as Student from "./Student.js"

/**
 * @since 0.1.0
 */
export * as Faculty from "./Faculty.js"

/**
 * @since 0.1.0
 */
export * as Concentration from "./Concentration.js"

/**
 * @since 0.1.0
 */
export * as School from "./School.js"

/**
 * @since 0.1.0
 */
export * as FollowUp from "./FollowUp.js"

/**
 * @since 0.1.0
 */
export * as Rule from "./Rule.js"

/**
 * What rules are given of the wider state of the school as of `asOf`.
 *
 * @since 0.1.0
 */
export * as RuleContext from "./rules/Context.js"

/**
 * The follow-up engine: evaluates rules (built-in or a tool's own, see `Rule`) over events
 * into follow-ups (see `FollowUp`).
 *
 * @since 0.2.0
 */
export * as RuleEngine from "./rules/RuleEngine.js"

/**
 * The seven built-in follow-up rules, and a school's settings for them.
 *
 * @since 0.2.0
 */
export * as BuiltinRules from "./rules/BuiltinRules.js"

/**
 * @since 0.1.0
 */
export * as Contact from "./rules/Contact.js"

/**
 * @since 0.1.0
 */
export * as Schedule from "./rules/Schedule.js"

/**
 * @since 0.1.0
 */
export * as Nudge from "./Nudge.js"

/**
 * Reading an `asOf`: an instant, or a calendar date meaning midnight in the school's zone.
 *
 * @since 0.2.0
 */
export * as AsOf from "./AsOf.js"

/**
 * Advising: roles, concerns and cases, the worklist and matching with capacity.
 *
 * @since 0.4.0
 */
export * as Advising from "./advising/index.js"

// Names deprecated in 0.2.0, kept until 0.3.0 (see the changelog and docs/library.md).
export {
  EarlyOfficeHours,
  FollowUps,
  LetterPipeline,
  LetterReadiness,
  MentorCadence,
  ResearchFollowThrough,
  Rules,
  StayInTouch,
  ThankYou
} from "./deprecated.js"
