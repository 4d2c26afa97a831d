/**
 * Versions of event payloads and the upcasters that bring an older payload to the
 * current shape, so that everything after decoding sees one shape per type.
 *
 * The table {@link dataDecoders} holds, for each type, one decoder per version, oldest
 * first; its length is the current version, as `Event.currentVersions` declares it. Adding a
 * version means appending a decoder for the new shape and turning the previous current
 * schema into a legacy schema with an upcaster here. An upcaster must be total and pure
 * (old payloads are already valid in their own version) and must never invent facts it
 * cannot know: a missing field gets an explicit "unspecified" value, documented in
 * docs/events.md.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import {
  currentVersions,
  type DataOf,
  dataSchemas,
  type EventType,
  type MentorAssignedData,
  type MentorshipEndedData
} from "./Event.js"
import { FacultyId, StudentId } from "./Ids.js"
import * as SchemaGuard from "./internal/schemaGuard.js"

/**
 * Decodes one version of a type's payload and upcasts it to the current shape.
 * Failures are schema issues with paths relative to the payload.
 *
 * @since 0.1.0
 * @category models
 */
export type DataDecoder<T extends EventType> = (input: unknown) => Result.Result<DataOf<T>, SchemaIssue.Issue>

/**
 * The options every payload is decoded with: report every problem, and treat unknown
 * fields as errors (they are usually typos such as `studentID`).
 *
 * @since 0.1.0
 * @category constants
 */
export const parseOptions = { errors: "all", onExcessProperty: "error", reportInput: true } as const

const decoderOf = <A>(schema: Schema.Decoder<A>): ((input: unknown) => Result.Result<A, SchemaIssue.Issue>) => {
  const parse = SchemaParser.decodeUnknownResult(schema, parseOptions)
  return (input) => parse(input)
}

// A payload accepted by the guard is copied (with its arrays) so that, as with the
// schema's output, no decoded event shares an object with its input.
const copyPayload = <A extends object>(payload: A): A => {
  const copy = { ...payload }
  for (const key of Object.keys(copy)) {
    const value: unknown = Reflect.get(copy, key)
    if (Array.isArray(value)) Reflect.set(copy, key, [...value])
  }
  return copy
}

// The current version is what nearly every event is sent at: a compiled guard accepts
// valid payloads without the schema interpreter, and the schema decodes everything else
// (with its issues).
const current = <T extends EventType>(type: T): DataDecoder<T> => {
  const schema: Schema.Decoder<DataOf<T>> = dataSchemas[type]
  const decode = decoderOf(schema)
  const isValid = SchemaGuard.make(schema)
  if (isValid === undefined) return decode
  return (input) => (isValid(input) ? Result.succeed(copyPayload(input)) : decode(input))
}

const legacy = <A, T extends EventType>(schema: Schema.Decoder<A>, upcast: (old: A) => DataOf<T>): DataDecoder<T> => {
  const decode = decoderOf(schema)
  return (input) => Result.map(decode(input), upcast)
}

/**
 * The `program` given to mentorships recorded before `program` existed.
 *
 * @since 0.1.0
 * @category constants
 */
export const unspecifiedProgram = "unspecified"

/**
 * `MentorAssigned` version 1: the assignment without its mentoring program.
 *
 * @since 0.1.0
 * @category legacy schemas
 */
export const MentorAssignedDataV1 = Schema.Struct({ studentId: StudentId, facultyId: FacultyId })

/**
 * @since 0.1.0
 * @category legacy schemas
 */
export type MentorAssignedDataV1 = typeof MentorAssignedDataV1.Type

/**
 * `MentorshipEnded` version 1: the end of a mentorship without its program.
 *
 * @since 0.1.0
 * @category legacy schemas
 */
export const MentorshipEndedDataV1 = Schema.Struct({ studentId: StudentId, facultyId: FacultyId })

/**
 * @since 0.1.0
 * @category legacy schemas
 */
export type MentorshipEndedDataV1 = typeof MentorshipEndedDataV1.Type

/**
 * `MentorAssigned` v1 → v2: the program was not recorded, so it is "unspecified".
 *
 * @since 0.1.0
 * @category upcasters
 */
export const upcastMentorAssignedV1 = (old: MentorAssignedDataV1): MentorAssignedData => ({
  studentId: old.studentId,
  facultyId: old.facultyId,
  program: unspecifiedProgram
})

/**
 * `MentorshipEnded` v1 → v2: the program was not recorded, so it is "unspecified".
 *
 * @since 0.1.0
 * @category upcasters
 */
export const upcastMentorshipEndedV1 = (old: MentorshipEndedDataV1): MentorshipEndedData => ({
  studentId: old.studentId,
  facultyId: old.facultyId,
  program: unspecifiedProgram
})

/**
 * For each type, the payload decoder of each version, oldest first (index `v - 1`).
 * Built once, at module load.
 *
 * @since 0.1.0
 * @category decoders
 */
export const dataDecoders: { readonly [T in EventType]: readonly [DataDecoder<T>, ...Array<DataDecoder<T>>] } = {
  StudentEnrolled: [current("StudentEnrolled")],
  FacultyJoined: [current("FacultyJoined")],
  OfficeHoursVisited: [current("OfficeHoursVisited")],
  MentorshipMeetingHeld: [current("MentorshipMeetingHeld")],
  RotationCompleted: [current("RotationCompleted")],
  FollowUpSent: [current("FollowUpSent")],
  LetterRequested: [current("LetterRequested")],
  LetterSubmitted: [current("LetterSubmitted")],
  StudentStatusChanged: [current("StudentStatusChanged")],
  SpecialtyDeclared: [current("SpecialtyDeclared")],
  FacultyLeft: [current("FacultyLeft")],
  MentorAssigned: [legacy(MentorAssignedDataV1, upcastMentorAssignedV1), current("MentorAssigned")],
  MentorshipEnded: [legacy(MentorshipEndedDataV1, upcastMentorshipEndedV1), current("MentorshipEnded")],
  CourseStarted: [current("CourseStarted")],
  CourseCompleted: [current("CourseCompleted")],
  LectureEngagementRecorded: [current("LectureEngagementRecorded")],
  ResearchRoleStarted: [current("ResearchRoleStarted")],
  ResearchRoleEnded: [current("ResearchRoleEnded")],
  PublicationCoauthored: [current("PublicationCoauthored")],
  ConferencePresentationGiven: [current("ConferencePresentationGiven")],
  ClinicalFeedbackGiven: [current("ClinicalFeedbackGiven")],
  SupportCheckInHeld: [current("SupportCheckInHeld")],
  LetterCommitted: [current("LetterCommitted")],
  LetterDeclined: [current("LetterDeclined")],
  NudgeSent: [current("NudgeSent")],
  EventRetracted: [current("EventRetracted")],
  StudentErasureRequested: [current("StudentErasureRequested")]
}

/**
 * The current (newest) version of a type. Decoded events always carry it.
 *
 * @since 0.1.0
 * @category operations
 */
export const currentVersion = (type: EventType): number => currentVersions[type]

/**
 * The payload decoder of a type at a version, or `undefined` when the version does not
 * exist (below 1, not an integer, or newer than the current one).
 *
 * @since 0.1.0
 * @category operations
 */
export const dataDecoderAt = <T extends EventType>(type: T, v: number): DataDecoder<T> | undefined =>
  Number.isInteger(v) && v >= 1 && v <= currentVersions[type] ? dataDecoders[type][v - 1] : undefined
