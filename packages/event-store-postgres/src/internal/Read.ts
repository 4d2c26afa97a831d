/**
 * Reads: one stream by revision, the global log by position, the head position, and the
 * erasure of a stream. Every read is a single statement, so it sees one snapshot.
 *
 * `readAll` reads the head position in the same statement as the page: because writers
 * are serialised (see `Append.ts`), every position up to the head is committed in that
 * snapshot, so a reader that reached the end may resume after the head without ever
 * skipping an event that commits later. This module must never resume a reader after a
 * position it has not seen committed.
 *
 * @since 0.1.0
 */
import { StreamName } from "@rapport/event-store"
import type postgres from "postgres"
import type {
  AllPage,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamFilter,
  StreamId,
  StreamKind
} from "@rapport/event-store"
import type { Tables } from "./Migrations.js"

interface EventRow {
  readonly position: string
  readonly school: string
  readonly stream_kind: string
  readonly stream_id: string
  readonly revision: string
  readonly event_id: string
  readonly type: string
  readonly v: number
  readonly occurred_at: Date
  readonly source: string | null
  readonly data: unknown
  readonly hash: string
  readonly recorded_at: Date
}

/** a row of `readAll`: the head, and an event unless the page is empty */
type PageRow = { readonly head: string } & (EventRow | { readonly position: null })

const isEventRow = (row: PageRow): row is { readonly head: string } & EventRow => row.position !== null

const columns = `e.position, e.school, e.stream_kind, e.stream_id, e.revision, e.event_id, e.type, e.v, e.occurred_at,
  e.source, e.data, encode(e.content_hash, 'hex') AS hash, e.recorded_at`

const toKind = (kind: string): StreamKind => {
  const known = StreamName.kinds.find((k) => k === kind)
  if (known === undefined) throw new Error(`unknown stream kind in the events table: ${kind}`)
  return known
}

const toEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  v: row.v,
  occurredAt: row.occurred_at.toISOString(),
  ...(row.source === null ? {} : { source: row.source }),
  data: row.data,
  stream: { school: row.school, kind: toKind(row.stream_kind), id: row.stream_id },
  revision: Number(row.revision),
  position: Number(row.position),
  contentHash: row.hash,
  recordedAt: row.recorded_at.toISOString()
})

const limitOf = (maxCount: number | undefined): number | undefined =>
  maxCount === undefined ? undefined : Math.max(0, Math.floor(maxCount))

/**
 * @since 0.1.0
 * @category operations
 */
export const readStream = async (
  sql: postgres.Sql,
  t: Tables,
  stream: StreamId,
  options: ReadStreamOptions | undefined
): Promise<ReadonlyArray<RecordedEvent>> => {
  const backwards = options?.direction === "backwards"
  const limit = limitOf(options?.maxCount)
  const params: Array<string> = [stream.school, stream.kind, stream.id]
  let where = "e.school = $1 AND e.stream_kind = $2 AND e.stream_id = $3"
  if (options?.fromRevision !== undefined) {
    params.push(String(Math.floor(options.fromRevision)))
    where += ` AND e.revision ${backwards ? "<=" : ">="} $${params.length}::bigint`
  }
  let tail = ""
  if (limit !== undefined) {
    params.push(String(limit))
    tail = ` LIMIT $${params.length}::bigint`
  }
  const rows = await sql.unsafe<Array<EventRow>>(
    `SELECT ${columns} FROM ${t.events} e WHERE ${where} ORDER BY e.revision ${backwards ? "DESC" : "ASC"}${tail}`,
    params
  )
  return rows.map(toEvent)
}

/**
 * The events of one school at these positions, in position order (one statement).
 *
 * @since 0.2.0
 * @category operations
 */
export const readPositions = async (
  sql: postgres.Sql,
  t: Tables,
  school: string,
  positions: ReadonlyArray<number>
): Promise<ReadonlyArray<RecordedEvent>> => {
  if (positions.length === 0) return []
  const rows = await sql.unsafe<Array<EventRow>>(
    `SELECT ${columns} FROM ${t.events} e WHERE e.school = $1 AND e.position = ANY($2::bigint[]) ORDER BY e.position`,
    [school, `{${positions.map((p) => String(Math.floor(p))).join(",")}}`]
  )
  return rows.map(toEvent)
}

/**
 * @since 0.1.0
 * @category operations
 */
export const readAll = async (sql: postgres.Sql, t: Tables, options: ReadAllOptions): Promise<AllPage> => {
  const after = Math.max(0, Math.floor(options.after))
  const limit = limitOf(options.maxCount)
  const params: Array<string | ReadonlyArray<string>> = [String(after)]
  let where = "e.position > $1::bigint"
  const filter = options.filter
  if (filter?.school !== undefined) {
    params.push(filter.school)
    where += ` AND e.school = $${params.length}`
  }
  if (filter?.kinds !== undefined) {
    params.push(filter.kinds)
    where += ` AND e.stream_kind = ANY($${params.length}::text[])`
  }
  if (filter?.types !== undefined) {
    params.push(filter.types)
    where += ` AND e.type = ANY($${params.length}::text[])`
  }
  let tail = ""
  if (limit !== undefined) {
    // One more than asked: whether it comes back tells a full page from the end of the log.
    params.push(String(limit + 1))
    tail = ` LIMIT $${params.length}::bigint`
  }
  // The head is read in the same statement, hence the same snapshot, as the page.
  // (`LIMIT 1` tells the planner the head is one row, which keeps the estimate of this
  // statement small.)
  const rows = await sql.unsafe<Array<PageRow>>(
    `SELECT h.position AS head, p.* FROM (SELECT position FROM ${t.head} LIMIT 1) h
       LEFT JOIN LATERAL (SELECT ${columns} FROM ${t.events} e WHERE ${where} ORDER BY e.position${tail}) p ON true
      ORDER BY p.position`,
    params
  )
  const head = Number(rows[0]?.head ?? 0)
  const found = rows.filter(isEventRow)
  if (limit !== undefined && found.length > limit) {
    const events = found.slice(0, limit).map(toEvent)
    return { events, lastPosition: events[events.length - 1]?.position ?? after, isEnd: false }
  }
  return { events: found.map(toEvent), lastPosition: Math.max(after, head), isEnd: true }
}

/**
 * The position of the last committed event; it never goes back, not even when the
 * streams holding the last events are deleted.
 *
 * @since 0.1.0
 * @category operations
 */
export const headPosition = async (sql: postgres.Sql, t: Tables): Promise<number> => {
  const rows = await sql.unsafe<Array<{ readonly position: string }>>(`SELECT position FROM ${t.head}`)
  return Number(rows[0]?.position ?? 0)
}

/**
 * Deletes a stream's events and its `streams` row, in one call of `delete_stream` (see
 * `Migrations.ts`), which locks the stream first so that an append holding it commits
 * before the events are read and none is left behind. The space is reclaimed by VACUUM
 * (see docs/operations.md).
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteStream = async (sql: postgres.Sql, t: Tables, stream: StreamId): Promise<void> => {
  await sql.unsafe(`SELECT ${t.deleteStream}($1, $2, $3)`, [stream.school, stream.kind, stream.id])
}

/**
 * Deletes single events of one school by position, in one call of `delete_events` (see
 * `Migrations.ts`), which locks their streams first and drops the streams it leaves
 * empty. The space is reclaimed by VACUUM (see docs/operations.md).
 *
 * @since 0.2.0
 * @category operations
 */
export const deleteEvents = async (
  sql: postgres.Sql,
  t: Tables,
  school: string,
  positions: ReadonlyArray<number>
): Promise<number> => {
  if (positions.length === 0) return 0
  const rows = await sql.unsafe<Array<{ readonly deleted: string }>>(
    `SELECT ${t.deleteEvents}($1, $2::bigint[]) AS deleted`,
    [school, positions.map(String)]
  )
  return Number(rows[0]?.deleted ?? 0)
}

/**
 * Every stream of a kind (of one school, or of all): the `streams` table holds a row
 * exactly for the streams that hold events.
 *
 * @since 0.2.0
 * @category operations
 */
export const listStreams = async (sql: postgres.Sql, t: Tables, filter: StreamFilter): Promise<Array<StreamId>> => {
  const rows = await sql.unsafe<Array<{ readonly school: string; readonly id: string }>>(
    filter.school === undefined
      ? `SELECT school, id FROM ${t.streams} WHERE kind = $1`
      : `SELECT school, id FROM ${t.streams} WHERE kind = $1 AND school = $2`,
    filter.school === undefined ? [filter.kind] : [filter.kind, filter.school]
  )
  return rows.map((row) => ({ school: row.school, kind: filter.kind, id: row.id }))
}
