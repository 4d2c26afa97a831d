/**
 * A small SQL database interface with two implementations, SQLite (`node:sqlite`) and
 * PostgreSQL (postgres.js), so that read models, the projector's checkpoint and the
 * server's control tables (keys, directory, audit) are written once.
 *
 * SQL is written with `?` placeholders in the common subset of both dialects (upserts
 * with `ON CONFLICT`, `BIGINT`, `DOUBLE PRECISION`, `TEXT`); the PostgreSQL side rewrites
 * `?` to `$n`. Never put a literal `?` inside SQL text passed here.
 *
 * SQLite is synchronous and has one connection per file handle: writes and transactions
 * are serialised by an async mutex so that statements of two callers never interleave
 * inside one transaction; plain reads go to a second, read-only connection and see only
 * committed data (with `readsInThread`, a connection in a thread of its own).
 *
 * Every operation rejects with `SqlError.SqlUnavailable` when the database cannot be
 * reached, and with the error itself when it is a defect (see `SqlError`).
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { DatabaseSync, type StatementSync } from "node:sqlite"
import postgres from "postgres"
import * as SqlError from "./SqlError.js"
import type * as SqlTypes from "./internal/SqlTypes.js"
import * as SqliteReadClient from "./internal/SqliteReadClient.js"

/**
 * @since 0.1.0
 * @category models
 */
export type SqlValue = SqlTypes.SqlValue

/**
 * @since 0.1.0
 * @category models
 */
export type SqlRow = SqlTypes.SqlRow

/**
 * @since 0.1.0
 * @category models
 */
export type SqlExecutor = SqlTypes.SqlExecutor

/**
 * @since 0.1.0
 * @category models
 */
export type SqlDatabase = SqlTypes.SqlDatabase

class Mutex {
  private tail: Promise<void> = Promise.resolve()
  lock<A>(body: () => Promise<A>): Promise<A> {
    const result = this.tail.then(body)
    this.tail = result.then(
      () => undefined,
      () => undefined
    )
    return result
  }
}

const toSqliteParams = (params: ReadonlyArray<SqlValue>): Array<string | number | bigint | null | Uint8Array> => [
  ...params
]

/**
 * Opens (and creates) a SQLite database file for read models and control tables. Read
 * models are rebuildable, so `synchronous=NORMAL` is enough; pass `durable: true` for
 * tables that cannot be rebuilt (keys, directory, audit) when they share the file.
 *
 * @since 0.1.0
 * @category constructors
 */
export const openSqlite = (
  path: string,
  options: {
    readonly durable?: boolean
    /**
     * answer `all` outside a transaction in a thread of its own (internal/SqliteReadClient.ts), so that a
     * long query never holds up the caller's event loop; a server's dashboards want this
     */
    readonly readsInThread?: boolean
  } = {}
): SqlDatabase => {
  const writer = new DatabaseSync(path)
  writer.exec(
    `PRAGMA journal_mode=WAL; PRAGMA synchronous=${options.durable === true ? "FULL" : "NORMAL"}; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON`
  )
  // The writing connection's cache holds the index pages a projector batch rewrites (pairs
  // of every student touched) from one batch to the next, and the WAL is checkpointed every
  // 10,000 pages rather than 1,000, so that a page rewritten by consecutive batches is
  // copied into the file once.
  writer.exec("PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000")
  const threaded = options.readsInThread === true && path !== ":memory:" ? SqliteReadClient.make(path) : undefined
  const reader = path === ":memory:" || threaded !== undefined ? writer : new DatabaseSync(path, { readOnly: true })
  if (reader !== writer) reader.exec("PRAGMA busy_timeout=5000")
  const mutex = new Mutex()
  const cache = new Map<DatabaseSync, Map<string, StatementSync>>()
  const prepare = (db: DatabaseSync, sql: string): StatementSync => {
    let statements = cache.get(db)
    if (statements === undefined) {
      statements = new Map()
      cache.set(db, statements)
    }
    let statement = statements.get(sql)
    if (statement === undefined) {
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
  const executor = (db: DatabaseSync): SqlExecutor => ({
    dialect: "sqlite",
    all: async (sql: string, params: ReadonlyArray<SqlValue> = []) => {
      try {
        return prepare(db, sql).all(...toSqliteParams(params))
      } catch (error) {
        throw SqlError.refine(error)
      }
    },
    run: async (sql, params = []) => {
      try {
        const result = prepare(db, sql).run(...toSqliteParams(params))
        return { changes: Number(result.changes) }
      } catch (error) {
        throw SqlError.refine(error)
      }
    },
    exec: async (script) => {
      try {
        db.exec(script)
      } catch (error) {
        throw SqlError.refine(error)
      }
    }
  })
  const inTransaction = executor(writer)
  const reads = threaded ?? executor(reader)
  return {
    dialect: "sqlite",
    all: reads.all,
    run: (sql, params) => mutex.lock(() => inTransaction.run(sql, params)),
    exec: (script) => mutex.lock(() => inTransaction.exec(script)),
    transaction: (body) =>
      mutex.lock(async () => {
        writer.exec("BEGIN IMMEDIATE")
        try {
          const result = await body(inTransaction)
          writer.exec("COMMIT")
          return result
        } catch (error) {
          if (writer.isOpen && writer.isTransaction) writer.exec("ROLLBACK")
          throw SqlError.refine(error)
        }
      }),
    close: () =>
      mutex.lock(async () => {
        await threaded?.close()
        if (reader !== writer) reader.close()
        writer.close()
      })
  }
}

/**
 * A condition true only inside a transaction opened by {@link SqlDatabase.transaction} on
 * PostgreSQL, for statements that must never run on their own, such as the projector's
 * checkpoint (see `openPostgres`). SQLite connections never change under a transaction.
 *
 * @since 0.1.0
 * @category operations
 */
export const inTransaction = (executor: SqlExecutor): string =>
  executor.dialect === "postgres" ? "COALESCE(current_setting('rapport.tx', true), '') <> ''" : "1 = 1"

const toPostgresText = (sql: string): string => {
  let index = 0
  return sql.replace(/\?/g, () => `$${++index}`)
}

const toPostgresParams = (params: ReadonlyArray<SqlValue>): Array<string | number | null | Uint8Array> =>
  params.map((value) => (typeof value === "bigint" ? value.toString() : value))

/**
 * Connects to PostgreSQL. `schema` (created if missing) becomes the `search_path`, so
 * several Rapport installations or test runs can share one database.
 *
 * @since 0.1.0
 * @category constructors
 */
export const openPostgres = async (
  url: string,
  options: { readonly schema?: string; readonly max?: number } = {}
): Promise<SqlDatabase> => {
  const schema = options.schema ?? "rapport"
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`)
  const sql = postgres(url, {
    max: options.max ?? 4,
    onnotice: () => undefined,
    connection: { search_path: schema },
    connect_timeout: 10
  })
  await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(async (error: unknown) => {
    await sql.end({ timeout: 1 }).catch(() => undefined)
    throw SqlError.refine(error)
  })
  const executor = (client: postgres.Sql | postgres.ReservedSql): SqlExecutor => ({
    dialect: "postgres",
    all: async (text: string, params: ReadonlyArray<SqlValue> = []) => {
      try {
        const rows = await client.unsafe(toPostgresText(text), toPostgresParams(params))
        return rows.map((row): SqlRow => ({ ...row }))
      } catch (error) {
        throw SqlError.refine(error)
      }
    },
    run: async (text, params = []) => {
      try {
        const result = await client.unsafe(toPostgresText(text), toPostgresParams(params))
        return { changes: result.count }
      } catch (error) {
        throw SqlError.refine(error)
      }
    },
    exec: async (script) => {
      try {
        await client.unsafe(script)
      } catch (error) {
        throw SqlError.refine(error)
      }
    }
  })
  return {
    ...executor(sql),
    // Not sql.begin(): postgres.js 3.4.9 writes its ROLLBACK to a dead socket and crashes
    // the process when the connection drops mid-transaction (porsager/postgres#1208).
    //
    // A reserved connection whose socket closes between two statements is reconnected by
    // postgres.js for the next query that needs one, and the transaction's later statements
    // then run in a new session, each committing on its own. So the transaction marks its
    // session (a transaction-local setting), `inTransaction` lets a statement require it
    // (the checkpoint does), and COMMIT goes in one message with a check of the mark: in a
    // new session the check fails and the message, an implicit transaction, commits nothing.
    transaction: async (body) => {
      const connection = await sql.reserve().catch((error: unknown) => Promise.reject(SqlError.refine(error)))
      const mark = randomUUID()
      try {
        await connection.unsafe("BEGIN")
        await connection.unsafe("SELECT set_config('rapport.tx', $1, true)", [mark])
        const result = await body(executor(connection))
        await connection.unsafe(
          `SELECT 1 / (CASE WHEN current_setting('rapport.tx', true) = '${mark}' THEN 1 ELSE 0 END) AS same_transaction; COMMIT`
        )
        return result
      } catch (error) {
        await connection.unsafe("ROLLBACK").catch(() => undefined)
        throw SqlError.refine(error)
      } finally {
        connection.release()
      }
    },
    close: () => sql.end({ timeout: 5 })
  }
}
