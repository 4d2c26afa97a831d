/**
 * The advising events: what advisors, teaching faculty and student affairs do (raise a
 * concern, add or amend a note, close a case, dismiss, snooze or finish a follow-up, open
 * and fulfil an inspection request). They are written by the server on behalf of a signed
 * person, never posted by school systems to `/v1/events`, and they live in the student's
 * stream, so that an erasure removes them with everything else.
 *
 * They are deliberately not part of `Event.RapportEvent`: no fold of scores, tiers,
 * isolation or follow-up rules ever sees them, so no action counts as contact. The
 * projector passes over them (analytics `recordTypes`). Notes are education records: they
 * reach no aggregate, no export for `aggregates:read`, no webhook and no e-mail.
 *
 * This module declares and decodes; it reads no clock and performs no I/O.
 *
 * @since 0.4.0
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { CalendarDate, label, oneOf } from "../EventField.js"
import { FacultyId, OpaqueId, StudentId } from "../Ids.js"
import { concernCategories } from "./Roles.js"

/**
 * A short note: what an advisor writes on a case (at most 2,000 characters).
 *
 * @since 0.4.0
 * @category schemas
 */
export const NoteText = Schema.String.check(
  Schema.makeFilter((value: string) => value.trim().length > 0 && value.length <= 2000, {
    message: "Expected a note: 1–2,000 characters, not blank"
  })
)

/**
 * The optional short note of a concern (at most 500 characters).
 *
 * @since 0.4.0
 * @category schemas
 */
export const ConcernNote = Schema.String.check(
  Schema.makeFilter((value: string) => value.trim().length > 0 && value.length <= 500, {
    message: "Expected a short note: 1–500 characters, not blank"
  })
)

/**
 * Why a follow-up is dismissed or snoozed (a sentence, at most 500 characters).
 *
 * @since 0.4.0
 * @category schemas
 */
export const ActionReason = label("a reason", 500)

/**
 * @since 0.4.0
 * @category schemas
 */
export const ConcernCategory = oneOf(concernCategories)

/**
 * A teaching faculty member raised a concern about a student: it opens a case owned by
 * `ownerRole` (and `ownerId`, the student's advisor in that role when there is one).
 *
 * @since 0.4.0
 * @category schemas
 */
export const ConcernRaisedData = Schema.Struct({
  caseId: OpaqueId,
  studentId: StudentId,
  category: ConcernCategory,
  note: Schema.optionalKey(ConcernNote),
  raisedBy: FacultyId,
  ownerRole: oneOf(["academic-counselor", "career-advisor", "research-mentor", "student-affairs"]),
  ownerId: Schema.optionalKey(FacultyId)
})

/**
 * A note on a case; `amends` names the note it corrects (the original stays in the log).
 *
 * @since 0.4.0
 * @category schemas
 */
export const CaseNoteAddedData = Schema.Struct({
  caseId: OpaqueId,
  studentId: StudentId,
  noteId: OpaqueId,
  text: NoteText,
  author: FacultyId,
  amends: Schema.optionalKey(OpaqueId)
})

/**
 * A case was closed; the raiser is told it was handled, never how.
 *
 * @since 0.4.0
 * @category schemas
 */
export const CaseClosedData = Schema.Struct({ caseId: OpaqueId, studentId: StudentId, closedBy: FacultyId })

/**
 * A follow-up was dismissed (with a reason): it leaves the worklist for good.
 *
 * @since 0.4.0
 * @category schemas
 */
export const FollowUpDismissedData = Schema.Struct({
  studentId: StudentId,
  followUpId: OpaqueId,
  reason: ActionReason,
  by: FacultyId
})

/**
 * A follow-up was snoozed until a date (with a reason): it leaves the worklist until then.
 *
 * @since 0.4.0
 * @category schemas
 */
export const FollowUpSnoozedData = Schema.Struct({
  studentId: StudentId,
  followUpId: OpaqueId,
  reason: ActionReason,
  until: CalendarDate,
  by: FacultyId
})

/**
 * Someone marked a follow-up done by hand. It records the action, never a contact: the
 * follow-up's own state still comes from its rule.
 *
 * @since 0.4.0
 * @category schemas
 */
export const FollowUpMarkedDoneData = Schema.Struct({ studentId: StudentId, followUpId: OpaqueId, by: FacultyId })

/**
 * The student (or someone on their behalf) asked to inspect their education records: an
 * erasure waits while a request is open.
 *
 * @since 0.4.0
 * @category schemas
 */
export const InspectionRequestedData = Schema.Struct({
  studentId: StudentId,
  requestId: OpaqueId,
  by: label("a name", 200)
})

/**
 * An inspection request was fulfilled (the export was given).
 *
 * @since 0.4.0
 * @category schemas
 */
export const InspectionFulfilledData = Schema.Struct({
  studentId: StudentId,
  requestId: OpaqueId,
  by: label("a name", 200)
})

/**
 * The payload schema of each advising event type (all at version 1).
 *
 * @since 0.4.0
 * @category schemas
 */
export const advisingSchemas = {
  ConcernRaised: ConcernRaisedData,
  CaseNoteAdded: CaseNoteAddedData,
  CaseClosed: CaseClosedData,
  FollowUpDismissed: FollowUpDismissedData,
  FollowUpSnoozed: FollowUpSnoozedData,
  FollowUpMarkedDone: FollowUpMarkedDoneData,
  InspectionRequested: InspectionRequestedData,
  InspectionFulfilled: InspectionFulfilledData
} as const

/**
 * @since 0.4.0
 * @category models
 */
export type AdvisingEventType = keyof typeof advisingSchemas

/**
 * Every advising event type, in the order of docs/events.md.
 *
 * @since 0.4.0
 * @category constants
 */
export const advisingEventTypes: ReadonlyArray<AdvisingEventType> = [
  "ConcernRaised",
  "CaseNoteAdded",
  "CaseClosed",
  "FollowUpDismissed",
  "FollowUpSnoozed",
  "FollowUpMarkedDone",
  "InspectionRequested",
  "InspectionFulfilled"
]

/**
 * Whether a type names an advising event. Safe for any string.
 *
 * @since 0.4.0
 * @category guards
 */
export const isAdvisingEventType = (value: string): value is AdvisingEventType =>
  advisingEventTypes.some((type) => type === value)

/**
 * The decoded advising event of each type.
 *
 * @since 0.4.0
 * @category models
 */
export type AdvisingEventByType = {
  readonly [T in AdvisingEventType]: AdvisingEnvelope<T, (typeof advisingSchemas)[T]["Type"]>
}

/**
 * The envelope of an advising event of type `T` with payload `D`.
 *
 * @since 0.4.0
 * @category models
 */
export interface AdvisingEnvelope<T extends AdvisingEventType, D> {
  readonly id: string
  readonly type: T
  readonly occurredAt: string
  readonly data: D
}

/**
 * A decoded advising event, discriminated on `type`.
 *
 * @since 0.4.0
 * @category models
 */
export type AdvisingEvent = AdvisingEventByType[AdvisingEventType]

/**
 * @since 0.4.0
 * @category models
 */
export type AdvisingEventOf<T extends AdvisingEventType> = AdvisingEventByType[T]

interface Parts<D> {
  readonly id: string
  readonly occurredAt: string
  readonly data: D
}

const maker =
  <T extends AdvisingEventType>(type: T) =>
  (parts: Parts<(typeof advisingSchemas)[T]["Type"]>): AdvisingEnvelope<T, (typeof advisingSchemas)[T]["Type"]> => ({
    id: parts.id,
    type,
    occurredAt: parts.occurredAt,
    data: parts.data
  })

// One entry per type, so that each event is built as its own member of the union.
const makers: {
  readonly [T in AdvisingEventType]: (parts: Parts<(typeof advisingSchemas)[T]["Type"]>) => AdvisingEventByType[T]
} = {
  ConcernRaised: maker("ConcernRaised"),
  CaseNoteAdded: maker("CaseNoteAdded"),
  CaseClosed: maker("CaseClosed"),
  FollowUpDismissed: maker("FollowUpDismissed"),
  FollowUpSnoozed: maker("FollowUpSnoozed"),
  FollowUpMarkedDone: maker("FollowUpMarkedDone"),
  InspectionRequested: maker("InspectionRequested"),
  InspectionFulfilled: maker("InspectionFulfilled")
}

/**
 * Decodes the payload of an advising event of a known type (strict: unknown fields are
 * errors); the failure is the schema's message.
 *
 * @since 0.4.0
 * @category decoding
 */
export const decodeData = <T extends AdvisingEventType>(
  type: T,
  data: unknown
): Result.Result<(typeof advisingSchemas)[T]["Type"], string> => {
  const schema: Schema.Codec<(typeof advisingSchemas)[T]["Type"]> = advisingSchemas[type]
  const result = Schema.decodeUnknownResult(schema)(data, { errors: "all", onExcessProperty: "error" })
  return Result.isSuccess(result) ? Result.succeed(result.success) : Result.fail(result.failure.message)
}

/**
 * Reads a stored event as an advising event; `undefined` when it is not one (or does not
 * decode: a log written by another tool).
 *
 * @since 0.4.0
 * @category decoding
 */
export const fromStored = (stored: {
  readonly id: string
  readonly type: string
  readonly occurredAt: string
  readonly data: unknown
}): AdvisingEvent | undefined => (isAdvisingEventType(stored.type) ? decodeAs(stored.type, stored) : undefined)

const decodeAs = <T extends AdvisingEventType>(
  type: T,
  stored: { readonly id: string; readonly occurredAt: string; readonly data: unknown }
): AdvisingEventByType[T] | undefined => {
  const data = decodeData(type, stored.data)
  return Result.isFailure(data)
    ? undefined
    : makers[type]({ id: stored.id, occurredAt: stored.occurredAt, data: data.success })
}
