/**
 * Matching with capacity: whom to suggest as a student's mentor in a role, each with a
 * plain reason (load against capacity, shared specialty or department, past contact),
 * never an opaque score. For the counseling roles (LCME 11.1) anyone who supervised the
 * student, gave them clinical feedback, or sits on a grading or promotions committee is
 * never suggested, and assigning them warns (`conflictsOf`).
 *
 * This module reads no clock and performs no I/O.
 *
 * @since 0.4.0
 */
import type { CaseFile } from "./CaseFile.js"
import { isCounseling, type Role } from "./Roles.js"

/**
 * What matching knows of a faculty member.
 *
 * @since 0.4.0
 * @category models
 */
export interface Advisor {
  readonly facultyId: string
  readonly department: string | null
  /** current caseload in the role */
  readonly load: number
  /** how many advisees they take in the role */
  readonly capacity: number
  /** committees they sit on (directory attribute): "grading", "promotions", … */
  readonly committees: ReadonlyArray<string>
  /** specialties they practise (their department counts as one) */
  readonly specialties: ReadonlyArray<string>
}

/**
 * Why a pair breaks LCME 11.1.
 *
 * @since 0.4.0
 * @category models
 */
export type Conflict = "supervised-or-gave-feedback" | "grading-committee" | "promotions-committee"

/**
 * The committees whose members never counsel a student.
 *
 * @since 0.4.0
 * @category constants
 */
export const assessingCommittees: ReadonlyArray<string> = ["grading", "promotions"]

/**
 * The conflicts of counseling a student in a role (none for a role that does not counsel).
 *
 * @since 0.4.0
 * @category operations
 */
export const conflictsOf = (
  file: Pick<CaseFile, "assessors">,
  advisor: Pick<Advisor, "facultyId" | "committees">,
  role: Role
): ReadonlyArray<Conflict> => {
  if (!isCounseling(role)) return []
  const out: Array<Conflict> = []
  if (file.assessors.has(advisor.facultyId)) out.push("supervised-or-gave-feedback")
  if (advisor.committees.includes("grading")) out.push("grading-committee")
  if (advisor.committees.includes("promotions")) out.push("promotions-committee")
  return out
}

/**
 * A sentence for a conflict.
 *
 * @since 0.4.0
 * @category operations
 */
export const conflictSentence = (conflict: Conflict): string => {
  switch (conflict) {
    case "supervised-or-gave-feedback":
      return "supervised the student or gave them clinical feedback"
    case "grading-committee":
      return "sits on a grading committee"
    case "promotions-committee":
      return "sits on the promotions committee"
  }
}

/**
 * A suggestion.
 *
 * @since 0.4.0
 * @category models
 */
export interface Suggestion {
  readonly facultyId: string
  readonly department: string | null
  readonly load: number
  readonly capacity: number
  readonly sharedSpecialty: string | undefined
  readonly pastContact: boolean
  readonly reason: string
}

/**
 * The faculty with room in the role, for a student: those sharing the student's specialty
 * (interest or declared) or with past contact first, then the least loaded. Faculty at
 * capacity, the current mentor, and — for counseling roles — anyone with a conflict are
 * left out.
 *
 * @since 0.4.0
 * @category operations
 */
export const suggest = (
  file: CaseFile,
  role: Role,
  advisors: ReadonlyArray<Advisor>,
  current: string | undefined,
  limit = 5
): ReadonlyArray<Suggestion> =>
  advisors
    .filter((a) => a.facultyId !== current && a.load < a.capacity && conflictsOf(file, a, role).length === 0)
    .map((a) => {
      const sharedSpecialty = file.specialties.find(
        (s) => a.specialties.includes(s) || (a.department !== null && a.department === s)
      )
      const pastContact = file.contacts.has(a.facultyId)
      const reasons = [
        `${a.load} of ${a.capacity} advisees`,
        ...(sharedSpecialty === undefined ? [] : [`shares the student's interest in ${sharedSpecialty}`]),
        ...(pastContact ? ["has met the student before"] : [])
      ]
      return {
        facultyId: a.facultyId,
        department: a.department,
        load: a.load,
        capacity: a.capacity,
        sharedSpecialty,
        pastContact,
        reason: `${reasons.join("; ")}.`
      }
    })
    .sort(
      (a, b) =>
        Number(b.sharedSpecialty !== undefined) - Number(a.sharedSpecialty !== undefined) ||
        Number(b.pastContact) - Number(a.pastContact) ||
        a.load / a.capacity - b.load / b.capacity ||
        (a.facultyId < b.facultyId ? -1 : 1)
    )
    .slice(0, limit)
