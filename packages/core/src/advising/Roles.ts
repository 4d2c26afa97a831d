/**
 * Advising roles and where a concern goes. Three advising roles are taken from the
 * `program` of `MentorAssigned` through a mapping the school sets (the default below is
 * documented in docs/advising.md); a fourth, student affairs, is a team the school names
 * and is the only destination of wellbeing and health concerns.
 *
 * LCME element 11.1: academic counseling comes only from people with no role in assessing
 * or promoting the student, so the counseling roles are the ones whose conflicts are
 * checked (`isCounseling`).
 *
 * This module must never read clocks, settings files or the environment: the mapping is an
 * argument.
 *
 * @since 0.4.0
 */

/**
 * An advising role.
 *
 * @since 0.4.0
 * @category models
 */
export type Role = "academic-counselor" | "career-advisor" | "research-mentor"

/**
 * Every advising role, in the order the dashboard lists them.
 *
 * @since 0.4.0
 * @category constants
 */
export const roles: ReadonlyArray<Role> = ["academic-counselor", "career-advisor", "research-mentor"]

/**
 * Whether a string is an advising role.
 *
 * @since 0.4.0
 * @category guards
 */
export const isRole = (value: string): value is Role => roles.some((role) => role === value)

/**
 * A school's mapping from `MentorAssigned.program` to an advising role. Programs not named
 * are mentoring that is no advising role (they count for scores as before, and for no
 * caseload).
 *
 * @since 0.4.0
 * @category models
 */
export type ProgramRoles = Readonly<Record<string, Role>>

/**
 * The default mapping, used by a school that sets none.
 *
 * @since 0.4.0
 * @category constants
 */
export const defaultProgramRoles: ProgramRoles = {
  "advisory-college": "academic-counselor",
  "academic-advising": "academic-counselor",
  "career-advising": "career-advisor",
  research: "research-mentor",
  "research-mentoring": "research-mentor"
}

/**
 * The role a program maps to, if any. Safe for any string (`__proto__`).
 *
 * @since 0.4.0
 * @category operations
 */
export const roleOfProgram = (mapping: ProgramRoles, program: string): Role | undefined =>
  Object.hasOwn(mapping, program) ? mapping[program] : undefined

/**
 * The programs that map to a role (to assign a mentor in that role, the first is used).
 *
 * @since 0.4.0
 * @category operations
 */
export const programsOf = (mapping: ProgramRoles, role: Role): ReadonlyArray<string> =>
  Object.keys(mapping).filter((program) => mapping[program] === role)

/**
 * Whether a role counsels the student (LCME 11.1: never someone who assesses or promotes them).
 *
 * @since 0.4.0
 * @category guards
 */
export const isCounseling = (role: Role): boolean => role === "academic-counselor" || role === "career-advisor"

/**
 * The fixed list of concern categories.
 *
 * @since 0.4.0
 * @category constants
 */
export const concernCategories = [
  "academic",
  "attendance",
  "professionalism",
  "career",
  "research",
  "wellbeing",
  "health"
] as const

/**
 * @since 0.4.0
 * @category models
 */
export type ConcernCategory = (typeof concernCategories)[number]

/**
 * Who owns a case: an advising role (the student's advisor in it, or the dean's office
 * when the student has none), or student affairs.
 *
 * @since 0.4.0
 * @category models
 */
export type OwnerRole = Role | "student-affairs"

/**
 * Whether a category is sensitive: it goes to student affairs only, never to anyone who
 * assesses the student, never to the dean's school-wide list.
 *
 * @since 0.4.0
 * @category guards
 */
export const isSensitive = (category: ConcernCategory): boolean => category === "wellbeing" || category === "health"

/**
 * The role that owns a concern of a category.
 *
 * @since 0.4.0
 * @category operations
 */
export const ownerRoleOf = (category: ConcernCategory): OwnerRole => {
  switch (category) {
    case "wellbeing":
    case "health":
      return "student-affairs"
    case "career":
      return "career-advisor"
    case "research":
      return "research-mentor"
    case "academic":
    case "attendance":
    case "professionalism":
      return "academic-counselor"
  }
}
