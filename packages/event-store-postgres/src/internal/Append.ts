/**
 * The append: in the common case ONE statement, a call of `append_events` (see
 * `Migrations.ts`), which runs as its own transaction; the client never sends BEGIN,
 * COMMIT or ROLLBACK.
 *
 * The client validates and hashes the events, settles repeats inside the request, and
 * sends the first occurrence of every id not known to be stored. `append_events` either
 * answers which of them are stored already (writing nothing), or locks the streams,
 * checks every expected state, writes the revisions, takes positions under the head row
 * lock, inserts and notifies — all or nothing. With what is stored, the client classifies
 * each event the way the port defines it (duplicate, conflict — reported in request
 * order, exactly as the in-memory store does) and calls again with what is left, until
 * every event is either written or a duplicate; each round learns of at least one more
 * stored event, so this ends.
 *
 * A concurrent writer storing the same event id (or creating the same stream) during
 * the call makes it fail on a unique index and roll back; the caller runs the whole
 * append again. Nothing in this module can commit part of a request.
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
  WrongExpectedRevision
} from "@rapport/event-store"
import type { Tables } from "./Migrations.js"
import type { PreparedEvent } from "./Validate.js"

interface StoredRow {
  readonly school: string
  readonly event_id: string
  readonly hash: string
  readonly revision: string
  readonly position: string
}

/** an event already stored, as far as this append knows */
interface Stored {
  readonly hash: string
  readonly revision: Revision
  readonly position: Position
}

interface StreamRow {
  readonly school: string
  readonly kind: string
  readonly id: string
  readonly revision: string
}

interface AppendRow {
  readonly failed: number | null
  readonly actual: ReadonlyArray<string> | null
  readonly base: string | null
  readonly stored_index: ReadonlyArray<number> | null
  readonly stored_hash: ReadonlyArray<string> | null
  readonly stored_revision: ReadonlyArray<string> | null
  readonly stored_position: ReadonlyArray<string> | null
}

type Outcome =
  | { readonly _tag: "Fresh"; readonly key: string; readonly request: number; readonly event: PreparedEvent }
  | { readonly _tag: "Stored"; readonly revision: Revision; readonly position: Position }
  | { readonly _tag: "Repeat"; readonly key: string }

interface Written {
  readonly revision: Revision
  readonly position: Position
}

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
  sql: postgres.Sql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>
): Promise<Map<string, Stored>> => {
  const keys = new Map<string, { school: string; id: string }>()
  for (const request of requests) {
    for (const event of request.events) {
      keys.set(eventKey(request.stream.school, event.id), { school: request.stream.school, id: event.id })
    }
  }
  const stored = new Map<string, Stored>()
  if (keys.size === 0) return stored
  const pairs = [...keys.values()]
  const rows = await sql.unsafe<Array<StoredRow>>(
    `SELECT e.school, e.event_id, encode(e.content_hash, 'hex') AS hash, e.revision, e.position
       FROM ${t.events} e
       JOIN unnest($1::text[], $2::text[]) AS k(school, event_id) USING (school, event_id)`,
    [pairs.map((p) => p.school), pairs.map((p) => p.id)]
  )
  for (const row of rows) {
    stored.set(eventKey(row.school, row.event_id), {
      hash: row.hash,
      revision: Number(row.revision),
      position: Number(row.position)
    })
  }
  return stored
}

/** the streams' current revisions, without locks (for answers that write nothing) */
const readRevisions = async (
  sql: postgres.Sql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>
): Promise<ReadonlyArray<Revision | "no-stream">> => {
  const rows = await sql.unsafe<Array<StreamRow>>(
    `SELECT s.school, s.kind, s.id, s.revision
       FROM ${t.streams} s
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(school, kind, id) USING (school, kind, id)`,
    [requests.map((r) => r.stream.school), requests.map((r) => r.stream.kind), requests.map((r) => r.stream.id)]
  )
  const byKey = new Map(rows.map((row) => [`${row.school}\u0000${row.kind}\u0000${row.id}`, Number(row.revision)]))
  return requests.map((r) => byKey.get(`${r.stream.school}\u0000${r.stream.kind}\u0000${r.stream.id}`) ?? "no-stream")
}

/** classifies every event in request order, the way the port defines it */
const classify = (
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>,
  stored: ReadonlyMap<string, Stored>
): ReadonlyArray<ReadonlyArray<Outcome>> | EventIdConflict => {
  const firstHash = new Map<string, string>()
  const outcomes: Array<Array<Outcome>> = []
  for (const [r, request] of requests.entries()) {
    const school = request.stream.school
    const row: Array<Outcome> = []
    for (const ready of prepared[r] ?? []) {
      const key = eventKey(school, ready.event.id)
      const original = stored.get(key)
      const earlier = firstHash.get(key)
      const known = original?.hash ?? earlier
      if (known !== undefined && known !== ready.hash) {
        return new EventIdConflict({ school, eventId: ready.event.id, storedHash: known, attemptedHash: ready.hash })
      }
      if (original !== undefined) {
        row.push({ _tag: "Stored", revision: original.revision, position: original.position })
      } else if (earlier !== undefined) {
        row.push({ _tag: "Repeat", key })
      } else {
        row.push({ _tag: "Fresh", key, request: r, event: ready })
        firstHash.set(key, ready.hash)
      }
    }
    outcomes.push(row)
  }
  return outcomes
}

const results = (
  requests: ReadonlyArray<AppendRequest>,
  outcomes: ReadonlyArray<ReadonlyArray<Outcome>>,
  revisions: ReadonlyArray<Revision>,
  written: ReadonlyMap<string, Written>
): AppendManyResult => {
  const streams: Array<AppendResult> = []
  let stored = 0
  let duplicates = 0
  let position: Position = 0
  for (const [r, request] of requests.entries()) {
    const events: Array<AppendedEvent> = []
    for (const [i, outcome] of (outcomes[r] ?? []).entries()) {
      const id = request.events[i]?.id ?? ""
      const at = outcome._tag === "Stored" ? outcome : written.get(outcome.key)
      if (at === undefined) throw new Error(`event ${id} was neither stored before nor written now`)
      const duplicate = outcome._tag !== "Fresh"
      if (duplicate) duplicates++
      else stored++
      position = Math.max(position, at.position)
      events.push({ id, revision: at.revision, position: at.position, duplicate })
    }
    streams.push({ stream: request.stream, revision: revisions[r] ?? -1, events })
  }
  return { streams, stored, duplicates, position }
}

const callAppend = async (
  sql: postgres.Sql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>,
  fresh: ReadonlyArray<Extract<Outcome, { _tag: "Fresh" }>>
): Promise<AppendRow> => {
  const rows = await sql.unsafe<Array<AppendRow>>(
    `SELECT failed, actual::text[] AS actual, base, stored_index, stored_hash, stored_revision::text[] AS stored_revision,
            stored_position::text[] AS stored_position
       FROM ${t.appendEvents}(
       $1::text[], $2::text[], $3::text[], $4::text[], $5::text[]::bigint[],
       $6::text[]::integer[], $7::text[], $8::text[], $9::text[]::integer[], $10::text[]::timestamptz[],
       $11::text[], $12::text[]::jsonb[], $13::text[], $14::text)`,
    [
      requests.map((r) => r.stream.school),
      requests.map((r) => r.stream.kind),
      requests.map((r) => r.stream.id),
      requests.map((r) => r.expected._tag),
      requests.map((r) => (r.expected._tag === "Exact" ? String(r.expected.revision) : "-1")),
      fresh.map((f) => String(f.request + 1)),
      fresh.map((f) => f.event.event.id),
      fresh.map((f) => f.event.event.type),
      fresh.map((f) => String(f.event.event.v)),
      fresh.map((f) => f.event.occurredAt),
      fresh.map((f) => f.event.event.source ?? null),
      fresh.map((f) => f.event.dataJson),
      fresh.map((f) => f.event.hash),
      t.channel
    ]
  )
  const row = rows[0]
  if (row === undefined) throw new Error("append_events returned no row")
  return row
}

/** whether the request repeats an id with other content (reported against what is stored, so look first) */
const repeatsWithOtherContent = (
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>
): boolean => {
  const hashes = new Map<string, string>()
  for (const [r, request] of requests.entries()) {
    for (const ready of prepared[r] ?? []) {
      const key = eventKey(request.stream.school, ready.event.id)
      const first = hashes.get(key)
      if (first !== undefined && first !== ready.hash) return true
      hashes.set(key, ready.hash)
    }
  }
  return false
}

/**
 * Runs one append. Resolves with the result or with the port error that stopped it
 * (nothing written); rejects with whatever postgres.js threw (unavailability, a unique
 * violation from a concurrent writer to be retried, a defect).
 *
 * @since 0.1.0
 * @category operations
 */
export const append = async (
  sql: postgres.Sql,
  t: Tables,
  requests: ReadonlyArray<AppendRequest>,
  prepared: ReadonlyArray<ReadonlyArray<PreparedEvent>>
): Promise<AppendManyResult | AppendError> => {
  const stored = repeatsWithOtherContent(requests, prepared)
    ? await lookUp(sql, t, requests)
    : new Map<string, Stored>()
  for (;;) {
    const outcomes = classify(requests, prepared, stored)
    if (outcomes instanceof EventIdConflict) return outcomes
    const fresh = outcomes.flatMap((row) =>
      row.filter((o): o is Extract<Outcome, { _tag: "Fresh" }> => o._tag === "Fresh")
    )
    if (fresh.length === 0) {
      const current = await readRevisions(sql, t, requests)
      // A retry of a fully stored request must succeed whatever the streams look like now;
      // a request without events is only a check of the expected states.
      if (outcomes.every((row) => row.length === 0)) {
        for (const [r, request] of requests.entries()) {
          const actual = current[r] ?? "no-stream"
          if (!satisfies(request.expected, actual)) {
            return new WrongExpectedRevision({ stream: request.stream, expected: request.expected, actual })
          }
        }
      }
      return results(
        requests,
        outcomes,
        current.map((c) => (c === "no-stream" ? -1 : c)),
        new Map()
      )
    }
    const row = await callAppend(sql, t, requests, fresh)
    if (row.failed === 0) {
      const learned = learnStored(row, fresh, stored)
      if (learned === 0) throw new Error("append_events reported stored events but named none")
      continue
    }
    const before = (row.actual ?? []).map(Number)
    if (row.failed !== null) {
      const request = requests[row.failed - 1]
      const revision = before[row.failed - 1] ?? -1
      if (request === undefined) throw new Error(`append_events failed on unknown stream ${row.failed}`)
      return new WrongExpectedRevision({
        stream: request.stream,
        expected: request.expected,
        actual: revision < 0 ? "no-stream" : revision
      })
    }
    const base = Number(row.base)
    // The same numbering append_events used: positions in request order, revisions per stream.
    const revisions = [...before]
    const written = new Map<string, Written>()
    for (const [i, f] of fresh.entries()) {
      const revision = (revisions[f.request] ?? -1) + 1
      revisions[f.request] = revision
      written.set(f.key, { revision, position: base + i + 1 })
    }
    return results(requests, outcomes, revisions, written)
  }
}

/** records the stored events `append_events` named; returns how many were new to `stored` */
const learnStored = (
  row: AppendRow,
  fresh: ReadonlyArray<Extract<Outcome, { _tag: "Fresh" }>>,
  stored: Map<string, Stored>
): number => {
  let learned = 0
  for (const [i, index] of (row.stored_index ?? []).entries()) {
    const candidate = fresh[index - 1]
    const hash = row.stored_hash?.[i]
    if (candidate === undefined || hash === undefined || stored.has(candidate.key)) continue
    stored.set(candidate.key, {
      hash,
      revision: Number(row.stored_revision?.[i]),
      position: Number(row.stored_position?.[i])
    })
    learned++
  }
  return learned
}
