/**
 * The quick start of docs/library.md, as code that is compiled (tsc includes test/) and
 * run (library-doc.test.ts imports it). Everything between the imports and the marker
 * below must be exactly the ```ts blocks of the page, in order, with "@rapport/core" for
 * "../src/index.js"; the test checks it.
 */
import { Result, Schema } from "effect"
import {
  AsOf,
  BuiltinRules,
  Config,
  Decode,
  Nudge,
  Rule,
  RuleContext,
  RuleEngine,
  Schedule,
  SchoolFold,
  Student
} from "../src/index.js"

// What school systems sent, as JSON.parse gives it to you.
const wire: ReadonlyArray<unknown> = [
  {
    id: "0193a1c4-5e2b-7c1d-9f00-000000000001",
    type: "StudentEnrolled",
    occurredAt: "2025-08-01T09:00:00-04:00",
    data: { studentId: "s-1001", graduationYear: 2027, program: "MD", specialtyInterests: ["Cardiology"] }
  },
  {
    id: "0193a1c4-5e2b-7c1d-9f00-000000000002",
    type: "FacultyJoined",
    occurredAt: "2020-07-01T09:00:00-04:00",
    data: { facultyId: "f-204", department: "Cardiology" }
  },
  {
    id: "0193a1c4-5e2b-7c1d-9f00-000000000003",
    type: "OfficeHoursVisited",
    occurredAt: "2026-09-15T15:30:00-04:00",
    data: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" }
  },
  {
    id: "0193a1c4-5e2b-7c1d-9f00-000000000004",
    type: "PublicationCoauthored",
    occurredAt: "2026-09-30T12:00:00-04:00",
    data: { studentId: "s-1001", facultyIds: ["f-204", "f-311"], publicationId: "pub-42" }
  },
  {
    id: "0193a1c4-5e2b-7c1d-9f00-000000000005",
    type: "RotationCompleted",
    occurredAt: "2026-10-02T17:00:00-04:00",
    data: {
      studentId: "s-1001",
      facultyIds: ["f-204"],
      rotationId: "rot-7",
      specialty: "Cardiology",
      startedOn: "2026-09-07",
      endedOn: "2026-10-02"
    }
  }
]

// Decoding is strict and reports every problem, each with its path.
const decoded = Decode.decodeEvents(wire)
if (Result.isFailure(decoded)) {
  for (const issue of decoded.failure.issues) {
    console.error(`event ${issue.index} at ${issue.path.join(".")}: ${issue.message}`)
  }
  throw decoded.failure
}
const events = decoded.success

const config = Result.getOrThrow(Config.makeConfig({ timeZone: "America/New_York" }))
const school = SchoolFold.fromEvents(events, config)
const asOf = "2026-10-05T12:00:00-04:00"

const page = Student.summarize(school, "s-1001", asOf)
for (const relationship of page?.relationships ?? []) {
  console.log(`${relationship.facultyId}: score ${Math.round(relationship.score)}, ${relationship.tier}`)
}

const [closest] = page?.relationships ?? []
if (closest !== undefined) {
  const { topContributions, missingDimensions, lastContactAt, nextTier } = closest.explanation
  for (const c of topContributions) console.log(`${c.type} on ${c.occurredAt}: ${Math.round(c.share * 100)}%`)
  console.log(`never touched: ${missingDimensions.join(", ")}; last contact: ${lastContactAt}`)
  console.log(`next tier: ${nextTier?.tier}`)
}

// A school's settings: every rule on with its defaults, but thank-you notes within 10 days.
const rules = Result.getOrThrow(BuiltinRules.configure({ "thank-you": { withinDays: 10 } }))
const context = RuleContext.fromEvents(events, asOf, config)
const followUps = RuleEngine.evaluate(rules, events, asOf, context)
// What a dean works through first: each student's three most important open follow-ups.
for (const followUp of RuleEngine.topFew(followUps, 3)) console.log(`${followUp.state}: ${followUp.sentence}`)

const shareThePaper = Rule.make({
  id: "share-the-paper",
  description: "Send each co-author an update within N days of a co-authored paper.",
  events: ["PublicationCoauthored", "FollowUpSent"],
  // `priority` and `expiresAfterDays` are how the engine ranks and retires a rule's follow-ups.
  parameters: Schema.Struct({ withinDays: Schedule.Days, priority: Schedule.Priority }),
  defaults: { withinDays: 14, priority: 6 },
  evaluate: ({ events, context }, { withinDays }) =>
    events.flatMap((event) => {
      if (event.type !== "PublicationCoauthored") return []
      const publishedOn = context.dateOf(event.occurredAt)
      const dueOn = Schedule.addDays(publishedOn, withinDays)
      return event.data.facultyIds.map((facultyId) => {
        const update = events.find(
          (e) =>
            e.type === "FollowUpSent" &&
            e.data.kind === "update" &&
            e.data.facultyId === facultyId &&
            context.dateOf(e.occurredAt) >= publishedOn
        )
        return {
          facultyIds: [facultyId],
          subject: event.data.publicationId,
          opensOn: publishedOn,
          dueOn,
          doneOn: update === undefined ? undefined : context.dateOf(update.occurredAt),
          sentence: `Send faculty ${facultyId} an update on paper ${event.data.publicationId} (due by ${dueOn}).`
        }
      })
    })
})

// Schools tune a tool's rule like a built-in one.
const tuned = Result.getOrThrow(Rule.configure(shareThePaper, { withinDays: 21 }))
const withTheirs = RuleEngine.evaluate([...rules, tuned], events, asOf, context)
for (const followUp of withTheirs.filter((f) => f.ruleId === "share-the-paper")) console.log(followUp.sentence)

// Later, the messaging tool that delivered the thank-you follow-up reports its nudge, and
// the student writes to the faculty member the next evening.
const thankYou = followUps.find((f) => f.ruleId === "thank-you")
const reported = Result.getOrThrow(
  Decode.decodeEvents([
    {
      id: "0193a1c4-5e2b-7c1d-9f00-000000000006",
      type: "NudgeSent",
      occurredAt: "2026-10-05T09:00:00-04:00",
      data: { studentId: "s-1001", followUpId: thankYou?.id, ruleId: "thank-you", channel: "email" }
    },
    {
      id: "0193a1c4-5e2b-7c1d-9f00-000000000007",
      type: "FollowUpSent",
      occurredAt: "2026-10-06T18:00:00-04:00",
      data: { studentId: "s-1001", facultyId: "f-204", kind: "thank-you", channel: "email" }
    }
  ])
)
const history = [...events, ...reported]
const now = "2026-11-30T12:00:00-05:00"
const nowContext = RuleContext.fromEvents(history, now, config)
const outcomes = Nudge.outcomes(history, now, nowContext, { followUps })
for (const s of Nudge.summarize(outcomes)) {
  console.log(
    `${s.ruleId}: ${s.followedByContact} of ${s.sent} followed by contact; median days to contact ${s.medianDaysToContact}`
  )
}

// An asOf from a form or a query string: check it once, at the edge.
const fromForm = AsOf.parse("2026-10-05", config.timeZone)
if (Result.isSuccess(fromForm)) console.log(`as of ${fromForm.success}`)

// --- not in the docs: what library-doc.test.ts checks ---
export const quickStart = { events, page, followUps, withTheirs, outcomes, history, now, nowContext, rules }
