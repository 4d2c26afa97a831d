/**
 * What passes between the projector's client (ProjectorClient.ts) and its thread
 * (ProjectorEntry.ts): the settings the thread starts with and the messages both ways.
 *
 * This module must never describe anything that is not plain data: it crosses the thread
 * boundary by structured clone.
 *
 * @since 0.1.0
 */
import type * as SchoolSettings from "../SchoolSettings.js"

/**
 * Where the thread finds a database: a SQLite file or a PostgreSQL URL and schema.
 *
 * @since 0.1.0
 * @category models
 */
export type Location =
  | { readonly _tag: "sqlite"; readonly path: string }
  | { readonly _tag: "postgres"; readonly url: string; readonly schema: string }

/**
 * What the thread needs, as plain data (it crosses the thread boundary).
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** the event store: the SQLite events file, or the PostgreSQL URL and the store's schema */
  readonly store: Location
  /** the read-model database */
  readonly readModels: Location
  /** what the schools state (SchoolSettings), resolved once more in the thread */
  readonly schools: SchoolSettings.Statements
  /** a fixed "now" (ISO 8601) for tests; the clock otherwise */
  readonly now?: string | undefined
  /** the projector's pacing and lease (Projector.ProjectorOptions) */
  readonly batchSize?: number
  readonly batchMs?: number
  readonly pollIntervalMs?: number
  readonly followUpIntervalMs?: number
  readonly leaseMs?: number
}

/**
 * A call the thread answers with `Done`.
 *
 * @since 0.2.0
 * @category models
 */
export type Call = "start" | "catchUp" | "refreshFollowUps" | "stop"

/**
 * From the caller to the thread.
 *
 * @since 0.1.0
 * @category models
 */
export type ToThread =
  | { readonly _tag: "Call"; readonly id: number; readonly call: Call }
  | { readonly _tag: "Notify" }
  | { readonly _tag: "Erased"; readonly id: number; readonly error?: string | undefined }

/**
 * From the thread to the caller.
 *
 * @since 0.1.0
 * @category models
 */
export type FromThread =
  | { readonly _tag: "Done"; readonly id: number; readonly error?: string | undefined }
  | { readonly _tag: "Committed"; readonly position: number }
  | { readonly _tag: "Log"; readonly line: Readonly<Record<string, string | number | boolean>> }
  | { readonly _tag: "Erase"; readonly id: number; readonly school: string; readonly studentId: string }

const hasTag = (value: unknown): value is { readonly _tag: unknown } =>
  typeof value === "object" && value !== null && "_tag" in value

/**
 * @since 0.1.0
 * @category guards
 */
export const isFromThread = (value: unknown): value is FromThread =>
  hasTag(value) &&
  (value._tag === "Done" || value._tag === "Committed" || value._tag === "Log" || value._tag === "Erase")

/**
 * @since 0.1.0
 * @category guards
 */
export const isToThread = (value: unknown): value is ToThread =>
  hasTag(value) && (value._tag === "Call" || value._tag === "Notify" || value._tag === "Erased")

/**
 * @since 0.2.0
 * @category guards
 */
export const isSettings = (value: unknown): value is Settings =>
  typeof value === "object" && value !== null && "store" in value && "readModels" in value
