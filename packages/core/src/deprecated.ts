/**
 * Names deprecated in 0.2.0, kept for one minor version (removed in 0.3.0). Each is a
 * constant (so editors strike it through) with a namespace of the same name for its types.
 *
 * - `FollowUps` is `RuleEngine`;
 * - `Rules` is `BuiltinRules`;
 * - the namespaces of the seven built-in rules gave way to `BuiltinRules`: each rule
 *   (`BuiltinRules.letterReadiness`) carries its `id`, `parameters` and `defaults`, and
 *   `BuiltinRules.ids` lists the ids.
 *
 * @since 0.2.0
 */
import * as BuiltinRulesModule from "./rules/BuiltinRules.js"
import * as RuleEngineModule from "./rules/RuleEngine.js"
import * as ThankYouModule from "./rules/ThankYou.js"
import * as StayInTouchModule from "./rules/StayInTouch.js"
import * as MentorCadenceModule from "./rules/MentorCadence.js"
import * as LetterReadinessModule from "./rules/LetterReadiness.js"
import * as LetterPipelineModule from "./rules/LetterPipeline.js"
import * as EarlyOfficeHoursModule from "./rules/EarlyOfficeHours.js"
import * as ResearchFollowThroughModule from "./rules/ResearchFollowThrough.js"

/**
 * @deprecated Renamed `RuleEngine` in 0.2.0 (same functions); removed in 0.3.0.
 * @since 0.1.0
 */
export const FollowUps: typeof RuleEngineModule = RuleEngineModule

/**
 * @deprecated Renamed `RuleEngine` in 0.2.0; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace FollowUps {
  /** @deprecated Use `RuleEngine.State`. */
  export type State = RuleEngineModule.State
  /** @deprecated Use `RuleEngine.Accumulator`. */
  export type Accumulator = RuleEngineModule.Accumulator
}

/**
 * @deprecated Renamed `BuiltinRules` in 0.2.0 (same functions); removed in 0.3.0.
 * @since 0.1.0
 */
export const Rules: typeof BuiltinRulesModule = BuiltinRulesModule

/**
 * @deprecated Renamed `BuiltinRules` in 0.2.0; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace Rules {
  /** @deprecated Use `BuiltinRules.InvalidRuleSettings`. */
  export type InvalidRuleSettings = BuiltinRulesModule.InvalidRuleSettings
}

/**
 * @deprecated Use `BuiltinRules.thankYou` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.thankYou`; removed in 0.3.0.
 * @since 0.1.0
 */
export const ThankYou: typeof ThankYouModule = ThankYouModule

/**
 * @deprecated Use `BuiltinRules.thankYou`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace ThankYou {
  /** @deprecated Use `typeof BuiltinRules.thankYou.defaults`. */
  export type Parameters = ThankYouModule.Parameters
}

/**
 * @deprecated Use `BuiltinRules.stayInTouch` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.stayInTouch`; removed in 0.3.0.
 * @since 0.1.0
 */
export const StayInTouch: typeof StayInTouchModule = StayInTouchModule

/**
 * @deprecated Use `BuiltinRules.stayInTouch`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace StayInTouch {
  /** @deprecated Use `typeof BuiltinRules.stayInTouch.defaults`. */
  export type Parameters = StayInTouchModule.Parameters
}

/**
 * @deprecated Use `BuiltinRules.mentorCadence` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.mentorCadence`; removed in 0.3.0.
 * @since 0.1.0
 */
export const MentorCadence: typeof MentorCadenceModule = MentorCadenceModule

/**
 * @deprecated Use `BuiltinRules.mentorCadence`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace MentorCadence {
  /** @deprecated Use `typeof BuiltinRules.mentorCadence.defaults`. */
  export type Parameters = MentorCadenceModule.Parameters
}

/**
 * @deprecated Use `BuiltinRules.letterReadiness` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.letterReadiness`; removed in 0.3.0.
 * @since 0.1.0
 */
export const LetterReadiness: typeof LetterReadinessModule = LetterReadinessModule

/**
 * @deprecated Use `BuiltinRules.letterReadiness`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace LetterReadiness {
  /** @deprecated Use `typeof BuiltinRules.letterReadiness.defaults`. */
  export type Parameters = LetterReadinessModule.Parameters
}

/**
 * @deprecated Use `BuiltinRules.letterPipeline` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.letterPipeline`; removed in 0.3.0.
 * @since 0.1.0
 */
export const LetterPipeline: typeof LetterPipelineModule = LetterPipelineModule

/**
 * @deprecated Use `BuiltinRules.letterPipeline`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace LetterPipeline {
  /** @deprecated Use `typeof BuiltinRules.letterPipeline.defaults`. */
  export type Parameters = LetterPipelineModule.Parameters
}

/**
 * @deprecated Use `BuiltinRules.earlyOfficeHours` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.earlyOfficeHours`; removed in 0.3.0.
 * @since 0.1.0
 */
export const EarlyOfficeHours: typeof EarlyOfficeHoursModule = EarlyOfficeHoursModule

/**
 * @deprecated Use `BuiltinRules.earlyOfficeHours`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace EarlyOfficeHours {
  /** @deprecated Use `typeof BuiltinRules.earlyOfficeHours.defaults`. */
  export type Parameters = EarlyOfficeHoursModule.Parameters
}

/**
 * @deprecated Use `BuiltinRules.researchFollowThrough` (with its `id`, `parameters` and `defaults`) and
 * `BuiltinRules.ids.researchFollowThrough`; removed in 0.3.0.
 * @since 0.1.0
 */
export const ResearchFollowThrough: typeof ResearchFollowThroughModule = ResearchFollowThroughModule

/**
 * @deprecated Use `BuiltinRules.researchFollowThrough`; removed in 0.3.0.
 * @since 0.1.0
 */
export declare namespace ResearchFollowThrough {
  /** @deprecated Use `typeof BuiltinRules.researchFollowThrough.defaults`. */
  export type Parameters = ResearchFollowThroughModule.Parameters
}
