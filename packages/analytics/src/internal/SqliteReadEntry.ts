/**
 * The entry of the thread that answers read-model queries off the caller's event loop
 * (see SqliteReadClient.ts). It owns one read-only connection to the file and answers each
 * `{ id, sql, params }` with the rows or the error, in the order asked.
 *
 * This module must never write.
 *
 * @since 0.1.0
 */
import * as Thread from "@rapport/event-store/thread"
import { DatabaseSync, type StatementSync } from "node:sqlite"

/**
 * @since 0.1.0
 * @category models
 */
export interface Query {
  readonly id: number
  readonly sql: string
  readonly params: ReadonlyArray<string | number | bigint | null | Uint8Array>
}

/**
 * @since 0.1.0
 * @category models
 */
export type Answer =
  | { readonly id: number; readonly rows: Array<Record<string, unknown>> }
  | { readonly id: number; readonly error: string; readonly errcode?: number | undefined }

const pathOf = (settings: unknown): string | undefined =>
  typeof settings === "object" && settings !== null && "path" in settings && typeof settings.path === "string"
    ? settings.path
    : undefined

const started = Thread.entry()
const path = pathOf(started?.settings)
if (started !== undefined && path !== undefined) {
  const { port } = started
  const db = new DatabaseSync(path, { readOnly: true })
  db.exec("PRAGMA busy_timeout=5000")
  const statements = new Map<string, StatementSync>()
  port.on("message", (query: Query) => {
    try {
      let statement = statements.get(query.sql)
      if (statement === undefined) {
        statement = db.prepare(query.sql)
        statements.set(query.sql, statement)
      }
      const answer: Answer = { id: query.id, rows: statement.all(...query.params) }
      port.postMessage(answer)
    } catch (error) {
      const errcode =
        typeof error === "object" && error !== null && "errcode" in error && typeof error.errcode === "number"
          ? error.errcode
          : undefined
      const answer: Answer = { id: query.id, error: Thread.reason(error), errcode }
      port.postMessage(answer)
    }
  })
}
