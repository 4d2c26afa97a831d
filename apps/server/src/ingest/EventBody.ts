/**
 * The body of `POST /v1/events` as Effect Schemas, for the OpenAPI document: one schema per
 * event type (the envelope with `type` fixed and `data` the payload schema `@rapport/core`
 * decodes with), their union discriminated on `type`, and a batch of them. Generated
 * clients type events from these, so a misspelt field is a compile error for the sender.
 *
 * Documentation only: what is accepted is decided by `Decode` (the same field schemas,
 * plus upcasting of older versions and the future check), never by these schemas.
 *
 * @since 0.2.0
 */
import { Event, EventField, Ids } from "@rapport/core"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { eventReference } from "./EventReference.js"

const Version = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).annotateKey({
  description:
    "the schema version of the payload, 1 if absent; older versions are upcast (see docs/events.md#versions). The schema shown is the current version's."
})

const eventOf = (type: Event.EventType) => {
  const envelope = Schema.Struct({
    // the id as sent (the decoded form is lower-cased)
    id: Schema.toEncoded(Ids.EventId).annotateKey({
      description:
        "a UUID chosen by the sender: the idempotency key, unique per school. Derive it from your own record id to make retries and re-imports harmless (docs/api.md#stable-event-ids)."
    }),
    type: Schema.Literal(type),
    v: Schema.optionalKey(Version),
    occurredAt: EventField.Instant.annotateKey({
      description: "when it happened: RFC 3339 with an offset (Z or ±hh:mm)"
    }),
    source: Schema.optionalKey(
      EventField.Source.annotateKey({ description: "the posting system (feeds the data-coverage view)" })
    ),
    data: Event.dataSchemas[type]
  })
  const reference = eventReference[type]
  // an example that does not fit its schema is left out (a test checks that none is)
  const example = reference === undefined ? undefined : Schema.decodeUnknownResult(envelope)(reference.example)
  return envelope.annotate({
    identifier: `${type}Event`,
    ...(reference === undefined ? {} : { description: reference.summary }),
    ...(example === undefined || Result.isFailure(example) ? {} : { examples: [example.success] })
  })
}

/**
 * Every event type's envelope, in the order of the reference.
 *
 * @since 0.2.0
 * @category schemas
 */
export const eventSchemas = Event.eventTypes.map(eventOf)

/**
 * One event: the union of every type, discriminated on `type`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const AnyEvent = Schema.Union(eventSchemas).annotate({
  identifier: "Event",
  description: "One event; `type` decides the schema of `data` (docs/events.md)."
})

/**
 * A batch: 1 to `batchEvents` events, stored all or nothing.
 *
 * @since 0.2.0
 * @category schemas
 */
export const EventBatch = (batchEvents: number) =>
  Schema.Array(AnyEvent)
    .check(Schema.isMinLength(1), Schema.isMaxLength(batchEvents))
    .annotate({ description: `A batch of 1 to ${batchEvents} events, stored all or nothing.` })
