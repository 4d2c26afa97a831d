/**
 * A small school for the summary tests, as events: four students (two active, one
 * graduated, one never enrolled) and four faculty (one of whom left).
 */
import type { RapportEvent } from "../src/Event.js"
import { event } from "./scoringFixtures.js"

const month = (m: number, d = 15): string => new Date(Date.UTC(2026, m, d, 14)).toISOString()

/** Monthly mentorship meetings from January to June 2026, plus a research role. */
const mentored = (studentId: string, facultyId: string): ReadonlyArray<RapportEvent> => [
  event("MentorAssigned", month(0, 5), { studentId, facultyId, program: "advisory-college" }),
  ...[0, 1, 2, 3, 4, 5].map((m) =>
    event("MentorshipMeetingHeld", month(m), {
      studentId,
      facultyId,
      durationMinutes: 45,
      topics: ["specialty-selection", "clinical-practice"]
    })
  ),
  event("ResearchRoleStarted", month(2), { studentId, facultyId, projectId: "p-1", role: "assistant" })
]

export const asOf = "2026-07-01T00:00:00Z"

export const schoolEvents: ReadonlyArray<RapportEvent> = [
  event("StudentEnrolled", "2025-08-01T00:00:00Z", {
    studentId: "s-a",
    graduationYear: 2027,
    program: "MD",
    specialtyInterests: ["Pediatrics"]
  }),
  event("StudentEnrolled", "2025-08-01T00:00:00Z", { studentId: "s-b", graduationYear: 2027, program: "MD" }),
  event("StudentEnrolled", "2022-08-01T00:00:00Z", { studentId: "s-c", graduationYear: 2026, program: "MD" }),
  event("StudentStatusChanged", "2026-05-20T00:00:00Z", { studentId: "s-c", status: "graduated" }),
  event("FacultyJoined", "2020-01-01T00:00:00Z", { facultyId: "f-ped", department: "Pediatrics" }),
  event("FacultyJoined", "2020-01-01T00:00:00Z", { facultyId: "f-med", department: "Medicine" }),
  event("FacultyJoined", "2020-01-01T00:00:00Z", { facultyId: "f-sur", department: "Surgery" }),
  event("FacultyJoined", "2020-01-01T00:00:00Z", { facultyId: "f-left", department: "Medicine" }),
  event("FacultyLeft", "2026-03-01T00:00:00Z", { facultyId: "f-left" }),
  // s-a: advocates in f-ped (Pediatrics) and f-med (Medicine), a rotation with f-sur.
  ...mentored("s-a", "f-ped"),
  ...mentored("s-a", "f-med"),
  event("RotationCompleted", month(4, 28), {
    studentId: "s-a",
    facultyIds: ["f-sur"],
    rotationId: "r-1",
    specialty: "General Surgery",
    startedOn: "2026-05-01",
    endedOn: "2026-05-28"
  }),
  event("OfficeHoursVisited", month(5, 2), {
    studentId: "s-a",
    facultyId: "f-sur",
    durationMinutes: 30,
    topic: "career",
    initiatedBy: "student"
  }),
  event("LetterRequested", month(5, 20), {
    studentId: "s-a",
    facultyId: "f-ped",
    letterId: "l-1",
    cycle: 2027,
    specialty: "Pediatrics"
  }),
  event("LetterCommitted", month(5, 25), { studentId: "s-a", facultyId: "f-ped", letterId: "l-1" }),
  event("LetterRequested", month(5, 20), {
    studentId: "s-a",
    facultyId: "f-med",
    letterId: "l-2",
    cycle: 2027,
    specialty: "Pediatrics"
  }),
  event("LetterDeclined", month(5, 22), { studentId: "s-a", facultyId: "f-med", letterId: "l-2" }),
  // s-b: one lecture question and wellbeing check-ins only: isolated.
  event("LectureEngagementRecorded", month(1), {
    studentId: "s-b",
    facultyId: "f-med",
    courseId: "c-1",
    kind: "question"
  }),
  event("SupportCheckInHeld", month(3), { studentId: "s-b", facultyId: "f-sur", kind: "wellbeing" }),
  event("SupportCheckInHeld", month(4), { studentId: "s-b", facultyId: "f-sur", kind: "wellbeing" }),
  // s-c graduated: mentored by f-left, out of every denominator.
  ...mentored("s-c", "f-left"),
  // s-d never enrolled: a visiting student.
  event("OfficeHoursVisited", month(2), {
    studentId: "s-d",
    facultyId: "f-ped",
    durationMinutes: 20,
    topic: "other",
    initiatedBy: "faculty"
  })
]
