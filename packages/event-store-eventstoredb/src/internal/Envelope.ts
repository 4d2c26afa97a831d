/**
 * How a Rapport event is laid out in an EventStoreDB event, and back.
 *
 * The server event's type is the Rapport type (so the server can filter on it); its
 * JSON body is the envelope `{ id, v, occurredAt, source?, data, contentHash, streamId }`
 * (`streamId`: the id of the Rapport stream, which its name no longer shows, see
 * `EventStoreDbStreamName.ts`); its server event id is a UUID derived from `(school, event id)` (SHA-256, version 8), the
 * same on every attempt, so that the server's own idempotency check on an exact
 * expected revision recognises a repeated write, and so that the adapter can find an
 * event in its stream without reading bodies. Two schools using the same event id get
 * different server ids.
 *
 * This module must never accept a body it did not write: a stream under the `rapport-`
 * prefix holding anything else is a defect, reported with the stream and revision.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import type { NewEvent, RecordedEvent, StreamId } from "@rapport/event-store"
import * as Checkpoint from "../Checkpoint.js"
import { revisionFromClient } from "../ExpectedRevision.js"
import type { ProposedEvent, StoredRecord } from "./Connection.js"

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

/**
 * A UUID (RFC 9562 version 8) derived from a namespace and parts; equal inputs give
 * equal ids.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const derivedUuid = (namespace: string, ...parts: ReadonlyArray<string>): string => {
  const digest = createHash("sha256")
    .update([namespace, ...parts].join("\u0000"), "utf8")
    .digest()
  const bytes = Uint8Array.from(digest.subarray(0, 16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * The server event id of a Rapport event of a school.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const serverEventId = (school: string, eventId: string): string => derivedUuid("rapport/event", school, eventId)

/**
 * The server event for a Rapport event. `attempt` (metadata) names the append attempt
 * that wrote it: when the server acknowledges a repeated write without storing it
 * again, the attempt that reads back another attempt's name knows it stored nothing.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toProposed = (stream: StreamId, event: NewEvent, contentHash: string, attempt: string): ProposedEvent => ({
  eventId: serverEventId(stream.school, event.id),
  metadata: { attempt },
  type: event.type,
  data: {
    id: event.id,
    v: event.v,
    occurredAt: event.occurredAt,
    ...(event.source === undefined ? {} : { source: event.source }),
    data: event.data,
    contentHash,
    streamId: stream.id
  }
})

/**
 * The bytes KurrentDB counts for one event against its `MaxAppendSize`: the data, the
 * metadata and twice the type's length in UTF-16 code units (`Event.SizeOnDisk`, 25.0
 * and later; 24.10 counted the data only). The client sends the JSON of both, metadata
 * `{}` when there is none.
 *
 * @since 0.1.0
 * @category encoding
 */
export const serverSize = (event: ProposedEvent): number =>
  Buffer.byteLength(JSON.stringify(event.data), "utf8") +
  Buffer.byteLength(JSON.stringify(event.metadata ?? {}), "utf8") +
  2 * event.type.length

/**
 * Bytes added per event on top of {@link serverSize}, so that a server counting a little
 * more (a future version, record headers) still accepts what the adapter lets through.
 *
 * @since 0.1.0
 * @category encoding
 */
export const sizeMargin = 64

/**
 * What the adapter counts against `maxAppendSize` for one single-stream write: the
 * server's count plus the margin, per event. Never less than the server's count.
 *
 * @since 0.1.0
 * @category encoding
 */
export const appendSize = (events: ReadonlyArray<ProposedEvent>): number =>
  events.reduce((sum, event) => sum + serverSize(event) + sizeMargin, 0)

const own = (value: object, key: string): unknown => Object.getOwnPropertyDescriptor(value, key)?.value

/**
 * The attempt that wrote a record, from its metadata.
 *
 * @since 0.1.0
 * @category decoding
 */
export const attemptOf = (record: StoredRecord): string | undefined => {
  const metadata = record.metadata
  const attempt = typeof metadata === "object" && metadata !== null ? own(metadata, "attempt") : undefined
  return typeof attempt === "string" ? attempt : undefined
}

/**
 * The id of the Rapport stream a record's body says it belongs to.
 *
 * @since 0.1.0
 * @category decoding
 */
export const streamIdOf = (record: StoredRecord): string | undefined => {
  const body = record.data
  const id = typeof body === "object" && body !== null ? own(body, "streamId") : undefined
  return typeof id === "string" ? id : undefined
}

/**
 * The Rapport event in a server record of `stream`, or a message saying what is wrong.
 *
 * @since 0.1.0
 * @category decoding
 */
export const fromRecord = (stream: StreamId, record: StoredRecord): RecordedEvent | string => {
  const where = `event ${record.revision} of stream ${record.streamName}`
  const body = record.data
  if (typeof body !== "object" || body === null || Array.isArray(body)) return `${where} has no Rapport envelope`
  const id = own(body, "id")
  const v = own(body, "v")
  const occurredAt = own(body, "occurredAt")
  const source = own(body, "source")
  const contentHash = own(body, "contentHash")
  if (typeof id !== "string" || typeof v !== "number" || typeof occurredAt !== "string") {
    return `${where} lacks id, v or occurredAt`
  }
  if (typeof contentHash !== "string" || !(source === undefined || typeof source === "string")) {
    return `${where} has a malformed contentHash or source`
  }
  if (!Object.hasOwn(body, "data")) return `${where} has no data`
  if (own(body, "streamId") !== stream.id) return `${where} does not belong to the stream it was read from`
  const revision = revisionFromClient(record.revision)
  if (revision === undefined) return `${where} has a revision beyond Number.MAX_SAFE_INTEGER`
  if (record.position === undefined) {
    return `${where} came without its $all position: EventStoreDB 22.6 or later (or KurrentDB) is required, and events written in explicit transactions have none`
  }
  const position = Checkpoint.toPosition(record.position)
  if (position === undefined) return `${where} has a commit position beyond Number.MAX_SAFE_INTEGER`
  return {
    id,
    type: record.type,
    v,
    occurredAt,
    ...(source === undefined ? {} : { source }),
    data: own(body, "data"),
    stream,
    revision,
    position,
    contentHash,
    recordedAt: record.created.toISOString()
  }
}
