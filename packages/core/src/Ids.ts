/**
 * The identifiers that appear in events: the school's own opaque ids for students,
 * faculty and everything else (courses, rotations, letters, projects, …), and the UUID
 * that names an event.
 *
 * Opaque ids are the school's, not ours: this module only checks their shape (1–128
 * letters, digits and `._~:@-`) and must never interpret, normalise or case-fold them —
 * `S-1001` and `s-1001` are two different students. A student id is personal data.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"

/**
 * The shape of every opaque id: 1–128 characters of ASCII letters, digits and `._~:@-`.
 *
 * @since 0.1.0
 * @category patterns
 */
export const opaqueIdPattern: RegExp = /^[A-Za-z0-9._~:@-]{1,128}$/

/**
 * The shape of an event id: a UUID of any version in the canonical 8-4-4-4-12 form, hex
 * digits in either case.
 *
 * @since 0.1.0
 * @category patterns
 */
export const eventIdPattern: RegExp = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/

const opaque = (what: string) =>
  Schema.String.check(
    Schema.isPattern(opaqueIdPattern, {
      message: `Expected ${what}: 1–128 letters, digits or ._~:@-`
    })
  )

/**
 * Any opaque id chosen by the school (course, rotation, letter, project, publication,
 * presentation, follow-up and rule ids).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OpaqueId = opaque("an id")

/**
 * @since 0.1.0
 * @category models
 */
export type OpaqueId = typeof OpaqueId.Type

/**
 * A student's id as the school knows it. Personal data: it can be erased.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StudentId = opaque("a student id")

/**
 * @since 0.1.0
 * @category models
 */
export type StudentId = typeof StudentId.Type

/**
 * A faculty member's id as the school knows it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FacultyId = opaque("a faculty id")

/**
 * @since 0.1.0
 * @category models
 */
export type FacultyId = typeof FacultyId.Type

/**
 * An event's id: a UUID chosen by the sender, the idempotency key of the event within
 * its school. UUIDs are case-insensitive, so decoding lower-cases it: a decoded event's
 * id is always lower-case hex (and so is the `eventId` a retraction names), and
 * duplicate detection compares ids in that form. Its encoded form is its decoded form.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventId = Schema.String.check(
  Schema.isPattern(eventIdPattern, {
    message: "Expected an event id: a UUID such as 0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f"
  })
).pipe(Schema.decode(SchemaTransformation.toLowerCase()))

/**
 * @since 0.1.0
 * @category models
 */
export type EventId = typeof EventId.Type

/**
 * Whether a string is a well-formed opaque id (student, faculty or other).
 *
 * @since 0.1.0
 * @category guards
 */
export const isOpaqueId = (value: string): boolean => opaqueIdPattern.test(value)

/**
 * Whether a string is a well-formed event id.
 *
 * @since 0.1.0
 * @category guards
 */
export const isEventId = (value: string): boolean => eventIdPattern.test(value)
