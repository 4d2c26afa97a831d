/**
 * One retention run, as `rapport retention` and `POST /v1/retention` make it: resolve the
 * policy in the school's time zone, select, record the run in the audit log, and (unless
 * dry) remove and ask the read models to follow, then wait a while for them.
 *
 * The audit entry is written before anything is removed, and completed with the count
 * after: a run that stops half-way is on record as such (`removed` null).
 *
 * @since 0.2.0
 */
import { ReadError, Reload, type SchoolSettings, type Sql } from "@rapport/analytics"
import type { EventStoreShape, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import type { ControlUnavailable } from "../control/ControlError.js"
import type { ControlStore } from "../control/ControlStore.js"
import * as Retention from "./Retention.js"

/**
 * What a run needs.
 *
 * @since 0.2.0
 * @category models
 */
export interface Deps {
  readonly store: EventStoreShape
  readonly readModels: Sql.SqlDatabase
  readonly control: ControlStore
  /** every school's settings: a school's time zone decides its days and months */
  readonly schools: SchoolSettings.SchoolSettings
  readonly now: () => Date
}

/**
 * One run's request.
 *
 * @since 0.2.0
 * @category models
 */
export interface Request {
  readonly school: string
  readonly policy: Retention.Policy
  readonly dryRun: boolean
  /** the selection digest of a dry run: remove exactly that, or nothing */
  readonly expect?: string | undefined
  /** who runs it: the key's name, or the command line */
  readonly actor: string
  readonly requestId?: string | undefined
  /** how long to wait for the read models to follow (0: not at all) */
  readonly waitMs: number
}

/**
 * What a run did.
 *
 * @since 0.2.0
 * @category models
 */
export interface Outcome {
  readonly runId: string
  readonly dryRun: boolean
  readonly report: Retention.Report
  /** events removed (0 on a dry run) */
  readonly removed: number
  /** whether the read models already follow the removal (`pending` until a projector reloads the school) */
  readonly readModels: "updated" | "pending" | "unchanged"
}

/**
 * @since 0.2.0
 * @category models
 */
export type RunError =
  | Retention.PolicyInvalid
  | Retention.RetentionUnsupported
  | Retention.SelectionChanged
  | StoreUnavailable
  | ReadError.ReadModelsUnavailable
  /** the control tables could not record the run (the audit log): nothing was removed, or not recorded as done */
  | ControlUnavailable

const waitForReload = (readModels: Sql.SqlDatabase, school: string, waitMs: number) =>
  ReadError.fromReadModels(async () => {
    const deadline = Date.now() + waitMs
    for (;;) {
      if (!(await Reload.isPending(readModels, school))) return "updated" as const
      if (Date.now() >= deadline) return "pending" as const
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  })

/**
 * Runs retention once for a school.
 *
 * @since 0.2.0
 * @category operations
 */
export const run = (deps: Deps, request: Request): Effect.Effect<Outcome, RunError> =>
  Effect.gen(function* () {
    const timeZone = deps.schools.of(request.school).timeZone
    const ranAt = deps.now()
    const resolved = Retention.resolve(request.policy, timeZone, ranAt)
    if (Result.isFailure(resolved)) return yield* Effect.fail(resolved.failure)
    if (!request.dryRun) yield* Retention.deleter(deps.store)
    const { positions, report } = yield* Retention.select(deps.store, request.school, resolved.success, timeZone)
    if (!request.dryRun && request.expect !== undefined && request.expect !== report.selection)
      return yield* Effect.fail(new Retention.SelectionChanged({ report }))
    const runId = randomUUID()
    yield* deps.control.recordRetention(request.school, {
      runId,
      ranAt: ranAt.toISOString(),
      actor: request.actor,
      dryRun: request.dryRun,
      policy: request.policy,
      report,
      requestId: request.requestId ?? null
    })
    if (request.dryRun) {
      yield* deps.control.finishRetention(runId, 0)
      return { runId, dryRun: true, report, removed: 0, readModels: "unchanged" }
    }
    const removed = yield* Retention.remove(deps.store, deps.readModels, request.school, positions)
    yield* deps.control.finishRetention(runId, removed)
    const readModels =
      positions.length === 0
        ? ("unchanged" as const)
        : request.waitMs > 0
          ? yield* waitForReload(deps.readModels, request.school, request.waitMs)
          : ("pending" as const)
    return { runId, dryRun: false, report, removed, readModels }
  })
