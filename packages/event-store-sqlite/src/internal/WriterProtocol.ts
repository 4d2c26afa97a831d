/**
 * The messages between the main thread (WriterClient.ts) and the writer thread
 * (WriterEntry.ts). Both ends are this
 * package, so the guards only check shapes enough to tell messages apart; the payloads
 * (append requests, outcomes) are plain data that structured clone carries as is.
 *
 * This module must never carry anything that is not structured-cloneable (no errors
 * with prototypes, no functions): failures travel as tagged plain objects.
 *
 * @since 0.1.0
 */
import type * as Sqlite from "./Sqlite.js"
import type * as Writer from "./Writer.js"
import type * as Jobs from "./Jobs.js"

/**
 * From the main thread to the writer.
 *
 * @since 0.1.0
 * @category models
 */
export type ToWriter =
  | { readonly _tag: "Job"; readonly id: number; readonly job: Jobs.Job }
  | { readonly _tag: "Close" }

/**
 * From the writer to the main thread.
 *
 * @since 0.1.0
 * @category models
 */
export type FromWriter =
  | { readonly _tag: "Ready" }
  | { readonly _tag: "OpenFailed"; readonly failure: Writer.Failure }
  | {
      readonly _tag: "Done"
      /** the outcomes of one group commit, in the order the jobs arrived */
      readonly results: ReadonlyArray<{ readonly id: number; readonly outcome: Jobs.Outcome }>
    }
  | { readonly _tag: "Closed" }

const hasTag = (value: unknown): value is { readonly _tag: unknown } =>
  typeof value === "object" && value !== null && "_tag" in value

/**
 * @since 0.1.0
 * @category guards
 */
export const isToWriter = (value: unknown): value is ToWriter =>
  hasTag(value) && (value._tag === "Close" || (value._tag === "Job" && "id" in value && "job" in value))

/**
 * @since 0.1.0
 * @category guards
 */
export const isFromWriter = (value: unknown): value is FromWriter =>
  hasTag(value) &&
  (value._tag === "Ready" ||
    value._tag === "Closed" ||
    (value._tag === "OpenFailed" && "failure" in value) ||
    (value._tag === "Done" && "results" in value && Array.isArray(value.results)))

/**
 * @since 0.1.0
 * @category guards
 */
export const isSettings = (value: unknown): value is Sqlite.ConnectionSettings =>
  typeof value === "object" &&
  value !== null &&
  "path" in value &&
  typeof value.path === "string" &&
  "busyTimeoutMillis" in value &&
  typeof value.busyTimeoutMillis === "number"
