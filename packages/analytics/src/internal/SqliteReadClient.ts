/**
 * Read-model queries answered in a thread of their own (SqliteReadEntry.ts). `node:sqlite`
 * is synchronous: a dashboard query of a large school run on the server's event loop holds
 * up every other request meanwhile, appends included. With the queries in this thread, the
 * event loop only passes messages; on two cores the queries and the HTTP server run side
 * by side.
 *
 * The thread starts with the first query, holds the process open only while a query is
 * pending, and is started again by the next query if it dies (the queries it held fail).
 *
 * @since 0.1.0
 */
import * as Thread from "@rapport/event-store/thread"
import * as SqlError from "../SqlError.js"
import type { Answer, Query } from "./SqliteReadEntry.js"

// Sql.ts's row and value types, as the thread's protocol states them: this module is Sql's
// dependency, never the other way round.
type SqlRow = Record<string, unknown>
type SqlValue = Query["params"][number]

/**
 * @since 0.1.0
 * @category models
 */
export interface SqliteReads {
  readonly all: (sql: string, params?: ReadonlyArray<SqlValue>) => Promise<Array<SqlRow>>
  readonly close: () => Promise<void>
}

/** An error of the thread's connection, with SQLite's extended result code when it had one. */
class ReadFailed extends Error {
  readonly errcode: number | undefined
  constructor(message: string, errcode: number | undefined) {
    super(message)
    this.name = "ReadFailed"
    this.errcode = errcode
  }
}

/** what a query gets: the thread's answer, or the reason the thread is gone */
type Reply = Answer | { readonly gone: string }

const isAnswer = (message: unknown): message is Answer =>
  typeof message === "object" && message !== null && "id" in message && typeof message.id === "number"

/**
 * Queries of the SQLite file at `path`, read-only, in a thread of their own.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (path: string): SqliteReads => {
  let closed = false
  const thread: Thread.Client<Reply> = Thread.client<Reply>({
    name: "read-model",
    entry: "SqliteReadEntry",
    from: import.meta.url,
    settings: { path },
    onMessage: (message) => {
      if (isAnswer(message)) thread.answer(message.id, message)
    },
    // for the queries it held, the database was out of reach; the next query starts a new thread
    gone: (reason) => ({ gone: reason })
  })
  return {
    all: (sql, params = []) => {
      if (closed) return Promise.reject(new SqlError.SqlUnavailable({ reason: "the read models are closed" }))
      return new Promise<Array<SqlRow>>((resolve, reject) =>
        thread.call(
          (id): Query => ({ id, sql, params }),
          (reply) => {
            if ("gone" in reply) reject(new SqlError.SqlUnavailable({ reason: reply.gone }))
            else if ("rows" in reply) resolve(reply.rows)
            else reject(SqlError.refine(new ReadFailed(reply.error, reply.errcode)))
          }
        )
      )
    },
    close: async () => {
      closed = true
      await thread.terminate()
    }
  }
}
