/**
 * The messages between the server's work pool (WorkClient.ts, WorkPool.ts) and its threads
 * (WorkEntry.ts): each request is one job, each answer its value or its error, in the order
 * asked. Everything here is plain data.
 *
 * @since 0.2.0
 */
import type { PersonFold, SchoolSettings } from "@rapport/analytics"
import type { Event } from "@rapport/core"
import type { ValidationIssue } from "../http/Problem.js"

/**
 * A page's sources without the school's settings, which hold functions (the rules) and
 * cannot cross to a thread: the thread resolves them again from the stated settings.
 *
 * @since 0.2.0
 * @category models
 */
export type Plain<S> = Omit<S, "settings">

/**
 * @since 0.2.0
 * @category models
 */
export type Job =
  | { readonly _tag: "Batch"; readonly text: string; readonly receivedAtMs: number; readonly maxEvents: number }
  | { readonly _tag: "Validate"; readonly items: ReadonlyArray<unknown>; readonly receivedAtMs: number }
  | { readonly _tag: "StudentPage"; readonly sources: Plain<PersonFold.StudentSources> }
  | { readonly _tag: "FacultyPage"; readonly sources: Plain<PersonFold.FacultySources> }

/**
 * A batch of parsed values, validated: the events, or every issue.
 *
 * @since 0.2.0
 * @category models
 */
export type Validated =
  | { readonly _tag: "Valid"; readonly events: ReadonlyArray<Event.RapportEvent> }
  | { readonly _tag: "Invalid"; readonly issues: ReadonlyArray<ValidationIssue> }

/**
 * @since 0.2.0
 * @category models
 */
export interface Request {
  readonly id: number
  readonly job: Job
}

/**
 * @since 0.2.0
 * @category models
 */
export type Answer =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: string; readonly name: string }

/**
 * @since 0.2.0
 * @category guards
 */
export const isAnswer = (message: unknown): message is Answer =>
  typeof message === "object" && message !== null && "id" in message && typeof message.id === "number"

/**
 * What a thread is started with: the schools' settings as they were stated (the thread
 * resolves them again; the server validated them already).
 *
 * @since 0.2.0
 * @category models
 */
export interface Settings {
  readonly statements: SchoolSettings.Statements
}

const isStatements = (value: unknown): value is SchoolSettings.Statements =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The statements of a thread's settings; none when they are not an object.
 *
 * @since 0.2.0
 * @category operations
 */
export const statementsOf = (settings: unknown): SchoolSettings.Statements => {
  const stated =
    typeof settings === "object" && settings !== null && "statements" in settings ? settings.statements : undefined
  return isStatements(stated) ? stated : {}
}
