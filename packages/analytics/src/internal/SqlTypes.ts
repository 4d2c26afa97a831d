/**
 * The shapes of the SQL interface (Sql.ts), in a leaf of their own so that the modules
 * Sql.ts builds on and every writer of rows can name them without an
 * import cycle. Sql.ts re-exports them.
 *
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 * @category models
 */
export type SqlValue = string | number | bigint | null | Uint8Array

/**
 * @since 0.2.0
 * @category models
 */
export type SqlRow = Record<string, unknown>

/**
 * @since 0.2.0
 * @category models
 */
export interface SqlExecutor {
  readonly dialect: "sqlite" | "postgres"
  readonly all: (sql: string, params?: ReadonlyArray<SqlValue>) => Promise<Array<SqlRow>>
  readonly run: (sql: string, params?: ReadonlyArray<SqlValue>) => Promise<{ readonly changes: number }>
  /** several statements separated by `;`, no parameters (DDL) */
  readonly exec: (script: string) => Promise<void>
}

/**
 * @since 0.2.0
 * @category models
 */
export interface SqlDatabase extends SqlExecutor {
  /** runs `body` in one transaction; it commits when the promise resolves and rolls back when it rejects */
  readonly transaction: <A>(body: (tx: SqlExecutor) => Promise<A>) => Promise<A>
  readonly close: () => Promise<void>
}
