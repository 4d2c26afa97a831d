/**
 * Reads from the store's file on a connection of its own: a stream by revision, the
 * global log by position with a filter, and the head position.
 *
 * In WAL mode a reader never waits for the writer and sees only committed
 * transactions. Because there is one writer at a time and positions are assigned inside
 * its `BEGIN IMMEDIATE` transaction, commits become visible in position order: once a
 * page reports `lastPosition` p, no event at or below p can appear later. This module
 * must never write, and must never leave a read transaction open (an open snapshot
 * would keep the erasure checkpoint from truncating the WAL).
 *
 * @since 0.1.0
 */
import type { DatabaseSync, StatementSync } from "node:sqlite"
import {
  type AllPage,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamFilter,
  type StreamId,
  type StreamKind,
  StreamName
} from "@rapport/event-store"
import * as Sqlite from "./Sqlite.js"

/**
 * The reader.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reader {
  readonly readStream: (stream: StreamId, options?: ReadStreamOptions) => ReadonlyArray<RecordedEvent>
  readonly readAll: (options: ReadAllOptions) => AllPage
  readonly readPositions: (school: string, positions: ReadonlyArray<Position>) => ReadonlyArray<RecordedEvent>
  /** every stream of a kind holding events (of one school, or of all) */
  readonly listStreams: (filter: StreamFilter) => ReadonlyArray<StreamId>
  /** the highest position ever committed (positions are never reused, even after erasure) */
  readonly headPosition: () => Position
  readonly close: () => void
}

const columns =
  "position, school, stream_kind, stream_id, revision, event_id, type, v, occurred_at, source, data, content_hash, recorded_at"

const isKind = (kind: string): kind is StreamKind => StreamName.kinds.some((known) => known === kind)

const toEvent = (row: Sqlite.Row): RecordedEvent => {
  const kind = Sqlite.text(row, "stream_kind")
  if (!isKind(kind)) throw new TypeError(`column stream_kind: unknown kind ${kind}`)
  const source = Sqlite.optionalText(row, "source")
  const data: unknown = JSON.parse(Sqlite.text(row, "data"))
  return {
    id: Sqlite.text(row, "event_id"),
    type: Sqlite.text(row, "type"),
    v: Sqlite.integer(row, "v"),
    occurredAt: Sqlite.text(row, "occurred_at"),
    ...(source === undefined ? {} : { source }),
    data,
    stream: { school: Sqlite.text(row, "school"), kind, id: Sqlite.text(row, "stream_id") },
    revision: Sqlite.integer(row, "revision"),
    position: Sqlite.integer(row, "position"),
    contentHash: Sqlite.text(row, "content_hash"),
    recordedAt: Sqlite.text(row, "recorded_at")
  }
}

interface Statements {
  readonly forwards: StatementSync
  readonly backwards: StatementSync
  readonly all: StatementSync
  readonly head: StatementSync
  readonly positions: StatementSync
  readonly nextSchool: StatementSync
  readonly nextStream: StatementSync
}

const prepare = (db: DatabaseSync): Statements => ({
  forwards: db.prepare(
    `SELECT ${columns} FROM events WHERE school = ? AND stream_kind = ? AND stream_id = ? AND revision >= ?
     ORDER BY revision ASC LIMIT ?`
  ),
  backwards: db.prepare(
    `SELECT ${columns} FROM events WHERE school = ? AND stream_kind = ? AND stream_id = ? AND revision <= ?
     ORDER BY revision DESC LIMIT ?`
  ),
  // One statement for every filter shape: absent parts are NULL, lists are JSON arrays.
  // The scan follows the position index whatever the filter.
  all: db.prepare(
    `SELECT ${columns} FROM events
     WHERE position > :after
       AND (:school IS NULL OR school = :school)
       AND (:kinds IS NULL OR stream_kind IN (SELECT value FROM json_each(:kinds)))
       AND (:types IS NULL OR type IN (SELECT value FROM json_each(:types)))
     ORDER BY position ASC LIMIT :limit`
  ),
  head: db.prepare("SELECT position AS head FROM log_head"),
  // positions as a JSON array: one statement whatever their number. `+school` keeps the
  // planner off the school index: without statistics it would scan every event of the
  // school and filter by position (tens of milliseconds a call on a mid-sized school),
  // instead of looking each position up by its key.
  positions: db.prepare(
    `SELECT ${columns} FROM events WHERE position IN (SELECT value FROM json_each(?)) AND +school = ? ORDER BY position`
  ),
  // Streams are listed by skipping along the (school, stream_kind, stream_id, revision)
  // index, one seek per stream, rather than by scanning every event.
  nextSchool: db.prepare("SELECT school FROM events WHERE school > ? ORDER BY school LIMIT 1"),
  nextStream: db.prepare(
    "SELECT stream_id FROM events WHERE school = ? AND stream_kind = ? AND stream_id > ? ORDER BY stream_id LIMIT 1"
  )
})

/** how much of the file a reader maps into memory (1 GiB; the rest is read as usual) */
const readerMmapBytes = 1024 * 1024 * 1024

const limitOf = (maxCount: number | undefined): number =>
  maxCount === undefined || !Number.isFinite(maxCount) ? -1 : Math.max(0, Math.floor(maxCount))

/**
 * Opens a read connection. The schema must exist (the writer creates it first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (settings: Sqlite.ConnectionSettings): Reader => {
  const db = Sqlite.open({ path: settings.path, busyTimeoutMillis: settings.busyTimeoutMillis })
  let statements: Statements
  try {
    // A stream's events lie scattered over the table (it is ordered by position): reading
    // one is a row lookup per event. Mapping the file saves a system call and a page copy
    // per lookup, about half the time of reading a student's stream. Address space only:
    // the pages are the operating system's file cache, shared with every other reader.
    db.exec(`PRAGMA mmap_size = ${readerMmapBytes}`)
    statements = prepare(db)
  } catch (error) {
    db.close()
    throw error
  }
  const headPosition = (): Position => {
    const row = statements.head.get()
    return row === undefined ? 0 : Sqlite.integer(row, "head")
  }

  const readStream = (stream: StreamId, options?: ReadStreamOptions): ReadonlyArray<RecordedEvent> => {
    const limit = limitOf(options?.maxCount)
    if (limit === 0) return []
    const rows =
      options?.direction === "backwards"
        ? statements.backwards.all(
            stream.school,
            stream.kind,
            stream.id,
            options.fromRevision ?? Number.MAX_SAFE_INTEGER,
            limit
          )
        : statements.forwards.all(stream.school, stream.kind, stream.id, options?.fromRevision ?? 0, limit)
    return rows.map(toEvent)
  }

  const readAll = (options: ReadAllOptions): AllPage => {
    const limit = limitOf(options.maxCount)
    const filter = options.filter
    return Sqlite.snapshot(db, () => {
      if (limit === 0) {
        const head = headPosition()
        return { events: [], lastPosition: options.after, isEnd: options.after >= head }
      }
      const rows = statements.all.all({
        after: options.after,
        school: filter?.school ?? null,
        kinds: filter?.kinds === undefined ? null : JSON.stringify(filter.kinds),
        types: filter?.types === undefined ? null : JSON.stringify(filter.types),
        limit
      })
      const events = rows.map(toEvent)
      const head = headPosition()
      const last = events[events.length - 1]
      // A full page may stop short of the end; otherwise every committed position up to
      // the head has been scanned, filtered out or not.
      if (limit !== -1 && events.length >= limit && last !== undefined) {
        return { events, lastPosition: last.position, isEnd: last.position >= head }
      }
      return { events, lastPosition: Math.max(options.after, head), isEnd: true }
    })
  }

  const readPositions = (school: string, positions: ReadonlyArray<Position>): ReadonlyArray<RecordedEvent> =>
    positions.length === 0 ? [] : statements.positions.all(JSON.stringify(positions), school).map(toEvent)

  const streamsOf = (school: string, kind: StreamKind, out: Array<StreamId>): void => {
    let after = ""
    for (;;) {
      const row = statements.nextStream.get(school, kind, after)
      if (row === undefined) return
      after = Sqlite.text(row, "stream_id")
      out.push({ school, kind, id: after })
    }
  }

  const listStreams = (filter: StreamFilter): ReadonlyArray<StreamId> => {
    const out: Array<StreamId> = []
    if (filter.school !== undefined) {
      streamsOf(filter.school, filter.kind, out)
      return out
    }
    let school = ""
    for (;;) {
      const row = statements.nextSchool.get(school)
      if (row === undefined) return out
      school = Sqlite.text(row, "school")
      streamsOf(school, filter.kind, out)
    }
  }

  return { readStream, readAll, readPositions, listStreams, headPosition, close: () => db.close() }
}
