// Decoding throughput against a raw baseline measured in the same run: JSON.parse alone
// versus JSON.parse followed by Decode.decodeEvent, for valid events of every type and
// for invalid ones (the error path). Run after `pnpm build`: node bench/decode.bench.mjs
import { Decode, Event } from "../dist/index.js"

const count = Number(process.env.EVENTS ?? 200_000)
let seed = 42
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}
const pick = (values) => values[Math.floor(random() * values.length)]
const hex = (digits) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join("")
const uuid = () => `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`

const student = () => `s-${Math.floor(random() * 2_000)}`
const faculty = () => `f-${Math.floor(random() * 300)}`
const payloads = {
  OfficeHoursVisited: () => ({
    studentId: student(),
    facultyId: faculty(),
    durationMinutes: 1 + Math.floor(random() * 60),
    topic: pick(["coursework", "career", "feedback", "research", "personal", "other"]),
    initiatedBy: pick(["student", "faculty"])
  }),
  MentorshipMeetingHeld: () => ({
    studentId: student(),
    facultyId: faculty(),
    durationMinutes: 30,
    topics: ["specialty-selection", "research"]
  }),
  RotationCompleted: () => ({
    studentId: student(),
    facultyIds: [faculty(), "f-9999"],
    rotationId: "im-2026-b3",
    specialty: "Internal Medicine",
    startedOn: "2026-09-07",
    endedOn: "2026-10-02"
  }),
  FollowUpSent: () => ({ studentId: student(), facultyId: faculty(), kind: "thank-you", channel: "email" }),
  LectureEngagementRecorded: () => ({ studentId: student(), facultyId: faculty(), courseId: "c-1", kind: "question" })
}
const types = Object.keys(payloads)

const lines = (invalid) =>
  Array.from({ length: count }, (_, i) => {
    const type = pick(types)
    const event = {
      id: uuid(),
      type,
      v: 1,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(".000Z", "+00:00"),
      source: "bench",
      data: payloads[type]()
    }
    if (invalid) event.data = { ...event.data, studentID: "typo", durationMinutes: "20" }
    return JSON.stringify(event)
  })

// The fastest of a few runs after a warm-up: other processes on the machine only ever
// slow a run down, so the minimum is the least noisy figure.
const time = (label, work) => {
  work()
  let best = Number.POSITIVE_INFINITY
  let result
  for (let run = 0; run < 3; run++) {
    const start = performance.now()
    result = work()
    best = Math.min(best, performance.now() - start)
  }
  const rate = Math.round(count / (best / 1000)).toLocaleString("en")
  console.log(`${label.padEnd(38)} ${best.toFixed(0).padStart(6)} ms  ${rate.padStart(10)} events/s`)
  return { ms: best, result }
}

console.log(`${count.toLocaleString("en")} events, ${Event.eventTypes.length} types known, node ${process.version}\n`)
const valid = lines(false)
const invalid = lines(true)
const baseline = time("JSON.parse (baseline)", () => valid.map((line) => JSON.parse(line)))
const decoded = time("JSON.parse + decodeEvent", () => valid.map((line) => Decode.decodeEvent(JSON.parse(line))))
const failed = time("… invalid events (error path)", () => invalid.map((line) => Decode.decodeEvent(JSON.parse(line))))
const batches = time("… in batches of 1,000 (decodeEvents)", () => {
  const out = []
  for (let i = 0; i < valid.length; i += 1_000)
    out.push(Decode.decodeEvents(valid.slice(i, i + 1_000).map((l) => JSON.parse(l))))
  return out
})

const ok = decoded.result.filter((r) => r._tag === "Success").length
const rejected = failed.result.filter((r) => r._tag === "Failure").length
if (ok !== count || rejected !== count || batches.result.some((r) => r._tag !== "Success")) {
  console.error(`unexpected results: ${ok} valid decoded, ${rejected} invalid rejected`)
  process.exit(1)
}
console.log(
  `\ndecode costs ${(decoded.ms / baseline.ms).toFixed(1)}× JSON.parse alone; the error path ${(failed.ms / baseline.ms).toFixed(1)}×`
)
console.log(
  `per event: ${(((decoded.ms - baseline.ms) * 1000) / count).toFixed(2)} µs to decode a valid event, ${(((failed.ms - baseline.ms) * 1000) / count).toFixed(2)} µs to report an invalid one`
)
