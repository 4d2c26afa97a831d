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
 * @since 0.1.0
 */
export * as RuleContext from "./rules/Context.js"

/**
 * @since 0.1.0
 */
export * as FollowUps from "./rules/FollowUps.js"

/**
 * @since 0.1.0
 */
export * as Rules from "./rules/Builtin.js"

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
export * as ThankYou from "./rules/ThankYou.js"

/**
 * @since 0.1.0
 */
export * as StayInTouch from "./rules/StayInTouch.js"

/**
 * @since 0.1.0
 */
export * as MentorCadence from "./rules/MentorCadence.js"

/**
 * @since 0.1.0
 */
export * as LetterReadiness from "./rules/LetterReadiness.js"

/**
 * @since 0.1.0
 */
export * as LetterPipeline from "./rules/LetterPipeline.js"

/**
 * @since 0.1.0
 */
export * as EarlyOfficeHours from "./rules/EarlyOfficeHours.js"

/**
 * @since 0.1.0
 */
export * as ResearchFollowThrough from "./rules/ResearchFollowThrough.js"

/**
 * @since 0.1.0
 */
export * as Nudge from "./Nudge.js"
