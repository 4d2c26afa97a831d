/**
 * The behaviour types side by side, per year of study: discretionary contact (meetings,
 * office hours, notes, letter requests, research) and the contact students sought
 * themselves. The types must differ where a dean would see it — isolated students seek
 * the least, proactive students initiate the most — and overlap as real students do: some
 * isolated students do reach out in a year, some passive students do not.
 *
 * @since 0.2.0
 */
import { archetypes } from "../Behaviour.js"
import type { Evidence } from "../Evidence.js"
import type { BehaviourType } from "../GroundTruth.js"
import { fraction, judge, type Measurement, mean, number, quantile } from "./Judge.js"

/**
 * One behaviour type's row: students of the type, their years of study measured,
 * discretionary contacts per year (mean and median), the shares of years with at least one
 * and with none, student-initiated contacts per year (mean and median) and mentoring
 * meetings per year (mean).
 *
 * @since 0.2.0
 * @category models
 */
export interface BehaviourRow {
  readonly behaviour: BehaviourType
  readonly students: number
  readonly studentYears: number
  readonly discretionaryPerYear: number
  readonly discretionaryMedian: number
  readonly withDiscretionary: number
  readonly withoutDiscretionary: number
  readonly studentInitiatedPerYear: number
  readonly studentInitiatedMedian: number
  readonly meetingsPerYear: number
}

/** A window of a student's time: whose, which behaviour, from and until (ms). */
export interface Window {
  readonly studentId: string
  readonly behaviour: BehaviourType
  readonly from: number
  readonly until: number
}

/**
 * The rows, one per behaviour type, over the given windows (years of study), with the
 * number of students of each type in the school.
 *
 * @since 0.2.0
 * @category measures
 */
export const behaviourRows = (
  evidence: Evidence,
  windows: ReadonlyArray<Window>,
  studentsByType: ReadonlyMap<BehaviourType, number>
): Array<BehaviourRow> =>
  archetypes.map((behaviour) => {
    const discretionary: Array<number> = []
    const initiated: Array<number> = []
    const meetings: Array<number> = []
    for (const w of windows) {
      if (w.behaviour !== behaviour) continue
      const years = (w.until - w.from) / (365.25 * 86_400_000)
      const contacts = (evidence.students.get(w.studentId)?.contacts ?? []).filter(
        (c) => c.at >= w.from && c.at < w.until
      )
      discretionary.push(contacts.length / years)
      initiated.push(contacts.filter((c) => c.studentInitiated).length / years)
      meetings.push(contacts.filter((c) => c.type === "MentorshipMeetingHeld").length / years)
    }
    const years = discretionary.length
    const none = discretionary.filter((x) => x === 0).length
    return {
      behaviour,
      students: studentsByType.get(behaviour) ?? 0,
      studentYears: years,
      discretionaryPerYear: mean(discretionary),
      discretionaryMedian: quantile(discretionary, 0.5),
      withDiscretionary: (years - none) / Math.max(1, years),
      withoutDiscretionary: none / Math.max(1, years),
      studentInitiatedPerYear: mean(initiated),
      studentInitiatedMedian: quantile(initiated, 0.5),
      meetingsPerYear: mean(meetings)
    }
  })

const rowOf = (rows: ReadonlyArray<BehaviourRow>, behaviour: BehaviourType): BehaviourRow | undefined =>
  rows.find((r) => r.behaviour === behaviour)

/**
 * The checks on the rows: isolated students seek the least discretionary contact,
 * proactive ones initiate the most (each judged on the typical student's year, the median:
 * a few very active students should not decide it), yet a quarter or more of isolated
 * students' years have some and a tenth or more of passive students' years have none.
 *
 * @since 0.2.0
 * @category measures
 */
export const behaviourMeasurements = (rows: ReadonlyArray<BehaviourRow>): Array<Measurement> => {
  const isolated = rowOf(rows, "isolated")
  const proactive = rowOf(rows, "proactive")
  const passive = rowOf(rows, "passive")
  const others = (behaviour: BehaviourType) => rows.filter((r) => r.behaviour !== behaviour)
  const lowestOther = Math.min(...others("isolated").map((r) => r.discretionaryMedian))
  const highestOther = Math.max(...others("proactive").map((r) => r.studentInitiatedMedian))
  const source = "the behaviour types (issue #15): differ where a dean would see it, overlap as real students do"
  const list = (pick: (r: BehaviourRow) => number) => rows.map((r) => `${r.behaviour} ${number(pick(r))}`).join(", ")
  return [
    judge({
      id: "isolated-seek-least",
      measure: "discretionary contacts a year, median: isolated below every other type (isolated ÷ next lowest)",
      value: isolated === undefined ? undefined : isolated.discretionaryMedian / lowestOther,
      shown: list((r) => r.discretionaryMedian),
      target: "below 1",
      max: 0.999,
      source
    }),
    judge({
      id: "proactive-initiate-most",
      measure: "student-initiated contacts a year, median: proactive above every other type (proactive ÷ next highest)",
      value: proactive === undefined ? undefined : proactive.studentInitiatedMedian / highestOther,
      shown: list((r) => r.studentInitiatedMedian),
      target: "above 1",
      min: 1.001,
      source
    }),
    judge({
      id: "isolated-with-discretionary",
      measure: "isolated students' years with one or more discretionary contacts",
      value: isolated?.withDiscretionary,
      shown: `${fraction(isolated?.withDiscretionary ?? Number.NaN)} of ${isolated?.studentYears ?? 0} years`,
      target: "at least 25%",
      min: 0.25,
      source
    }),
    judge({
      id: "passive-without-discretionary",
      measure: "passive students' years with no discretionary contact",
      value: passive?.withoutDiscretionary,
      shown: `${fraction(passive?.withoutDiscretionary ?? Number.NaN)} of ${passive?.studentYears ?? 0} years`,
      target: "at least 10%",
      min: 0.1,
      source
    })
  ]
}
