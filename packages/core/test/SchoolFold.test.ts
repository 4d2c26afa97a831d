import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import type { RapportEvent } from "../src/Event.js"
import * as Pair from "../src/Pair.js"
import * as SchoolFold from "../src/SchoolFold.js"
import * as Snapshot from "../src/Snapshot.js"
import * as State from "../src/State.js"
import type { SchoolState } from "../src/State.js"
import { differs, event, history, permutation, retraction, studentIds } from "./scoringFixtures.js"

const paris = Config.makeConfig({ timeZone: "Europe/Paris" })
const config = paris._tag === "Success" ? paris.success : Config.defaultConfig

const fold = (events: ReadonlyArray<RapportEvent>): SchoolState => SchoolFold.fromEvents(events, config)

const expectSameState = (a: SchoolState, b: SchoolState): void => {
  const sa = Snapshot.of(a)
  const sb = Snapshot.of(b)
  expect(differs(sa, sb), "snapshot").toBeUndefined()
  expect(Snapshot.equal(sa, sb)).toBe(true)
}

const scoresOf = (state: SchoolState, asOfMs: number) =>
  [...state.students.values()]
    .flatMap((s) => [...s.pairs.values()].map((p) => Pair.relationshipScore(p, asOfMs, state)))
    .sort((a, b) => `${a.studentId} ${a.facultyId}`.localeCompare(`${b.studentId} ${b.facultyId}`))

/** A history plus retractions of some of its events (and of one id never seen). */
const withRetractions = history().chain((events) =>
  fc.subarray([...events]).map((retracted) => ({
    events,
    retracted: new Set(retracted.map((e) => e.id)),
    retractions: [...retracted.map((e) => retraction(e.id)), retraction("ffffffff-ffff-4fff-8fff-ffffffffffff")]
  }))
)

describe("SchoolFold", () => {
  it("gives the same state for any order of the same events", () => {
    fc.assert(
      fc.property(
        withRetractions.chain((h) => {
          const all = [
            ...h.events,
            ...h.retractions,
            event("StudentErasureRequested", "2026-01-01T00:00:00Z", { studentId: "s-3" })
          ]
          return fc.tuple(fc.constant(all), permutation(all))
        }),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        ([sorted, shuffled], asOfMs) => {
          const a = fold(sorted)
          const b = fold(shuffled)
          expectSameState(a, b)
          expect(differs(scoresOf(a, asOfMs), scoresOf(b, asOfMs))).toBeUndefined()
        }
      ),
      { numRuns: 150 }
    )
  })

  it("forgets a retracted event, whether the retraction comes before or after it", () => {
    fc.assert(
      fc.property(withRetractions, ({ events, retracted, retractions }) => {
        const never = fold(events.filter((e) => !retracted.has(e.id)))
        expectSameState(fold([...events, ...retractions]), never)
        expectSameState(fold([...retractions, ...events]), never)
      }),
      { numRuns: 150 }
    )
  })

  it("erases a student entirely and ignores their later events", () => {
    fc.assert(
      fc.property(history(), fc.constantFrom(...studentIds), fc.nat(40), (events, studentId, cut) => {
        const about = (e: RapportEvent) => "studentId" in e.data && e.data.studentId === studentId
        const erasure = event("StudentErasureRequested", "2026-01-01T00:00:00Z", { studentId })
        const erased = fold([...events.slice(0, cut), erasure, ...events.slice(cut)])
        expectSameState(erased, fold(events.filter((e) => !about(e))))
        expect(erased.students.has(studentId)).toBe(false)
        for (const f of erased.faculty.values()) expect(f.students.has(studentId)).toBe(false)
      }),
      { numRuns: 100 }
    )
  })

  it("ignores retractions of retractions and of erasure requests", () => {
    const visit = event("OfficeHoursVisited", "2026-03-02T10:00:00Z", {
      studentId: "s-1",
      facultyId: "f-1",
      durationMinutes: 30,
      topic: "career",
      initiatedBy: "student"
    })
    const first = retraction(visit.id)
    const second = retraction(first.id)
    const once = fold([visit, first])
    expect(once.students.size).toBe(0)
    expectSameState(fold([second, visit, first]), once)
    expectSameState(fold([visit, first, second]), once)
  })

  it("keeps latest-wins facts by occurredAt, then event id, not by arrival", () => {
    const leave = event("StudentStatusChanged", "2026-05-01T00:00:00Z", { studentId: "s-1", status: "leave" })
    const enrol = event("StudentEnrolled", "2025-09-01T00:00:00Z", {
      studentId: "s-1",
      graduationYear: 2029,
      program: "MD"
    })
    const back = event("StudentStatusChanged", "2026-09-01T00:00:00Z", { studentId: "s-1", status: "active" })
    expect(fold([back, leave, enrol]).students.get("s-1")?.status).toBe("active")
    expect(fold([leave, enrol]).students.get("s-1")?.status).toBe("leave")
    expect(fold([enrol]).students.get("s-1")?.graduationYear).toBe(2029)
    expect(fold([]).students.get("s-1")).toBeUndefined()
  })

  it("counts a multi-faculty event once for the student and once per pair", () => {
    const rotation = event("RotationCompleted", "2026-02-27T23:30:00Z", {
      studentId: "s-1",
      facultyIds: ["f-1", "f-2"],
      rotationId: "r-1",
      specialty: "Pediatrics",
      startedOn: "2026-02-01",
      endedOn: "2026-02-27"
    })
    const state = fold([rotation])
    const student = state.students.get("s-1")
    expect(student?.interactions).toBe(1)
    expect(student?.pairs.size).toBe(2)
    // 23:30Z on 27 February is 00:30 on 28 February in Paris: still February.
    expect([...(student?.months.keys() ?? [])]).toEqual([2026 * 12 + 1])
    expect(state.faculty.get("f-2")?.rotationSpecialties.get("Pediatrics")).toBe(1)
  })

  it("learns faculty specialties from rotations elsewhere without a student, pair or score", () => {
    const rotation = event("RotationCompleted", "2026-02-10T12:00:00Z", {
      studentId: "s-1",
      facultyIds: ["f-1"],
      rotationId: "r-1",
      specialty: "Pediatrics",
      startedOn: "2026-02-01",
      endedOn: "2026-02-10"
    })
    const seeded = SchoolFold.make(config, {
      rotationsElsewhere: [
        { facultyId: "f-1", specialty: "Surgery" },
        { facultyId: "f-2", specialty: "Surgery" }
      ]
    })
    // the rotation this fold sees comes and goes; what it was told stays
    seeded.applyAll([rotation, retraction(rotation.id)])
    const state = seeded.state
    expect(State.facultySpecialties(state.faculty.get("f-1"))).toEqual(["Surgery"])
    expect(State.facultySpecialties(state.faculty.get("f-2"))).toEqual(["Surgery"])
    expect(state.students.size).toBe(0)
    expect(state.faculty.get("f-2")?.students.size).toBe(0)
    seeded.apply(event("RotationCompleted", "2026-03-10T12:00:00Z", { ...rotation.data, rotationId: "r-2" }))
    expect(State.facultySpecialties(state.faculty.get("f-1"))).toEqual(["Pediatrics", "Surgery"])
    expect(state.students.get("s-1")?.pairs.size).toBe(1)
  })

  it("places late events in their own month (Paris time)", () => {
    const late = event("FollowUpSent", "2026-03-31T22:30:00Z", {
      studentId: "s-1",
      facultyId: "f-1",
      kind: "thank-you",
      channel: "email"
    })
    const state = fold([late])
    // 22:30Z on 31 March is 00:30 on 1 April in Paris (summer time, UTC+2).
    expect([...(state.students.get("s-1")?.months.keys() ?? [])]).toEqual([2026 * 12 + 3])
  })
})
