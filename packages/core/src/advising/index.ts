/**
 * Advising: roles, concerns and cases, the worklist and matching (the action layer over
 * the measures). Re-exported by the package as `Advising`.
 *
 * @since 0.4.0
 */
export * as Roles from "./Roles.js"
export * as AdvisingEvent from "./AdvisingEvent.js"
export * as CaseFile from "./CaseFile.js"
export * as Worklist from "./Worklist.js"
export * as Matching from "./Matching.js"
