import { describe, expect, it } from "vitest"
import { Advising, Event } from "../../src/index.js"

const { CaseFile, Matching, Roles, Worklist, AdvisingEvent } = Advising
let n = 0
const id = () => `00000000-0000-7000-8000-${(n++).toString(16).padStart(12, "0")}`
const at = (day: string) => `${day}T12:00:00.000Z`
const advising = (type: string, day: string, data: unknown) => {
  const event = AdvisingEvent.fromStored({ id: id(), type, occurredAt: at(day), data })
  if (event === undefined) throw new Error(`bad ${type}`)
  return event
}

const s = "s-1"
const events = () => [
  Event.make("StudentEnrolled", {
    id: id(),
    occurredAt: at("2025-08-01"),
    data: { studentId: s, graduationYear: 2027, program: "MD", specialtyInterests: ["Surgery"] }
  }),
  Event.make("ClinicalFeedbackGiven", {
    id: id(),
    occurredAt: at("2026-01-10"),
    data: { studentId: s, facultyId: "f-grader", setting: "rotation", domains: ["clinical-skills"] }
  }),
  Event.make("OfficeHoursVisited", {
    id: id(),
    occurredAt: at("2026-01-11"),
    data: { studentId: s, facultyId: "f-teacher", durationMinutes: 20, topic: "career", initiatedBy: "student" }
  }),
  Event.make("MentorAssigned", {
    id: id(),
    occurredAt: at("2026-01-12"),
    data: { studentId: s, facultyId: "f-old", program: "advisory-college" }
  }),
  advising("ConcernRaised", "2026-02-01", {
    caseId: "c-1",
    studentId: s,
    category: "wellbeing",
    raisedBy: "f-teacher",
    ownerRole: "student-affairs",
    note: "seemed exhausted"
  }),
  advising("CaseNoteAdded", "2026-02-02", {
    caseId: "c-1",
    studentId: s,
    noteId: "n-1",
    text: "Met; referred.",
    author: "f-sa"
  }),
  advising("CaseNoteAdded", "2026-02-03", {
    caseId: "c-1",
    studentId: s,
    noteId: "n-2",
    text: "Met; referred to counseling.",
    author: "f-sa",
    amends: "n-1"
  }),
  advising("FollowUpSnoozed", "2026-02-04", {
    studentId: s,
    followUpId: "fu-1",
    reason: "on leave",
    until: "2026-03-01",
    by: "f-old"
  }),
  advising("FollowUpDismissed", "2026-02-04", { studentId: s, followUpId: "fu-2", reason: "not relevant", by: "f-old" })
]

describe("CaseFile", () => {
  it("folds mentors, teachers, assessors, cases with amended notes and follow-up actions, in any order", () => {
    const list = events()
    const file = CaseFile.fold(s, list)
    expect(CaseFile.fold(s, [...list].reverse())).toEqual(file)
    expect(file.mentors.get("advisory-college")).toBe("f-old")
    expect([...file.assessors]).toEqual(["f-grader"])
    expect(file.teachers.has("f-teacher")).toBe(true)
    const theCase = file.cases.get("c-1")
    expect(theCase?.notes.map((x) => x.text)).toEqual(["Met; referred to counseling."])
    expect(theCase?.notes[0]?.amendments.map((x) => x.text)).toEqual(["Met; referred."])
    expect(CaseFile.isSetAside(file, "fu-1", "2026-02-10")).toBe(true)
    expect(CaseFile.isSetAside(file, "fu-1", "2026-03-01")).toBe(false)
    expect(CaseFile.isSetAside(file, "fu-2", "2027-01-01")).toBe(true)
  })

  it("closes a case once", () => {
    const file = CaseFile.fold(s, [
      ...events(),
      advising("CaseClosed", "2026-02-05", { caseId: "c-1", studentId: s, closedBy: "f-sa" })
    ])
    expect(CaseFile.openCases(file)).toEqual([])
    expect(file.cases.get("c-1")?.closedBy).toBe("f-sa")
  })

  it("refuses unknown fields and unknown categories", () => {
    expect(
      AdvisingEvent.fromStored({
        id: id(),
        type: "ConcernRaised",
        occurredAt: at("2026-01-01"),
        data: { caseId: "c", studentId: s, category: "gossip", raisedBy: "f", ownerRole: "student-affairs" }
      })
    ).toBeUndefined()
    expect(
      AdvisingEvent.fromStored({
        id: id(),
        type: "FollowUpMarkedDone",
        occurredAt: at("2026-01-01"),
        data: { studentId: s, followUpId: "x", by: "f", extra: 1 }
      })
    ).toBeUndefined()
  })
})

describe("Roles", () => {
  it("sends wellbeing and health to student affairs only", () => {
    expect(Roles.concernCategories.filter((c) => Roles.ownerRoleOf(c) === "student-affairs")).toEqual([
      "wellbeing",
      "health"
    ])
    expect(Roles.roleOfProgram(Roles.defaultProgramRoles, "__proto__")).toBeUndefined()
  })
})

describe("Matching", () => {
  const file = CaseFile.fold(s, events())
  const advisor = (facultyId: string, over: Partial<Advising.Matching.Advisor> = {}): Advising.Matching.Advisor => ({
    facultyId,
    department: "Medicine",
    load: 1,
    capacity: 5,
    committees: [],
    specialties: [],
    ...over
  })
  it("never suggests an assessor or a committee member for counseling, nor anyone at capacity, and says why", () => {
    const list = [
      advisor("f-grader"),
      advisor("f-committee", { committees: ["promotions"] }),
      advisor("f-full", { load: 5 }),
      advisor("f-surgeon", { department: "Surgery", load: 3 }),
      advisor("f-teacher")
    ]
    const suggested = Matching.suggest(file, "academic-counselor", list, "f-old")
    expect(suggested.map((x) => x.facultyId)).toEqual(["f-surgeon", "f-teacher"])
    expect(suggested[0]?.reason).toBe("3 of 5 advisees; shares the student's interest in Surgery.")
    expect(suggested[1]?.reason).toBe("1 of 5 advisees; has met the student before.")
    expect(Matching.conflictsOf(file, advisor("f-grader", { committees: ["grading"] }), "academic-counselor")).toEqual([
      "supervised-or-gave-feedback",
      "grading-committee"
    ])
    expect(Matching.conflictsOf(file, advisor("f-grader"), "research-mentor")).toEqual([])
  })
})

describe("Worklist", () => {
  it("puts open cases first, then follow-ups by rule priority, overdue before due, and cuts to the limit", () => {
    const fu = (followUpId: string, ruleId: string, dueOn: string) => ({
      followUpId,
      ruleId,
      dueOn,
      sentence: `${ruleId} for them`,
      facultyIds: []
    })
    const candidate = (
      studentId: string,
      followUps: Array<ReturnType<typeof fu>>,
      cases: Advising.Worklist.Candidate["cases"] = []
    ) => ({ studentId, graduationYear: 2027, program: "MD", advisors: {}, followUps, cases })
    const out = Worklist.rank(
      [
        candidate("a", [fu("1", "thank-you", "2026-01-01")]),
        candidate("b", [fu("2", "letter-readiness", "2026-12-01")]),
        candidate(
          "c",
          [],
          [
            {
              caseId: "c-1",
              category: "academic",
              ownerRole: "academic-counselor",
              ownerId: undefined,
              raisedAt: at("2026-02-01")
            }
          ]
        ),
        candidate("d", [fu("3", "letter-readiness", "2026-01-01")]),
        candidate("e", [])
      ],
      "2026-02-10",
      3
    )
    expect(out.total).toBe(4)
    expect(out.items.map((i) => i.studentId)).toEqual(["c", "d", "b"])
    expect(out.items[1]?.reason).toBe("letter-readiness for them (overdue since 2026-01-01)")
    expect(out.items[0]?.suggestedAction).toContain("Open the case")
  })
})
