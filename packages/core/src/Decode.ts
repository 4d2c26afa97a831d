/**
 * Decoding events from the wire (untrusted JSON) into `RapportEvent`s, and encoding them
 * back.
 *
 * Decoding is strict and total: unknown fields are errors, every problem of an event is
 * reported with its path from the event root (`["data", "durationMinutes"]`), and no
 * input whatever — `null`, arrays, huge numbers, `__proto__` or `constructor` as own
 * keys — makes it throw or touch anything but its own result. It runs in two phases so
 * that messages are precise: the envelope first, then the payload schema of the event's
 * type at its version (upcast to the current version). An unknown type is one issue at
 * `["type"]`; no payload errors are guessed for it.
 *
 * A decoded event is normalised: `id` in lower case, `occurredAt` as the UTC instant
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, `v` the current version of its type. All decoders are built
 * once at module load; this module must never build schemas per call.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import {
  type DataOf,
  type Envelope,
  type EventByType,
  type EventType,
  eventTypes,
  isEventType,
  dataSchemas,
  type RapportEvent
} from "./Event.js"
import { Instant, isLabel, parseInstant, Source, sourceMaxLength } from "./EventField.js"
import { EventId, isEventId } from "./Ids.js"
import { currentVersion, type DataDecoder, dataDecoderAt, parseOptions } from "./Upcast.js"

/**
 * One problem found in an event: where (the path from the event root) and what.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * One problem found in a batch: which event (`index`, from 0), where and what.
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchDecodeIssue extends DecodeIssue {
  readonly index: number
}

const pathText = (path: ReadonlyArray<string | number>): string => (path.length === 0 ? "(event)" : path.join("."))

/**
 * An event that could not be decoded, with every problem found in it.
 *
 * @since 0.1.0
 * @category errors
 */
export class EventDecodeError extends Data.TaggedError("EventDecodeError")<{
  readonly issues: ReadonlyArray<DecodeIssue>
}> {
  override get message(): string {
    return `Invalid event: ${this.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`).join("; ")}`
  }
}

/**
 * A batch that could not be decoded, with every problem of every event in it.
 *
 * @since 0.1.0
 * @category errors
 */
export class EventBatchDecodeError extends Data.TaggedError("EventBatchDecodeError")<{
  readonly issues: ReadonlyArray<BatchDecodeIssue>
}> {
  override get message(): string {
    const events = new Set(this.issues.map((issue) => issue.index)).size
    return `Invalid batch: ${this.issues.length} problem(s) in ${events} event(s)`
  }
}

/**
 * An event in its wire form: a plain JSON object ready for `JSON.stringify`.
 *
 * @since 0.1.0
 * @category models
 */
export interface WireEvent {
  readonly id: string
  readonly type: EventType
  readonly v: number
  readonly occurredAt: string
  readonly source?: string
  readonly data: RapportEvent["data"]
}

const EnvelopeSchema = Schema.Struct({
  id: EventId,
  type: Schema.String,
  v: Schema.optionalKey(
    Schema.Int.check(Schema.isGreaterThanOrEqualTo(1, { message: "Expected a version: an integer from 1" }))
  ),
  occurredAt: Instant,
  source: Schema.optionalKey(Source),
  data: Schema.Unknown
})

const decodeEnvelope = SchemaParser.decodeUnknownResult(EnvelopeSchema, parseOptions)

const kindOf = (input: unknown): string => {
  if (input === null) return "null"
  if (Array.isArray(input)) return "an array"
  switch (typeof input) {
    case "object": {
      const prototype: unknown = Object.getPrototypeOf(input)
      return prototype === Object.prototype || prototype === null ? "an object" : "an object that is not plain JSON"
    }
    case "string":
      return "a string"
    case "number":
      return Number.isFinite(input) ? "a number" : "a number out of range"
    case "boolean":
      return "a boolean"
    default:
      return typeof input
  }
}

const expectedKind: { readonly [tag: string]: string } = {
  String: "a string",
  Number: "a number",
  Objects: "an object",
  Arrays: "an array",
  Unknown: "a value"
}

const leafHook: SchemaIssue.LeafHook = (issue) => {
  switch (issue._tag) {
    case "MissingKey":
      return "Missing required field"
    case "UnexpectedKey":
      return "Unknown field"
    case "InvalidType": {
      const expected = Object.hasOwn(expectedKind, issue.ast._tag) ? expectedKind[issue.ast._tag] : undefined
      if (expected !== undefined) {
        return SchemaIssue.hasInput(issue) ? `Expected ${expected}, got ${kindOf(issue.input)}` : `Expected ${expected}`
      }
      return SchemaIssue.defaultLeafHook(issue)
    }
    default:
      return SchemaIssue.defaultLeafHook(issue)
  }
}

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1({ leafHook })

// Unknown fields are usually typos (`studentID`, `occurred_at`): point to the field meant.
const foldName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "")

type FieldHints = ReadonlyMap<string, string>

const hintsFor = (ast: SchemaAST.AST): FieldHints =>
  new Map(
    ast._tag === "Objects"
      ? ast.propertySignatures.flatMap((field) =>
          typeof field.name === "string" ? [[foldName(field.name), field.name]] : []
        )
      : []
  )

const envelopeHints = hintsFor(EnvelopeSchema.ast)

const dataHints: ReadonlyMap<string, FieldHints> = new Map(
  eventTypes.map((type) => [type, hintsFor(dataSchemas[type].ast)])
)

// Names the field meant by an unknown key, or, when the key is a field of the current
// version of the payload but not of the older version sent, says so.
type UnknownFieldMessage = (key: string) => string

const unknownFieldMessage =
  (hints: FieldHints | undefined, version?: { readonly type: EventType; readonly v: number }): UnknownFieldMessage =>
  (key) => {
    const meant = key.length <= 64 ? hints?.get(foldName(key)) : undefined
    if (meant === undefined) return "Unknown field"
    if (meant !== key) return `Unknown field; did you mean "${meant}"?`
    if (version === undefined) return "Unknown field"
    const newest = currentVersion(version.type)
    return `Unknown field in version ${version.v} of ${version.type}; it exists from a later version (the newest is ${newest}: send "v": ${newest})`
  }

const envelopeUnknownField = unknownFieldMessage(envelopeHints)

const collect = (
  issue: SchemaIssue.Issue,
  prefix: ReadonlyArray<string>,
  unknownField: UnknownFieldMessage,
  into: Array<DecodeIssue>
): void => {
  for (const { path, message } of formatIssue(issue).issues) {
    const full: Array<string | number> = [...prefix]
    for (const segment of path ?? []) {
      const key = typeof segment === "object" ? segment.key : segment
      full.push(typeof key === "number" ? key : String(key))
    }
    const key = full.at(-1)
    const text =
      message === "Unknown field" && path?.length === 1 && typeof key === "string" ? unknownField(key) : message
    into.push({ path: full, message: text })
  }
}

// A JSON object: what JSON.parse makes (or an object without a prototype). Instances of
// classes are refused, since their inherited properties would be read as fields.
const isRecord = (input: unknown): input is { readonly [key: string]: unknown } => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false
  const prototype: unknown = Object.getPrototypeOf(input)
  return prototype === Object.prototype || prototype === null
}

const ownValue = (record: { readonly [key: string]: unknown }, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined

const shown = (text: string): string => JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)

const suggestionFor = (type: string): string | undefined => {
  if (type.length > 64) return undefined
  const folded = type.toLowerCase().replace(/[^a-z]/g, "")
  return eventTypes.find((known) => known.toLowerCase() === folded || `${known.toLowerCase()}event` === folded)
}

const unknownTypeMessage = (type: string): string => {
  const suggestion = suggestionFor(type)
  return suggestion === undefined
    ? `Unknown event type ${shown(type)}; the event types are listed in docs/events.md`
    : `Unknown event type ${shown(type)}; did you mean "${suggestion}"?`
}

const expectedData = "the event's data (a JSON object)"

const decodeData = <T extends EventType>(
  type: T,
  v: number,
  decoder: DataDecoder<T>,
  input: unknown,
  issues: Array<DecodeIssue>
): DataOf<T> | undefined => {
  const result = decoder(input)
  if (Result.isSuccess(result)) return result.success
  collect(result.failure, ["data"], unknownFieldMessage(dataHints.get(type), { type, v }), issues)
  return undefined
}

const assemble = <T extends EventType>(
  type: T,
  data: DataOf<T>,
  id: string,
  occurredAt: string,
  source: string | undefined
): Envelope<T, DataOf<T>> => {
  const v = currentVersion(type)
  return source === undefined ? { id, type, v, occurredAt, data } : { id, type, v, occurredAt, source, data }
}

const decodeTyped = <T extends EventType>(
  type: T,
  input: { readonly [key: string]: unknown },
  occurredAt: string | undefined,
  issues: Array<DecodeIssue>
): Envelope<T, DataOf<T>> | undefined => {
  const rawV = ownValue(input, "v")
  const given = rawV === undefined ? 1 : rawV
  const wellFormed = typeof given === "number" && Number.isSafeInteger(given) && given >= 1
  // A malformed v (reported by the envelope) leaves the payload's shape unknown unless the
  // type has only ever had one version: then its payload is still checked.
  if (!wellFormed && currentVersion(type) > 1) return undefined
  const v = wellFormed ? given : 1
  const decoder = dataDecoderAt(type, v)
  if (decoder === undefined) {
    const newest = currentVersion(type)
    issues.push({ path: ["v"], message: `Version ${v} of ${type} does not exist; the newest is ${newest}` })
    return undefined
  }
  if (!Object.hasOwn(input, "data")) return undefined
  if (typeof input.data === "object" && input.data !== null && !Array.isArray(input.data) && !isRecord(input.data)) {
    issues.push({ path: ["data"], message: `Expected ${expectedData}, got ${kindOf(input.data)}` })
    return undefined
  }
  const data = decodeData(type, v, decoder, input.data, issues)
  if (data === undefined || occurredAt === undefined || issues.length > 0) return undefined
  const id = ownValue(input, "id")
  const source = ownValue(input, "source")
  if (typeof id !== "string") return undefined
  return assemble(type, data, id.toLowerCase(), occurredAt, typeof source === "string" ? source : undefined)
}

type TypedDecoder<T extends EventType> = (
  input: { readonly [key: string]: unknown },
  occurredAt: string | undefined,
  issues: Array<DecodeIssue>
) => EventByType[T] | undefined

const typed =
  <T extends EventType>(type: T) =>
  (input: { readonly [key: string]: unknown }, occurredAt: string | undefined, issues: Array<DecodeIssue>) =>
    decodeTyped(type, input, occurredAt, issues)

// One entry per type so that each decoded event is checked against its own member of
// the RapportEvent union (a generic constructor cannot be).
const typedDecoders: { readonly [T in EventType]: TypedDecoder<T> } = {
  StudentEnrolled: typed("StudentEnrolled"),
  FacultyJoined: typed("FacultyJoined"),
  OfficeHoursVisited: typed("OfficeHoursVisited"),
  MentorshipMeetingHeld: typed("MentorshipMeetingHeld"),
  RotationCompleted: typed("RotationCompleted"),
  FollowUpSent: typed("FollowUpSent"),
  LetterRequested: typed("LetterRequested"),
  LetterSubmitted: typed("LetterSubmitted"),
  StudentStatusChanged: typed("StudentStatusChanged"),
  SpecialtyDeclared: typed("SpecialtyDeclared"),
  FacultyLeft: typed("FacultyLeft"),
  MentorAssigned: typed("MentorAssigned"),
  MentorshipEnded: typed("MentorshipEnded"),
  CourseStarted: typed("CourseStarted"),
  CourseCompleted: typed("CourseCompleted"),
  LectureEngagementRecorded: typed("LectureEngagementRecorded"),
  ResearchRoleStarted: typed("ResearchRoleStarted"),
  ResearchRoleEnded: typed("ResearchRoleEnded"),
  PublicationCoauthored: typed("PublicationCoauthored"),
  ConferencePresentationGiven: typed("ConferencePresentationGiven"),
  ClinicalFeedbackGiven: typed("ClinicalFeedbackGiven"),
  SupportCheckInHeld: typed("SupportCheckInHeld"),
  LetterCommitted: typed("LetterCommitted"),
  LetterDeclined: typed("LetterDeclined"),
  NudgeSent: typed("NudgeSent"),
  EventRetracted: typed("EventRetracted"),
  StudentErasureRequested: typed("StudentErasureRequested")
}

const envelopeKeys: ReadonlySet<string> = new Set(["id", "type", "v", "occurredAt", "source", "data"])

// The fast path: the same rules as EnvelopeSchema, checked by hand. Valid input (nearly
// all of it) skips the schema interpreter for the envelope; anything else goes through
// EnvelopeSchema, whose messages are the ones reported. Returns the normalised instant
// of a valid envelope.
const validEnvelopeInstant = (input: { readonly [key: string]: unknown }): string | undefined => {
  for (const key of Object.keys(input)) if (!envelopeKeys.has(key)) return undefined
  const id = ownValue(input, "id")
  const v = ownValue(input, "v")
  const occurredAt = ownValue(input, "occurredAt")
  const source = ownValue(input, "source")
  const valid =
    Object.hasOwn(input, "data") &&
    typeof id === "string" &&
    isEventId(id) &&
    typeof ownValue(input, "type") === "string" &&
    (v === undefined ? !Object.hasOwn(input, "v") : typeof v === "number" && Number.isSafeInteger(v) && v >= 1) &&
    typeof occurredAt === "string" &&
    (source === undefined
      ? !Object.hasOwn(input, "source")
      : typeof source === "string" && isLabel(source, sourceMaxLength))
  return valid ? parseInstant(occurredAt) : undefined
}

const failure = (issues: ReadonlyArray<DecodeIssue>): Result.Result<never, EventDecodeError> =>
  Result.fail(new EventDecodeError({ issues }))

/**
 * Decodes one event from untrusted input (typically `JSON.parse` output). Never throws:
 * every problem is in the `EventDecodeError`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEvent = (input: unknown): Result.Result<RapportEvent, EventDecodeError> => {
  if (!isRecord(input)) {
    return failure([{ path: [], message: `Expected an event (a JSON object), got ${kindOf(input)}` }])
  }
  const issues: Array<DecodeIssue> = []
  let occurredAt = validEnvelopeInstant(input)
  if (occurredAt === undefined) {
    const envelope = decodeEnvelope(input)
    if (Result.isFailure(envelope)) collect(envelope.failure, [], envelopeUnknownField, issues)
    else occurredAt = parseInstant(envelope.success.occurredAt)
  }
  const type = ownValue(input, "type")
  if (typeof type !== "string") return failure(issues)
  if (!isEventType(type)) {
    issues.push({ path: ["type"], message: unknownTypeMessage(type) })
    return failure(issues)
  }
  const event = typedDecoders[type](input, occurredAt, issues)
  return event === undefined ? failure(issues) : Result.succeed(event)
}

/**
 * Decodes a batch. Succeeds with every event, in order, when all of them are valid;
 * otherwise fails with every problem of every event, each with the event's `index`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEvents = (
  inputs: ReadonlyArray<unknown>
): Result.Result<ReadonlyArray<RapportEvent>, EventBatchDecodeError> => {
  const events: Array<RapportEvent> = []
  const issues: Array<BatchDecodeIssue> = []
  inputs.forEach((input, index) => {
    const result = decodeEvent(input)
    if (Result.isSuccess(result)) events.push(result.success)
    else for (const issue of result.failure.issues) issues.push({ index, path: issue.path, message: issue.message })
  })
  return issues.length === 0 ? Result.succeed(events) : Result.fail(new EventBatchDecodeError({ issues }))
}

/**
 * The wire form of a decoded event. `decodeEvent(encodeEvent(event))` gives back an
 * event deep-equal to `event`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeEvent = (event: RapportEvent): WireEvent => {
  const { id, type, v, occurredAt, data } = event
  return event.source === undefined
    ? { id, type, v, occurredAt, data }
    : { id, type, v, occurredAt, source: event.source, data }
}
