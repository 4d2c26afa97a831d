/**
 * Read-model queries answered in a thread of their own. `node:sqlite` is synchronous: a
 * dashboard query of a large school run on the server's event loop holds up every other
 * request meanwhile, appends included. With the queries in this thread, the event loop
 * only passes messages; on two cores the queries and the HTTP server run side by side.
 *
 * The thread starts with the first query, holds the process open only while a query is
 * pending, and is started again by the next query if it dies (the queries it held fail).
 *
 * @since 0.1.0
 */
import type { Worker } from "node:worker_threads"
import type { SqlRow, SqlValue } from "./internal/SqlTypes.js"
import * as SqlError from "./SqlError.js"
import type { Answer, Query } from "./SqliteReadThread.js"
import * as Thread from "./Thread.js"

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

/**
 * Queries of the SQLite file at `path`, read-only, in a thread of their own.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inThread = (path: string): SqliteReads => {
  let worker: Worker | undefined
  let nextId = 1
  let closed = false
  const pending = new Map<
    number,
    { readonly resolve: (rows: Array<SqlRow>) => void; readonly reject: (error: unknown) => void }
  >()

  const settleRef = () => {
    if (pending.size > 0) worker?.ref()
    else worker?.unref()
  }

  const launch = (): Worker => {
    const thread = Thread.spawn("read-models", "SqliteReadThread", { path })
    let failure = ""
    thread.on("message", (answer: Answer) => {
      const call = pending.get(answer.id)
      pending.delete(answer.id)
      if ("rows" in answer) call?.resolve(answer.rows)
      else call?.reject(SqlError.refine(new ReadFailed(answer.error, answer.errcode)))
      settleRef()
    })
    thread.on("error", (error) => {
      failure = `: ${error.message}`
    })
    thread.on("exit", (code) => {
      if (worker === thread) worker = undefined
      // the next query starts a new thread: for the queries it held, the database was out of reach
      for (const call of pending.values())
        call.reject(new SqlError.SqlUnavailable({ reason: `the read-model thread exited (code ${code})${failure}` }))
      pending.clear()
    })
    return thread
  }

  return {
    all: (sql, params = []) => {
      if (closed) return Promise.reject(new SqlError.SqlUnavailable({ reason: "the read models are closed" }))
      worker ??= launch()
      const id = nextId++
      const query: Query = { id, sql, params }
      return new Promise<Array<SqlRow>>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        settleRef()
        worker?.postMessage(query)
      })
    },
    close: async () => {
      closed = true
      const thread = worker
      worker = undefined
      if (thread !== undefined) await thread.terminate()
    }
  }
}
