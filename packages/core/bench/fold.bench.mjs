// Folds 1,000,000 synthetic events (1,000 students × 2,000 faculty, a realistic mix of
// types, out of order, a few retractions) into pair, student and faculty state with the
// built @rapport/core, and compares the rate with a baseline loop over the same events in
// the same run that does the minimum any fold must do: parse the timestamp, look the pair
// up in a Map, add the event's weight. Prints figures; asserts nothing about time.
//
//   npx pnpm@12.4.2 --filter @rapport/core build && npx pnpm@12.4.2 --filter @rapport/core bench
//
// Options (environment): EVENTS (default 1000000), RUNS (default 3), TZ_SCHOOL (default
// America/New_York).
import os from "node:os"
import { Config, Faculty, School, SchoolFold, Student } from "../dist/index.js"

const EVENTS = Number(process.env.EVENTS ?? 1_000_000)
const RUNS = Number(process.env.RUNS ?? 3)
const STUDENTS = 1_000
const FACULTY = 2_000
const timeZone = process.env.TZ_SCHOOL ?? "America/New_York"

// mulberry32: a small deterministic PRNG, so every run folds the same events.
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const random = prng(20260101)
const int = (n) => Math.floor(random() * n)
const pick = (list) => list[int(list.length)]

const from = Date.UTC(2022, 7, 1)
const span = Date.UTC(2026, 5, 30) - from
let idCounter = 0
const nextId = () => {
  idCounter++
  const hex = idCounter.toString(16).padStart(12, "0")
  return `01900000-0000-7000-8000-${hex}`
}

const departments = [
  "Medicine",
  "Pediatrics",
  "Surgery",
  "Psychiatry",
  "Neurology",
  "Family Medicine",
  "Emergency Medicine",
  "Obstetrics"
]
const specialties = [
  "Internal Medicine",
  "Pediatrics",
  "General Surgery",
  "Psychiatry",
  "Neurology",
  "Family Medicine",
  "Emergency Medicine",
  "Obstetrics and Gynecology"
]
const studentId = (i) => `s-${String(i).padStart(5, "0")}`
const facultyId = (i) => `f-${String(i).padStart(5, "0")}`

// Each student meets a circle of ~30 faculty (their teachers, supervisors and mentors).
const circles = Array.from({ length: STUDENTS }, () => Array.from({ length: 30 }, () => facultyId(int(FACULTY))))
const someFaculty = (s, n) => {
  const set = new Set()
  while (set.size < n) set.add(pick(circles[s]))
  return [...set]
}

const envelope = (type, data) => ({
  id: nextId(),
  type,
  v: 1,
  occurredAt: new Date(from + int(span)).toISOString(),
  data
})

// [cumulative weight, builder] — shares of a year of a school's events.
const mix = [
  [
    25,
    (s, sid) =>
      envelope("LectureEngagementRecorded", {
        studentId: sid,
        facultyId: pick(circles[s]),
        courseId: `c-${int(200)}`,
        kind: pick(["question", "discussion", "small-group"])
      })
  ],
  [
    15,
    (s, sid) =>
      envelope("OfficeHoursVisited", {
        studentId: sid,
        facultyId: pick(circles[s]),
        durationMinutes: 5 + int(90),
        topic: pick(["coursework", "career", "feedback", "research", "personal", "other"]),
        initiatedBy: random() < 0.7 ? "student" : "faculty"
      })
  ],
  [
    12,
    (s, sid) =>
      envelope("ClinicalFeedbackGiven", {
        studentId: sid,
        facultyId: pick(circles[s]),
        setting: pick(["rotation", "clerkship", "simulation"]),
        domains: ["clinical-skills", "professionalism"]
      })
  ],
  [
    10,
    (s, sid) =>
      envelope("MentorshipMeetingHeld", {
        studentId: sid,
        facultyId: circles[s][0],
        durationMinutes: 20 + int(60),
        topics: [
          pick([
            "specialty-selection",
            "residency-application",
            "clinical-practice",
            "work-life-balance",
            "research",
            "other"
          ])
        ]
      })
  ],
  [
    8,
    (s, sid) =>
      envelope("FollowUpSent", {
        studentId: sid,
        facultyId: pick(circles[s]),
        kind: pick(["thank-you", "update", "check-in"]),
        channel: pick(["email", "message", "in-person", "other"])
      })
  ],
  [
    6,
    (s, sid) =>
      envelope("CourseCompleted", {
        studentId: sid,
        courseId: `c-${int(200)}`,
        facultyIds: someFaculty(s, 1 + int(3)),
        endedOn: "2025-05-30"
      })
  ],
  [
    3,
    (s, sid) =>
      envelope("CourseStarted", {
        studentId: sid,
        courseId: `c-${int(200)}`,
        facultyIds: someFaculty(s, 1 + int(3)),
        startedOn: "2025-01-10"
      })
  ],
  [
    4,
    (s, sid) =>
      envelope("RotationCompleted", {
        studentId: sid,
        facultyIds: someFaculty(s, 1 + int(3)),
        rotationId: `r-${int(5000)}`,
        specialty: pick(specialties),
        startedOn: "2025-03-01",
        endedOn: "2025-03-28"
      })
  ],
  [
    4,
    (s, sid) =>
      envelope("SupportCheckInHeld", {
        studentId: sid,
        facultyId: pick(circles[s]),
        kind: pick(["encouragement", "wellbeing"])
      })
  ],
  [
    1,
    (s, sid) =>
      envelope("ResearchRoleStarted", {
        studentId: sid,
        facultyId: pick(circles[s]),
        projectId: `p-${int(800)}`,
        role: "assistant"
      })
  ],
  [
    0.5,
    (s, sid) =>
      envelope("ResearchRoleEnded", {
        studentId: sid,
        facultyId: pick(circles[s]),
        projectId: `p-${int(800)}`,
        role: "assistant"
      })
  ],
  [
    0.5,
    (s, sid) =>
      envelope("PublicationCoauthored", {
        studentId: sid,
        facultyIds: someFaculty(s, 1 + int(3)),
        publicationId: `pub-${int(9999)}`
      })
  ],
  [
    0.5,
    (s, sid) =>
      envelope("ConferencePresentationGiven", {
        studentId: sid,
        facultyIds: someFaculty(s, 1 + int(2)),
        presentationId: `pr-${int(9999)}`
      })
  ],
  [
    0.6,
    (s, sid) =>
      envelope("LetterRequested", {
        studentId: sid,
        facultyId: pick(circles[s]),
        letterId: `l-${s}-${int(6)}`,
        cycle: 2027,
        specialty: pick(specialties)
      })
  ],
  [
    0.4,
    (s, sid) =>
      envelope("LetterCommitted", { studentId: sid, facultyId: pick(circles[s]), letterId: `l-${s}-${int(6)}` })
  ],
  [
    0.3,
    (s, sid) =>
      envelope("LetterSubmitted", { studentId: sid, facultyId: pick(circles[s]), letterId: `l-${s}-${int(6)}` })
  ],
  [
    0.1,
    (s, sid) =>
      envelope("LetterDeclined", { studentId: sid, facultyId: pick(circles[s]), letterId: `l-${s}-${int(6)}` })
  ],
  [
    0.5,
    (s, sid) => envelope("MentorAssigned", { studentId: sid, facultyId: circles[s][0], program: "advisory-college" })
  ],
  [
    0.1,
    (s, sid) => envelope("MentorshipEnded", { studentId: sid, facultyId: circles[s][0], program: "advisory-college" })
  ],
  [
    0.2,
    (_s, sid) =>
      envelope("StudentStatusChanged", { studentId: sid, status: pick(["active", "active", "leave", "graduated"]) })
  ],
  [0.2, (_s, sid) => envelope("SpecialtyDeclared", { studentId: sid, specialty: pick(specialties) })],
  [
    1,
    (_s, sid) =>
      envelope("NudgeSent", { studentId: sid, followUpId: `fu-${int(1e6)}`, ruleId: "stay-in-touch", channel: "email" })
  ]
]
let total = 0
const table = mix.map(([w, build]) => {
  total += w
  return [total, build]
})

const events = []
for (let i = 0; i < STUDENTS; i++) {
  events.push({
    ...envelope("StudentEnrolled", {
      studentId: studentId(i),
      graduationYear: 2025 + int(5),
      program: "MD",
      specialtyInterests: [pick(specialties)]
    })
  })
}
for (let i = 0; i < FACULTY; i++) {
  events.push(envelope("FacultyJoined", { facultyId: facultyId(i), department: pick(departments) }))
}
while (events.length < EVENTS) {
  const r = random() * total
  const s = int(STUDENTS)
  const build = table.find(([c]) => r < c)?.[1] ?? table[0][1]
  const e = build(s, studentId(s))
  events.push(e)
  // About one event in a thousand is corrected later by a retraction.
  if (random() < 0.001 && events.length < EVENTS) {
    events.push(envelope("EventRetracted", { eventId: e.id, reason: "sent twice" }))
  }
}
// Shuffle (Fisher–Yates): late and out-of-order arrival is the normal case.
for (let i = events.length - 1; i > 0; i--) {
  const j = int(i + 1)
  const t = events[i]
  events[i] = events[j]
  events[j] = t
}

const config = Config.makeConfig({ timeZone })
if (config._tag !== "Success") throw new Error(config.failure.message)
const weights = config.success.weights
const baseWeight = {
  LectureEngagementRecorded: weights.lectureEngagement,
  OfficeHoursVisited: weights.officeHours,
  ClinicalFeedbackGiven: weights.clinicalFeedback,
  MentorshipMeetingHeld: weights.mentorshipMeeting,
  FollowUpSent: weights.followUp,
  CourseCompleted: weights.courseCompleted,
  RotationCompleted: weights.rotation,
  SupportCheckInHeld: weights.supportCheckIn,
  ResearchRoleStarted: weights.researchRole,
  PublicationCoauthored: weights.publication,
  ConferencePresentationGiven: weights.conferencePresentation,
  LetterRequested: weights.letterRequested,
  LetterCommitted: weights.letterCommitted,
  LetterSubmitted: weights.letterSubmitted,
  MentorAssigned: weights.mentorAssigned
}

// The minimum any fold must do per event: parse the instant, find the pair, add the weight.
const baseline = () => {
  const pairs = new Map()
  let latest = 0
  for (let i = 0; i < events.length; i++) {
    const e = events[i]
    const w = baseWeight[e.type]
    if (w === undefined) continue
    const ms = Date.parse(e.occurredAt)
    if (ms > latest) latest = ms
    const d = e.data
    const ids = d.facultyIds
    if (ids === undefined) {
      const key = `${d.studentId}|${d.facultyId}`
      pairs.set(key, (pairs.get(key) ?? 0) + w)
    } else {
      for (let j = 0; j < ids.length; j++) {
        const key = `${d.studentId}|${ids[j]}`
        pairs.set(key, (pairs.get(key) ?? 0) + w)
      }
    }
  }
  return pairs.size + latest * 0
}

const fold = () => {
  const f = SchoolFold.make(config.success)
  for (let i = 0; i < events.length; i++) f.apply(events[i])
  return f.state
}

// Wall-clock and CPU time (every thread of this process, so GC helpers count). On a shared
// machine CPU time is the steadier figure; both ratios are printed.
const time = (fn) => {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  const result = fn()
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const used = process.cpuUsage(cpu)
  return { ms, cpuMs: (used.user + used.system) / 1000, result }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const rate = (ms) => (events.length / ms) * 1000
const fmt = (n) => Math.round(n).toLocaleString("en-US")

console.log(
  `@rapport/core fold — ${fmt(events.length)} events, ${STUDENTS} students × ${FACULTY} faculty, time zone ${timeZone}`
)
console.log(
  `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0].toFixed(1)}`
)

// Warm up both loops (JIT) on the same events before measuring.
time(baseline)
time(fold)
const baselineRuns = []
const foldRuns = []
let state
for (let r = 0; r < RUNS; r++) {
  state = undefined // let the previous run's state go before timing the next
  baselineRuns.push(time(baseline))
  const run = time(fold)
  foldRuns.push(run)
  state = run.result
}
const b = median(baselineRuns.map((r) => r.ms))
const f = median(foldRuns.map((r) => r.ms))
const bCpu = median(baselineRuns.map((r) => r.cpuMs))
const fCpu = median(foldRuns.map((r) => r.cpuMs))
let pairs = 0
for (const s of state.students.values()) pairs += s.pairs.size
const line = (name, wall, cpu) =>
  `${name} ${fmt(rate(wall))} events/s wall, ${fmt(rate(cpu))} events/s of CPU time (median of ${RUNS}: ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU)`
console.log(line("baseline (parse, Map lookup, add):", b, bCpu))
console.log(line("SchoolFold.apply:                 ", f, fCpu))
console.log(
  `ratio fold / baseline: ${(b / f).toFixed(2)} by wall clock, ${(bCpu / fCpu).toFixed(2)} by CPU time (target ≥ 0.25)`
)
console.log(
  `state: ${fmt(state.students.size)} students, ${fmt(state.faculty.size)} faculty, ${fmt(pairs)} pairs; heap ${fmt(process.memoryUsage().heapUsed / 2 ** 20)} MiB`
)

const asOf = "2026-07-01T00:00:00Z"
const school = time(() => School.summarize(state, asOf))
const students = time(() => {
  let n = 0
  for (const id of state.students.keys()) n += Student.summarize(state, id, asOf)?.relationships.length ?? 0
  return n
})
const faculty = time(() => Faculty.summarizeAll(state, asOf))
console.log(
  `School.summarize: ${school.ms.toFixed(0)} ms; Student.summarize × ${fmt(state.students.size)}: ${students.ms.toFixed(0)} ms; Faculty.summarizeAll: ${faculty.ms.toFixed(0)} ms`
)
console.log(
  `isolated share ${(school.result.students.isolatedShare * 100).toFixed(1)}%, top-10% mentoring share ${(school.result.concentration.top.share * 100).toFixed(1)}%, Gini ${school.result.concentration.gini.toFixed(3)}`
)
