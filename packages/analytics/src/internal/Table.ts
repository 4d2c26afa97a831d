/**
 * What the read model knows of each of its tables: its DDL and which rows it holds. Every
 * table has a module of its own under `tables/` (its DDL, its row's columns as an
 * `Upsert.Spec`), listed once in Tables.ts; the schema, rebuild, reload and erasure read
 * that list rather than naming tables.
 *
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 * @category models
 */
export interface Table {
  readonly name: string
  /** `CREATE TABLE IF NOT EXISTS` and its indexes, in the SQL both databases accept */
  readonly ddl: string
  /** holds rows of one school each, rewritten by a reload of the school */
  readonly ofSchool: boolean
  /** holds rows about one student each, that go with the student (all their events retracted, or erased) */
  readonly ofStudent: boolean
}
