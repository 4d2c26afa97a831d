/**
 * The store's tables, its PL/pgSQL functions, and their migrations. `migrate`
 * brings a PostgreSQL schema (the namespace, `rapport` by default) to the latest version
 * in ONE statement — a `DO` block, hence one transaction — under a transaction-scoped
 * advisory lock keyed by the schema name, so that two processes starting at once never
 * race: the second waits, then finds nothing to do.
 *
 * Why functions and single statements: every write of the store is one statement, so
 * PostgreSQL runs it as its own transaction and the client never sends BEGIN, COMMIT or
 * ROLLBACK. postgres.js 3.4.9 crashes the process when a connection dies inside
 * `sql.begin()` (its own ROLLBACK is written to a closed socket; porsager/postgres#1208)
 * and can run a dead transaction's statements inside the next one (#1216); a single
 * statement cannot be split that way, and it costs one round trip instead of six.
 *
 * Migrations are append-only: a released migration is never edited, only followed by a
 * new one (functions are replaced with `CREATE OR REPLACE`). This module must never drop
 * or rewrite stored events.
 *
 * @since 0.1.0
 */
import type postgres from "postgres"

/**
 * The schema-qualified, quoted names of the store's objects.
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
  readonly appendEvents: string
  readonly deleteStream: string
  readonly deleteEvents: string
  /** the LISTEN/NOTIFY channel on which commits are announced */
  readonly channel: string
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`

/**
 * Names for a schema (already validated as a plain lower-case identifier).
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
  appendEvents: `${quote(schema)}.append_events`,
  deleteStream: `${quote(schema)}.delete_stream`,
  deleteEvents: `${quote(schema)}.delete_events`,
  channel: `rapport_events:${schema}`
})

interface Migration {
  readonly version: number
  readonly description: string
  readonly statements: (t: Tables) => ReadonlyArray<string>
}

const appendFunction = (t: Tables): string => `
CREATE OR REPLACE FUNCTION ${t.appendEvents}(
  p_school text[], p_kind text[], p_id text[], p_expected text[], p_expected_revision bigint[],
  e_stream integer[], e_event_id text[], e_type text[], e_v integer[], e_occurred_at timestamptz[],
  e_source text[], e_data jsonb[], e_hash text[], p_channel text
) RETURNS TABLE (
  failed integer,          -- NULL: appended; i: request i's expected state failed; 0: some events are stored already
  actual bigint[],         -- each request's stream revision before the append (-1: no stream)
  base bigint,             -- the events took positions base + 1 .. base + n, in order
  stored_index integer[],  -- with failed = 0: which events are stored already, and as what
  stored_hash text[],
  stored_revision bigint[],
  stored_position bigint[]
)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
DECLARE
  v_actual bigint[];
  v_base bigint;
  v_count bigint := cardinality(e_event_id);
  v_now timestamptz;
  v_ok boolean;
  v_si integer[];
  v_sh text[];
  v_sr bigint[];
  v_sp bigint[];
BEGIN
  -- Events already stored: the client classifies them (duplicate or conflict) and comes back
  -- with the rest. Nothing is locked or written.
  SELECT array_agg(f.ord::integer), array_agg(encode(e.content_hash, 'hex')), array_agg(e.revision), array_agg(e.position)
    INTO v_si, v_sh, v_sr, v_sp
    FROM unnest(e_stream, e_event_id) WITH ORDINALITY AS f(x, event_id, ord)
    JOIN ${t.events} e ON e.school = p_school[f.x] AND e.event_id = f.event_id;
  IF v_si IS NOT NULL THEN
    RETURN QUERY SELECT 0, NULL::bigint[], NULL::bigint, v_si, v_sh, v_sr, v_sp;
    RETURN;
  END IF;

  -- Lock the request's existing streams in key order (so two multi-stream appends cannot
  -- deadlock) and take their revisions from the locked rows themselves.
  WITH locked AS MATERIALIZED (
    SELECT s.school, s.kind, s.id, s.revision
      FROM ${t.streams} s
      JOIN unnest(p_school, p_kind, p_id) AS k(school, kind, id) USING (school, kind, id)
     ORDER BY s.school, s.kind, s.id
       FOR UPDATE OF s
  )
  SELECT array_agg(coalesce(l.revision, -1) ORDER BY k.ord) INTO v_actual
    FROM unnest(p_school, p_kind, p_id) WITH ORDINALITY AS k(school, kind, id, ord)
    LEFT JOIN locked l USING (school, kind, id);

  FOR i IN 1 .. cardinality(p_school) LOOP
    -- (a CASE cannot stand in an IF condition: PL/pgSQL would end the condition at its first THEN)
    v_ok := CASE p_expected[i]
              WHEN 'Any' THEN true
              WHEN 'NoStream' THEN v_actual[i] = -1
              WHEN 'StreamExists' THEN v_actual[i] >= 0
              ELSE v_actual[i] = p_expected_revision[i]
            END;
    IF NOT v_ok THEN
      -- The append that moved the stream may have been this one's original (a retry racing
      -- it): its events are visible now that its lock is released. Then they are duplicates,
      -- and a retry must not fail on the expected state the original already moved.
      SELECT array_agg(f.ord::integer), array_agg(encode(e.content_hash, 'hex')), array_agg(e.revision), array_agg(e.position)
        INTO v_si, v_sh, v_sr, v_sp
        FROM unnest(e_stream, e_event_id) WITH ORDINALITY AS f(x, event_id, ord)
        JOIN ${t.events} e ON e.school = p_school[f.x] AND e.event_id = f.event_id;
      IF v_si IS NOT NULL THEN
        RETURN QUERY SELECT 0, NULL::bigint[], NULL::bigint, v_si, v_sh, v_sr, v_sp;
      ELSE
        RETURN QUERY SELECT i, v_actual, NULL::bigint, NULL::integer[], NULL::text[], NULL::bigint[], NULL::bigint[];
      END IF;
      RETURN;
    END IF;
  END LOOP;

  -- A stream created concurrently makes this insert fail on the primary key, and an event
  -- stored concurrently makes the events insert fail on (school, event_id): the client
  -- then runs the whole append again, and sees the stream or the event as it now is.
  INSERT INTO ${t.streams} (school, kind, id, revision)
  SELECT p_school[c.x], p_kind[c.x], p_id[c.x], c.n - 1
    FROM (SELECT x, count(*) AS n FROM unnest(e_stream) AS x GROUP BY x) c
   WHERE v_actual[c.x] = -1;
  UPDATE ${t.streams} s SET revision = v_actual[c.x] + c.n
    FROM (SELECT x, count(*) AS n FROM unnest(e_stream) AS x GROUP BY x) c
   WHERE v_actual[c.x] >= 0 AND s.school = p_school[c.x] AND s.kind = p_kind[c.x] AND s.id = p_id[c.x];

  -- The one serialised step. The head row stays locked until this statement's implicit
  -- transaction commits, and PostgreSQL makes a commit visible before it releases its
  -- locks: the next writer takes its positions only once these are visible, so positions
  -- become visible in order and no reader ever sees p+1 without p.
  UPDATE ${t.head} SET position = position + v_count RETURNING position - v_count INTO v_base;
  v_now := clock_timestamp();
  INSERT INTO ${t.events}
    (position, school, stream_kind, stream_id, revision, event_id, type, v, occurred_at, source, data, content_hash, recorded_at)
  SELECT v_base + u.ord, p_school[u.x], p_kind[u.x], p_id[u.x],
         v_actual[u.x] + row_number() OVER (PARTITION BY u.x ORDER BY u.ord),
         u.event_id, u.type, u.v, u.occurred_at, u.source, u.data, decode(u.hash, 'hex'), v_now
    FROM unnest(e_stream, e_event_id, e_type, e_v, e_occurred_at, e_source, e_data, e_hash)
         WITH ORDINALITY AS u(x, event_id, type, v, occurred_at, source, data, hash, ord);
  -- Delivered to listeners only after the commit.
  PERFORM pg_notify(p_channel, (v_base + v_count)::text);
  RETURN QUERY SELECT NULL::integer, v_actual, v_base, NULL::integer[], NULL::text[], NULL::bigint[], NULL::bigint[];
END
$fn$`

const deleteFunction = (t: Tables): string => `
CREATE OR REPLACE FUNCTION ${t.deleteStream}(p_school text, p_kind text, p_id text)
RETURNS void LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  -- Lock the stream first: an append holding it commits before the events are read
  -- (each statement of a volatile function sees the commits made before it started).
  PERFORM 1 FROM ${t.streams} WHERE school = p_school AND kind = p_kind AND id = p_id FOR UPDATE;
  DELETE FROM ${t.events} WHERE school = p_school AND stream_kind = p_kind AND stream_id = p_id;
  DELETE FROM ${t.streams} WHERE school = p_school AND kind = p_kind AND id = p_id;
END
$fn$`

const deleteEventsFunction = (t: Tables): string => `
CREATE OR REPLACE FUNCTION ${t.deleteEvents}(p_school text, p_positions bigint[])
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_count bigint;
  v_kinds text[];
  v_ids text[];
BEGIN
  -- Lock the streams holding these events in key order, as appends do (no deadlock): an
  -- append to one of them commits before, or waits until the deletion has committed.
  PERFORM 1 FROM ${t.streams} s
    JOIN (SELECT DISTINCT stream_kind, stream_id FROM ${t.events}
           WHERE school = p_school AND position = ANY (p_positions)) e
      ON s.school = p_school AND s.kind = e.stream_kind AND s.id = e.stream_id
   ORDER BY s.school, s.kind, s.id
     FOR UPDATE OF s;
  WITH gone AS (
    DELETE FROM ${t.events} WHERE school = p_school AND position = ANY (p_positions)
    RETURNING stream_kind, stream_id
  ), touched AS (SELECT DISTINCT stream_kind, stream_id FROM gone)
  SELECT (SELECT count(*) FROM gone), array_agg(stream_kind), array_agg(stream_id)
    INTO v_count, v_kinds, v_ids FROM touched;
  -- A stream left without events no longer exists; the others keep their revision, so
  -- that appends go on after it.
  DELETE FROM ${t.streams} s
   USING unnest(v_kinds, v_ids) AS k(kind, id)
   WHERE s.school = p_school AND s.kind = k.kind AND s.id = k.id
     AND NOT EXISTS (SELECT 1 FROM ${t.events} e
                      WHERE e.school = p_school AND e.stream_kind = k.kind AND e.stream_id = k.id);
  RETURN v_count;
END
$fn$`

// Text columns compare byte-wise (COLLATE "C"): ids are opaque, so a locale-aware
// collation would only cost time in every index operation.
const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: "events, streams, the head position, append_events and delete_stream",
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
      `CREATE TABLE ${t.head} (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        position bigint NOT NULL
      )`,
      `INSERT INTO ${t.head} (singleton, position) VALUES (true, 0)`,
      appendFunction(t),
      deleteFunction(t)
    ]
  },
  {
    version: 2,
    description: "delete_events: single events, for retention",
    statements: (t) => [deleteEventsFunction(t)]
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
 * The SQLSTATE `migrate` raises when the schema is newer than this code.
 *
 * @since 0.1.0
 * @category models
 */
export const schemaTooNewCode = "RP001"

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`

/** one DO block: every statement below runs in a single implicit transaction */
const migrationBlock = (schema: string): string => {
  const t = tables(schema)
  const steps = migrations.map(
    (m) => `
  IF v_version < ${m.version} THEN
${m
  .statements(t)
  .map((s) => `    EXECUTE ${literal(s)};`)
  .join("\n")}
    INSERT INTO ${t.version} (version, description) VALUES (${m.version}, ${literal(m.description)});
  END IF;`
  )
  return `DO $migrate$
DECLARE v_version integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(${literal(`rapport.migrate:${schema}`)}, 0));
  -- Only what is missing is created: CREATE ... IF NOT EXISTS would still demand the
  -- CREATE privilege, and a role that only uses an up-to-date store need not have it.
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${literal(schema)}) THEN
    CREATE SCHEMA ${t.schema};
  END IF;
  IF to_regclass(${literal(t.version)}) IS NULL THEN
    CREATE TABLE ${t.version} (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
  END IF;
  SELECT coalesce(max(version), 0) INTO v_version FROM ${t.version};
  IF v_version > ${latestVersion} THEN
    RAISE EXCEPTION 'schema % is at version %, newer than this code (${latestVersion}); upgrade Rapport',
      ${literal(schema)}, v_version USING ERRCODE = '${schemaTooNewCode}';
  END IF;${steps.join("")}
END
$migrate$`
}

/**
 * Creates the schema if needed and applies every missing migration, in one statement
 * under an advisory lock. Rejects with SQLSTATE {@link schemaTooNewCode} if the schema
 * is newer than this code knows: an old binary must not write to a store it does not
 * understand. Resolves with the schema's version afterwards.
 *
 * @since 0.1.0
 * @category operations
 */
export const migrate = async (sql: postgres.Sql, schema: string): Promise<number> => {
  await sql.unsafe(migrationBlock(schema))
  return latestVersion
}
