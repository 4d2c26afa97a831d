/**
 * The store's tables and their migrations. `migrate` brings a PostgreSQL schema (the
 * namespace, `rapport` by default) to the latest version in one transaction, under a
 * transaction-scoped advisory lock keyed by the schema name, so that two processes
 * starting at once never race: the second waits, then finds nothing to do.
 *
 * Migrations are append-only: a released migration is never edited, only followed by a
 * new one. This module must never drop or rewrite stored events.
 *
 * @since 0.1.0
 */
import type postgres from "postgres"

/**
 * The schema-qualified, quoted names of the store's tables.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tables {
  readonly schema: string
  readonly events: string
  readonly streams: string
  readonly head: string
  readonly version: string
  /** the LISTEN/NOTIFY channel on which commits are announced */
  readonly channel: string
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`

/**
 * Table names for a schema (already validated as a plain lower-case identifier).
 *
 * @since 0.1.0
 * @category constructors
 */
export const tables = (schema: string): Tables => ({
  schema: quote(schema),
  events: `${quote(schema)}.events`,
  streams: `${quote(schema)}.streams`,
  head: `${quote(schema)}.head`,
  version: `${quote(schema)}.schema_version`,
  channel: `rapport_events:${schema}`
})

interface Migration {
  readonly version: number
  readonly description: string
  readonly statements: (t: Tables) => ReadonlyArray<string>
}

// Text columns compare byte-wise (COLLATE "C"): ids are opaque, so locale-aware collation
// would only cost time in every index operation.
const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: "events, streams and the head position",
    statements: (t) => [
      `CREATE TABLE ${t.events} (
        position bigint PRIMARY KEY,
        school text COLLATE "C" NOT NULL,
        stream_kind text COLLATE "C" NOT NULL,
        stream_id text COLLATE "C" NOT NULL,
        revision bigint NOT NULL,
        event_id text COLLATE "C" NOT NULL,
        type text COLLATE "C" NOT NULL,
        v integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        source text,
        data jsonb NOT NULL,
        content_hash bytea NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT events_event_id_key UNIQUE (school, event_id),
        CONSTRAINT events_stream_revision_key UNIQUE (school, stream_kind, stream_id, revision)
      )`,
      `CREATE INDEX events_school_position_idx ON ${t.events} (school, position)`,
      `CREATE TABLE ${t.streams} (
        school text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        revision bigint NOT NULL,
        PRIMARY KEY (school, kind, id)
      )`,
      // One row. Its row lock, held from position assignment to commit, serialises writers so
      // that positions become visible in commit order (see the README of this package).
      `CREATE TABLE ${t.head} (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        position bigint NOT NULL
      )`,
      `INSERT INTO ${t.head} (singleton, position) VALUES (true, 0)`
    ]
  }
]

/**
 * The version `migrate` brings a schema to.
 *
 * @since 0.1.0
 * @category models
 */
export const latestVersion: number = migrations.reduce((max, m) => Math.max(max, m.version), 0)

/**
 * What `migrate` did.
 *
 * @since 0.1.0
 * @category models
 */
export interface MigrationReport {
  readonly from: number
  readonly to: number
}

/**
 * Creates the schema if needed and applies every missing migration, all in one
 * transaction under an advisory lock. Fails (rejects) if the schema is newer than this
 * code knows: an old binary must not write to a store it does not understand.
 *
 * @since 0.1.0
 * @category operations
 */
export const migrate = (sql: postgres.Sql, schema: string): Promise<MigrationReport> => {
  const t = tables(schema)
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`rapport.migrate:${schema}`}, 0))`
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`)
    await tx.unsafe(
      `CREATE TABLE IF NOT EXISTS ${t.version} (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
    )
    const rows = await tx.unsafe<Array<{ readonly version: number | null }>>(
      `SELECT max(version) AS version FROM ${t.version}`
    )
    const from = rows[0]?.version ?? 0
    if (from > latestVersion) {
      throw new Error(
        `schema ${schema} is at version ${from}, newer than this code (${latestVersion}); upgrade Rapport`
      )
    }
    for (const migration of migrations) {
      if (migration.version <= from) continue
      for (const statement of migration.statements(t)) await tx.unsafe(statement)
      await tx.unsafe(`INSERT INTO ${t.version} (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description
      ])
    }
    return { from, to: Math.max(from, latestVersion) }
  })
}
