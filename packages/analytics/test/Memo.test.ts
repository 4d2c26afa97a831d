import { Config, Letter, Pair, SchoolFold, State } from "@rapport/core"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { Memo } from "../src/internal/Memo.js"
import * as Projection from "../src/Projection.js"
import { simulatedEvents } from "./fixtures.js"

const config = Config.makeConfig({ timeZone: "America/New_York" })
const scoring = Result.isSuccess(config) ? config.success : Config.defaultConfig

describe("Memo", () => {
  it("answers what core computes from the contributions, before and after it forgets a pair", () => {
    const events = simulatedEvents(21)
    const fold = SchoolFold.make(scoring)
    const memo = new Memo()
    const half = Math.floor(events.length / 2)
    for (const event of events.slice(0, half)) fold.apply(event)
    const check = () => {
      const state = fold.state
      let letters = 0
      for (const faculty of state.faculty.values()) {
        const counts = memo.letterCounts(faculty)
        expect(counts).toEqual(Letter.countLetters(faculty.students.values()))
        letters += counts.requested
        expect(memo.facultySpecialties(state, faculty.facultyId)).toEqual(State.facultySpecialties(faculty))
      }
      expect(letters).toBeGreaterThan(0)
      for (const student of state.students.values()) {
        for (const pair of student.pairs.values()) {
          expect(memo.untils(pair, state)).toEqual(Projection.untils(pair, state))
          expect(memo.hasOpenAssignment(pair)).toBe(Pair.mentorAssignments(pair).some((a) => a.open))
          expect(Projection.pairRow(pair, student, state, memo)).toEqual(Projection.pairRow(pair, student, state))
        }
        expect(Projection.studentRow(student, state, memo)).toEqual(Projection.studentRow(student, state))
      }
    }
    check()
    // What a projector does: forget the pairs of letter and mentor events, start a flush.
    for (const event of events.slice(half)) {
      fold.apply(event)
      // (the projector forgets the retracted event's student; this test, everything)
      if (event.type === "EventRetracted") memo.clear()
      if (!event.type.startsWith("Letter") && !event.type.startsWith("Mentor")) continue
      if (!("studentId" in event.data) || !("facultyId" in event.data)) continue
      memo.forget(State.pairOf(fold.state, event.data.studentId, event.data.facultyId))
    }
    memo.beginFlush()
    check()
  })
})
