/**
 * How the synthetic people behave: the habits of each kind of student (after the article
 * Rapport grew from — be present and engaged, use office hours early, volunteer for
 * research, follow up and stay in touch), how faculty share the mentoring, how often
 * people leave, and how the school's systems deliver their data.
 *
 * These are the simulator's tuning knobs, with the defaults that make the school's numbers
 * land in the ranges published for real schools (feedback per clerkship week, mentoring
 * meetings, letters; see `Measure` and docs/simulator.md) and keep the behaviour types
 * apart where a dean would see it, yet overlapping.
 * Plain data: nothing here draws a random number.
 *
 * @since 0.1.0
 */

/**
 * The four kinds of student:
 * - `proactive`: visits office hours early, thanks faculty after rotations, volunteers
 *   for research, stays in touch;
 * - `engaged`: present and attentive, follows up sometimes;
 * - `passive`: attends, rarely reaches out;
 * - `isolated`: hardly any contact with faculty beyond what the curriculum imposes.
 *
 * @since 0.1.0
 * @category models
 */
export type Archetype = "proactive" | "engaged" | "passive" | "isolated"

/**
 * The archetypes, most connected first.
 *
 * @since 0.1.0
 * @category constants
 */
export const archetypes: ReadonlyArray<Archetype> = ["proactive", "engaged", "passive", "isolated"]

/**
 * One student's habits (expected counts and probabilities). Each student's habits are
 * those of their archetype, each scaled by a personal factor.
 *
 * @since 0.1.0
 * @category models
 */
export interface Habits {
  /** Questions and discussion contributions the LMS records in lectures, per teaching week. */
  readonly lectureContributionsPerWeek: number
  /** Probability that the facilitator records a contribution in a small-group session. */
  readonly smallGroupParticipation: number
  /** Expected office-hours visits per course. */
  readonly officeHoursPerCourse: number
  /** Share of those visits made in the first two weeks of a course (the rest before the exam). */
  readonly earlyVisitShare: number
  /** Probability of a thank-you note after a rotation or course. */
  readonly thankYouAfterRotation: number
  /** Mean days between meetings with an assigned mentor. */
  readonly mentorMeetingEveryDays: number
  /** Probability of starting a research role in a given year. */
  readonly researchPerYear: number
  /**
   * Feedback events from the attending on service per clinical week (cards and
   * conversations, the mid-point review included; residents' cards are not simulated).
   */
  readonly feedbackPerClinicalWeek: number
  /** Updates and check-ins sent to faculty they know well, per year. */
  readonly stayInTouchPerYear: number
  /** Probability of acting on a nudge within a week. */
  readonly nudgeResponse: number
  /** Career conversations with clinicians per year (meetings or office hours; on rotations, with the attending). */
  readonly careerVisitsPerYear: number
}

/**
 * The school's behaviour parameters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Behaviour {
  /** Share of each entering class of each archetype (normalised). */
  readonly archetypeShares: Readonly<Record<Archetype, number>>
  /** The habits of each archetype. */
  readonly habits: Readonly<Record<Archetype, Habits>>
  /**
   * Spread (σ of a log-normal) of each student's reach: one personal factor that scales all
   * their discretionary contact (office hours, notes, meetings, research, career visits),
   * so that types overlap as real students do — a passive student may reach out less than
   * an isolated one.
   */
  readonly reachSigma: Readonly<Record<Archetype, number>>
  /** Spread (σ of a log-normal) of the faculty's appetite for mentoring: larger, more concentrated. */
  readonly mentorAppetiteSigma: number
  /** Share of faculty who volunteer as advisory-college mentors. */
  readonly advisoryPoolShare: number
  /** Share of faculty who run research projects. */
  readonly researchFacultyShare: number
  /** Half-life, in days, of the simulator's own sense of how well two people know each other. */
  readonly tieHalfLifeDays: number
  /** Probability of withdrawing during years 1, 2, 3 and 4. */
  readonly withdrawalByYear: readonly [number, number, number, number]
  /** Probability of a leave of absence in a given year. */
  readonly leavePerYear: number
  /** Share of withdrawn students who later ask for their data to be erased. */
  readonly erasureShareOfWithdrawn: number
  /** Share of graduates who ask for their data to be erased within a year. */
  readonly erasureShareOfGraduates: number
  /** Probability that a faculty member leaves in a given year. */
  readonly facultyTurnoverPerYear: number
  /** Share of due follow-ups that the nudging system nudges. */
  readonly nudgeShare: number
}

/**
 * How the school's systems deliver events.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeliveryProfile {
  /** Share of events delivered days to weeks after they occurred (flag `late`). */
  readonly lateShare: number
  /** Share of events sent twice, byte for byte (flag `duplicate` on the second copy). */
  readonly duplicateShare: number
  /** Share of interaction events sent malformed (flag `malformed`). */
  readonly malformedShare: number
  /** Share of interaction events later retracted with an `EventRetracted` (flag `retracted`). */
  readonly retractedShare: number
  /** The source system that goes silent for a stretch, and for how many weeks. */
  readonly coverageGap: { readonly source: string; readonly weeks: number }
}

/**
 * The default behaviour.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBehaviour: Behaviour = {
  archetypeShares: { proactive: 0.2, engaged: 0.4, passive: 0.24, isolated: 0.16 },
  habits: {
    proactive: {
      lectureContributionsPerWeek: 1.5,
      smallGroupParticipation: 0.25,
      officeHoursPerCourse: 1.4,
      earlyVisitShare: 0.75,
      thankYouAfterRotation: 0.8,
      mentorMeetingEveryDays: 150,
      researchPerYear: 0.5,
      feedbackPerClinicalWeek: 3.4,
      stayInTouchPerYear: 2.5,
      nudgeResponse: 0.6,
      careerVisitsPerYear: 5
    },
    engaged: {
      lectureContributionsPerWeek: 0.7,
      smallGroupParticipation: 0.15,
      officeHoursPerCourse: 0.7,
      earlyVisitShare: 0.35,
      thankYouAfterRotation: 0.4,
      mentorMeetingEveryDays: 300,
      researchPerYear: 0.22,
      feedbackPerClinicalWeek: 3,
      stayInTouchPerYear: 0.8,
      nudgeResponse: 0.4,
      careerVisitsPerYear: 3.5
    },
    passive: {
      lectureContributionsPerWeek: 0.2,
      smallGroupParticipation: 0.05,
      officeHoursPerCourse: 0.1,
      earlyVisitShare: 0.15,
      thankYouAfterRotation: 0.08,
      mentorMeetingEveryDays: 600,
      researchPerYear: 0.05,
      feedbackPerClinicalWeek: 2.5,
      stayInTouchPerYear: 0.15,
      nudgeResponse: 0.15,
      careerVisitsPerYear: 0.3
    },
    isolated: {
      lectureContributionsPerWeek: 0.05,
      smallGroupParticipation: 0.02,
      officeHoursPerCourse: 0.03,
      earlyVisitShare: 0.1,
      thankYouAfterRotation: 0.03,
      mentorMeetingEveryDays: 1500,
      researchPerYear: 0.015,
      feedbackPerClinicalWeek: 2,
      stayInTouchPerYear: 0.02,
      nudgeResponse: 0.06,
      careerVisitsPerYear: 0.08
    }
  },
  reachSigma: { proactive: 0.3, engaged: 0.35, passive: 0.9, isolated: 0.8 },
  mentorAppetiteSigma: 1.2,
  advisoryPoolShare: 0.55,
  researchFacultyShare: 0.35,
  tieHalfLifeDays: 180,
  withdrawalByYear: [0.02, 0.012, 0.006, 0.003],
  leavePerYear: 0.03,
  erasureShareOfWithdrawn: 0.5,
  erasureShareOfGraduates: 0.02,
  facultyTurnoverPerYear: 0.05,
  nudgeShare: 0.6
}

const interpolate = (points: ReadonlyArray<readonly [number, number]>, x: number): number => {
  const first = points[0]
  const last = points[points.length - 1]
  if (first === undefined || last === undefined) return 0
  if (x <= first[0]) return first[1]
  if (x >= last[0]) return last[1]
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] ?? last
    const [x0, y0] = points[i - 1] ?? first
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
  }
  return last[1]
}

/**
 * How mentoring is spread in a school with `facultyPerStudent` faculty for each student:
 * where faculty are few (1.25 per student), a small pool of advisors with a long tail of
 * appetite carries the advisory program; where they are many (2 per student), the pool is
 * broad and loads more even. Calibrated so that the top 10% of faculty hold about half of
 * the active mentoring pairs at every size (docs/simulator.md); used unless the behaviour
 * sets `advisoryPoolShare` or `mentorAppetiteSigma` itself.
 *
 * @since 0.1.0
 * @category constructors
 */
export const mentoringSpread = (
  facultyPerStudent: number
): Pick<Behaviour, "advisoryPoolShare" | "mentorAppetiteSigma"> => ({
  advisoryPoolShare: interpolate(
    [
      [1.25, 0.2],
      [1.5, 0.55],
      [2, 0.8]
    ],
    facultyPerStudent
  ),
  mentorAppetiteSigma: interpolate(
    [
      [1.25, 1.8],
      [1.5, 1.2],
      [2, 1]
    ],
    facultyPerStudent
  )
})

/**
 * The default delivery profile: about 5% late, 1% duplicated, a few malformed and a few
 * retracted, and the clinical-evaluation system silent for six weeks.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultDelivery: DeliveryProfile = {
  lateShare: 0.05,
  duplicateShare: 0.01,
  malformedShare: 0.0005,
  retractedShare: 0.0002,
  coverageGap: { source: "clinical-evals", weeks: 6 }
}
