/**
 * Where every event lives: the one place that maps an event to its stream. The server
 * appends with it; the projector and the student/faculty pages read with it. See
 * docs/architecture.md ("Streams") for why every student-related event lives in the
 * student's stream.
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import type { StreamId } from "@rapport/event-store"

/**
 * The stream of the school's retractions.
 *
 * @since 0.1.0
 * @category constants
 */
export const retractionsId = "retractions"

/**
 * The stream an event belongs to.
 *
 * @since 0.1.0
 * @category operations
 */
export const streamFor = (school: string, event: Event.RapportEvent): StreamId => {
  switch (event.type) {
    case "FacultyJoined":
    case "FacultyLeft":
      return { school, kind: "faculty", id: event.data.facultyId }
    case "EventRetracted":
      return { school, kind: "school", id: retractionsId }
    default:
      return { school, kind: "student", id: event.data.studentId }
  }
}

/**
 * A student's stream.
 *
 * @since 0.1.0
 * @category constructors
 */
export const student = (school: string, studentId: string): StreamId => ({ school, kind: "student", id: studentId })

/**
 * A faculty member's stream (their lifecycle events only; interactions live with students).
 *
 * @since 0.1.0
 * @category constructors
 */
export const faculty = (school: string, facultyId: string): StreamId => ({ school, kind: "faculty", id: facultyId })
