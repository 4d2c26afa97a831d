/**
 * The control tables for tests that read values: each operation as a promise, which
 * rejects with the operation's typed error (`ControlUnavailable`, `AuditUnavailable`) or
 * the defect, as `Effect.runPromise` does.
 */
import type { Sql } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import type * as ControlStore from "../src/control/ControlStore.js"

type Operations = Exclude<keyof ControlStore.ControlStore, "database">

export type PromisedControl = {
  readonly [K in Operations]: (
    ...args: Parameters<ControlStore.ControlStore[K]>
  ) => Promise<Effect.Success<ReturnType<ControlStore.ControlStore[K]>>>
} & { readonly database: Sql.SqlDatabase }

export const promised = (control: ControlStore.ControlStore): PromisedControl => ({
  database: control.database,
  createKey: (...args) => Effect.runPromise(control.createKey(...args)),
  listKeys: (...args) => Effect.runPromise(control.listKeys(...args)),
  revokeKey: (...args) => Effect.runPromise(control.revokeKey(...args)),
  verifyKey: (...args) => Effect.runPromise(control.verifyKey(...args)),
  putDirectory: (...args) => Effect.runPromise(control.putDirectory(...args)),
  getDirectory: (...args) => Effect.runPromise(control.getDirectory(...args)),
  audit: (...args) => Effect.runPromise(control.audit(...args)),
  listAudit: (...args) => Effect.runPromise(control.listAudit(...args)),
  createSession: (...args) => Effect.runPromise(control.createSession(...args)),
  session: (...args) => Effect.runPromise(control.session(...args)),
  endSession: (...args) => Effect.runPromise(control.endSession(...args)),
  eraseStudent: (...args) => Effect.runPromise(control.eraseStudent(...args)),
  erasureKey: (...args) => Effect.runPromise(control.erasureKey(...args)),
  positionKey: (...args) => Effect.runPromise(control.positionKey(...args)),
  recordRetention: (...args) => Effect.runPromise(control.recordRetention(...args)),
  finishRetention: (...args) => Effect.runPromise(control.finishRetention(...args)),
  listRetention: (...args) => Effect.runPromise(control.listRetention(...args)),
  addImported: (...args) => Effect.runPromise(control.addImported(...args)),
  importedTotals: (...args) => Effect.runPromise(control.importedTotals(...args))
})
