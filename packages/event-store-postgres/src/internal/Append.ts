/**
 * The append transaction. One `appendMany` is one PostgreSQL transaction:
 *
 * 1. look up every `(school, event id)` of the request: same hash is a duplicate, other
 *    hash a conflict; if every event is a duplicate, answer from what is stored (no lock);
 * 2. lock the request's `streams` rows (`FOR UPDATE`, in one sorted statement, so that
 *    two multi-stream appends cannot deadlock) and check every expected state;
 * 3. write the stream revisions, then — the only serialised step — take the next
 *    positions from the `head` row (its row lock is held until commit), insert the
 *    events and `pg_notify` the channel, all in one statement; commit.
 *
 * Because no writer can take positions until the previous one has committed (and
 * PostgreSQL makes a commit visible before it releases the transaction's locks),
 * positions become visible in order: a reader never sees position p+1 without p.
 * A concurrent writer slipping the same event id in between steps 1 and 3 makes the
 * insert hit the unique index; the caller retries the whole transaction, which then sees
 * a duplicate or a conflict. Nothing in this module commits a partial request.
 *
 * @since 0.1.0
 */
import type postgres from "postgres"
import {
  type AppendedEvent,
  type AppendError,
  type AppendManyResult,
  type AppendRequest,
  type AppendResult,
  EventIdConflict,
  type ExpectedState,
  type Position,
  type Revision,
  StreamName,
  WrongExpectedRevision
} from "@rapport/event-store"
import type { Tables } from "./Migrations.js"
import type { PreparedEvent } from "./Validate.js"

/** thrown inside `sql.begin` to roll back, and turned back into a value outside it */
class Rejection {
  constructor(readonly error: AppendError) {}
}

interface StoredRow {
  readonly school: string
  readonly event_id: string
  readonly hash: string
  readonly revision: string
  readonly position: string
}

interface StreamRow {
  readonly school: string
  readonly kind: string
  readonly id: string
  readonly revision: string
}

type Outcome =
  | { readonly _tag: "Fresh"; readonly key: string }
  | { readonly _tag: "Stored"; readonly revision: Revision; readonly position: Position }
  | { readonly _tag: "Repeat"; readonly key: string }

const eventKey = (school: string, id: string): string => `${school}\u0000${id}`

const satisfies = (expected: ExpectedState, actual: Revision | "no-stream"): boolean => {
  switch (expected._tag) {
    case "Any":
      return true
    case "NoStream":
      return actual === "no-stream"
    case "StreamExists":
      return actual !== "no-stream"
    case "Exact":
      return actual === expected.revision
  }
}

const lookUp = async (
  tx: postgres.TransactionSql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>
): Promise<Map<string, StoredRow>> => {
  const keys = new Map<string, { school: string; id: string }>()
  for (const request of requests) {
    for (const event of request.events)
      keys.set(eventKey(request.stream.school, event.id), { school: request.stream.school, id: event.id })
  }
  const stored = new Map<string, StoredRow>()
  if (keys.size === 0) return stored
  const pairs = [...keys.values()]
  const rows = await tx.unsafe<Array<StoredRow>>(
    `SELECT e.school, e.event_id, encode(e.content_hash, 'hex') AS hash, e.revision, e.position
       FROM ${t.events} e
       JOIN unnest($1::text[], $2::text[]) AS k(school, event_id) USING (school, event_id)`,
    [pairs.map((p) => p.school), pairs.map((p) => p.id)]
  )
  for (const row of rows) stored.set(eventKey(row.school, row.event_id), row)
  return stored
}

const readStreams = async (
  tx: postgres.TransactionSql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>,
  lock: boolean
): Promise<Map<string, Revision>> => {
  const rows = await tx.unsafe<Array<StreamRow>>(
    `SELECT s.school, s.kind, s.id, s.revision
       FROM ${t.streams} s
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(school, kind, id) USING (school, kind, id)
      ORDER BY s.school, s.kind, s.id${lock ? " FOR UPDATE OF s" : ""}`,
    [requests.map((r) => r.stream.school), requests.map((r) => r.stream.kind), requests.map((r) => r.stream.id)]
  )
  const revisions = new Map<string, Revision>()
  for (const row of rows) {
    const kind = row.kind === "student" || row.kind === "faculty" || row.kind === "directory" ? row.kind : undefined
    if (kind === undefined) continue
    revisions.set(StreamName.encodeStreamName({ school: row.school, kind, id: row.id }), Number(row.revision))
  }
  return revisions
}

/** classifies every event in request order, the way the port defines it */
const classify = (
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>,
  stored: ReadonlyMap<string, StoredRow>
): ReadonlyArray<ReadonlyArray<Outcome>> | EventIdConflict => {
  const firstHash = new Map<string, string>()
  const outcomes: Array<Array<Outcome>> = []
  for (const [r, request] of requests.entries()) {
    const school = request.stream.school
    const row: Array<Outcome> = []
    for (const { event, hash } of prepared[r] ?? []) {
      const key = eventKey(school, event.id)
      const original = stored.get(key)
      const earlier = firstHash.get(key)
      const known = original?.hash ?? earlier
      if (known !== undefined && known !== hash) {
        return new EventIdConflict({ school, eventId: event.id, storedHash: known, attemptedHash: hash })
      }
      if (original !== undefined) {
        row.push({ _tag: "Stored", revision: Number(original.revision), position: Number(original.position) })
      } else if (earlier !== undefined) {
        row.push({ _tag: "Repeat", key })
      } else {
        row.push({ _tag: "Fresh", key })
        firstHash.set(key, hash)
      }
    }
    outcomes.push(row)
  }
  return outcomes
}

interface Written {
  readonly revision: Revision
  readonly position: Position
}

/** one array per column of `events`, as text (PostgreSQL casts them in the insert) */
interface Columns {
  readonly school: Array<string>
  readonly kind: Array<string>
  readonly streamId: Array<string>
  readonly revision: Array<string>
  readonly eventId: Array<string>
  readonly type: Array<string>
  readonly v: Array<string>
  readonly occurredAt: Array<string>
  readonly source: Array<string | null>
  readonly data: Array<string>
  readonly hash: Array<string>
}

const emptyColumns = (): Columns => ({
  school: [],
  kind: [],
  streamId: [],
  revision: [],
  eventId: [],
  type: [],
  v: [],
  occurredAt: [],
  source: [],
  data: [],
  hash: []
})

/** the columns of every fresh event, in request order, with the revisions they take */
const freshColumns = (
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>,
  outcomes: ReadonlyArray<ReadonlyArray<Outcome>>,
  actual: ReadonlyMap<string, Revision>
): { readonly columns: Columns; readonly lastRevision: ReadonlyMap<string, Revision> } => {
  const columns = emptyColumns()
  const lastRevision = new Map<string, Revision>()
  for (const [r, request] of requests.entries()) {
    const name = StreamName.encodeStreamName(request.stream)
    let revision = actual.get(name) ?? -1
    for (const [i, outcome] of (outcomes[r] ?? []).entries()) {
      const ready = prepared[r]?.[i]
      if (outcome._tag !== "Fresh" || ready === undefined) continue
      revision++
      columns.school.push(request.stream.school)
      columns.kind.push(request.stream.kind)
      columns.streamId.push(request.stream.id)
      columns.revision.push(String(revision))
      columns.eventId.push(ready.event.id)
      columns.type.push(ready.event.type)
      columns.v.push(String(ready.event.v))
      columns.occurredAt.push(ready.occurredAt)
      columns.source.push(ready.event.source ?? null)
      columns.data.push(ready.dataJson)
      columns.hash.push(ready.hash)
    }
    if (revision !== (actual.get(name) ?? -1)) lastRevision.set(name, revision)
  }
  return { columns, lastRevision }
}

const writeStreams = async (
  tx: postgres.TransactionSql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>,
  actual: ReadonlyMap<string, Revision>,
  lastRevision: ReadonlyMap<string, Revision>
): Promise<void> => {
  const created = requests.filter((r) => {
    const name = StreamName.encodeStreamName(r.stream)
    return lastRevision.has(name) && !actual.has(name)
  })
  const updated = requests.filter((r) => {
    const name = StreamName.encodeStreamName(r.stream)
    return lastRevision.has(name) && actual.has(name)
  })
  const revisionOf = (r: AppendRequest) => String(lastRevision.get(StreamName.encodeStreamName(r.stream)) ?? -1)
  if (created.length > 0) {
    await tx.unsafe(
      `INSERT INTO ${t.streams} (school, kind, id, revision)
       SELECT school, kind, id, revision::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(school, kind, id, revision)`,
      [
        created.map((r) => r.stream.school),
        created.map((r) => r.stream.kind),
        created.map((r) => r.stream.id),
        created.map(revisionOf)
      ]
    )
  }
  if (updated.length > 0) {
    await tx.unsafe(
      `UPDATE ${t.streams} s SET revision = k.revision::bigint
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(school, kind, id, revision)
        WHERE s.school = k.school AND s.kind = k.kind AND s.id = k.id`,
      [
        updated.map((r) => r.stream.school),
        updated.map((r) => r.stream.kind),
        updated.map((r) => r.stream.id),
        updated.map(revisionOf)
      ]
    )
  }
}

const insertEvents = async (tx: postgres.TransactionSql, t: Tables, columns: Columns): Promise<Position> => {
  const count = columns.eventId.length
  const rows = await tx.unsafe<Array<{ readonly base: string }>>(
    `WITH h AS (
       UPDATE ${t.head} SET position = position + $1::bigint RETURNING position - $1::bigint AS base
     ), ins AS (
       INSERT INTO ${t.events}
         (position, school, stream_kind, stream_id, revision, event_id, type, v, occurred_at, source, data, content_hash, recorded_at)
       SELECT h.base + u.ord, u.school, u.kind, u.stream_id, u.revision::bigint, u.event_id, u.type, u.v::integer,
              u.occurred_at::timestamptz, u.source, u.data::jsonb, decode(u.hash, 'hex'), statement_timestamp()
         FROM h, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                        $10::text[], $11::text[], $12::text[])
              WITH ORDINALITY AS u(school, kind, stream_id, revision, event_id, type, v, occurred_at, source, data, hash, ord)
       RETURNING 1
     )
     SELECT h.base, pg_notify($13, (h.base + $1::bigint)::text), (SELECT count(*) FROM ins) AS inserted FROM h`,
    [
      String(count),
      columns.school,
      columns.kind,
      columns.streamId,
      columns.revision,
      columns.eventId,
      columns.type,
      columns.v,
      columns.occurredAt,
      columns.source,
      columns.data,
      columns.hash,
      t.channel
    ]
  )
  const base = rows[0]?.base
  if (base === undefined) throw new Error(`the head row of ${t.schema} is missing`)
  return Number(base)
}

const results = (
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>,
  outcomes: ReadonlyArray<ReadonlyArray<Outcome>>,
  streamRevision: (name: string) => Revision,
  written: ReadonlyMap<string, Written>
): AppendManyResult => {
  const streams: Array<AppendResult> = []
  let stored = 0
  let duplicates = 0
  let position: Position = 0
  for (const [r, request] of requests.entries()) {
    const events: Array<AppendedEvent> = []
    for (const [i, outcome] of (outcomes[r] ?? []).entries()) {
      const id = prepared[r]?.[i]?.event.id ?? ""
      const at = outcome._tag === "Stored" ? outcome : written.get(outcome.key)
      if (at === undefined) throw new Error(`event ${id} was neither stored nor written`)
      const duplicate = outcome._tag !== "Fresh"
      if (duplicate) duplicates++
      else stored++
      position = Math.max(position, at.position)
      events.push({ id, revision: at.revision, position: at.position, duplicate })
    }
    streams.push({
      stream: request.stream,
      revision: streamRevision(StreamName.encodeStreamName(request.stream)),
      events
    })
  }
  return { streams, stored, duplicates, position }
}

const transaction = async (
  tx: postgres.TransactionSql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>
): Promise<AppendManyResult> => {
  const stored = await lookUp(tx, t, requests)
  const outcomes = classify(requests, prepared, stored)
  if (outcomes instanceof EventIdConflict) throw new Rejection(outcomes)
  const eventCount = outcomes.reduce((n, row) => n + row.length, 0)
  const freshCount = outcomes.reduce((n, row) => n + row.filter((o) => o._tag === "Fresh").length, 0)
  // A retry of a fully stored request must succeed whatever the streams look like now.
  const allDuplicates = eventCount > 0 && freshCount === 0
  const actual = await readStreams(tx, t, requests, freshCount > 0)
  if (!allDuplicates) {
    for (const request of requests) {
      const revision = actual.get(StreamName.encodeStreamName(request.stream))
      const found = revision ?? "no-stream"
      if (!satisfies(request.expected, found)) {
        throw new Rejection(
          new WrongExpectedRevision({ stream: request.stream, expected: request.expected, actual: found })
        )
      }
    }
  }
  const { columns, lastRevision } = freshColumns(requests, prepared, outcomes, actual)
  const written = new Map<string, Written>()
  if (freshCount > 0) {
    await writeStreams(tx, t, requests, actual, lastRevision)
    const base = await insertEvents(tx, t, columns)
    for (const [i, eventId] of columns.eventId.entries()) {
      written.set(eventKey(columns.school[i] ?? "", eventId), {
        revision: Number(columns.revision[i]),
        position: base + i + 1
      })
    }
  }
  return results(requests, prepared, outcomes, (name) => lastRevision.get(name) ?? actual.get(name) ?? -1, written)
}

/**
 * Runs one append transaction. Resolves with the result or with the port error that
 * rolled it back; rejects with whatever postgres.js threw (unavailability, a unique
 * violation from a concurrent writer to be retried, a defect).
 *
 * @since 0.1.0
 * @category operations
 */
export const appendTransaction = async (
  sql: postgres.Sql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>
): Promise<AppendManyResult | AppendError> => {
  try {
    return await sql.begin((tx) => transaction(tx, t, requests, prepared))
  } catch (error) {
    if (error instanceof Rejection) return error.error
    throw error
  }
}
