// @rapport/core promises Node 20.19+ and browsers. CI runs this file with the machine's
// own Node (20 here, not the workspace's 24): it imports the BUILT package, decodes a small
// history, folds it and scores it, and checks that no built module asks for a Node built-in.
import { readdirSync, readFileSync } from "node:fs"
import { BuiltinRules, Decode, RuleContext, RuleEngine, SchoolFold, Student } from "../packages/core/dist/index.js"

const fail = (message) => {
  console.error(`core-on-node20: ${message}`)
  process.exit(1)
}

const dist = new URL("../packages/core/dist/", import.meta.url)
const modules = readdirSync(dist, { recursive: true }).filter((file) => String(file).endsWith(".js"))
for (const file of modules) {
  const text = readFileSync(new URL(String(file), dist), "utf8")
  if (/from\s*["']node:|require\(["']node:|process\.env|Date\.now\(|Math\.random\(/.test(text)) {
    fail(`the built core reads the outside world (node: built-in, environment, clock or randomness) in ${file}`)
  }
}

const at = (day) => `2026-${day}T15:00:00Z`
let n = 0
const id = () => `0193a1c4-5e2b-7c1d-9f00-${(++n).toString(16).padStart(12, "0")}`
const wire = [
  {
    id: id(),
    type: "StudentEnrolled",
    occurredAt: at("01-05"),
    data: { studentId: "s-1", graduationYear: 2028, program: "MD", specialtyInterests: ["Cardiology"] }
  },
  { id: id(), type: "FacultyJoined", occurredAt: at("01-02"), data: { facultyId: "f-1", department: "Medicine" } },
  ...["02-10", "03-12", "04-14", "05-16"].map((day) => ({
    id: id(),
    type: "MentorshipMeetingHeld",
    occurredAt: at(day),
    data: { studentId: "s-1", facultyId: "f-1", durationMinutes: 45, topics: ["specialty-selection"] }
  })),
  {
    id: id(),
    type: "OfficeHoursVisited",
    occurredAt: at("05-20"),
    data: { studentId: "s-1", facultyId: "f-1", durationMinutes: 20, topic: "research", initiatedBy: "student" }
  }
]
const decoded = Decode.decodeEvents(wire)
if (decoded._tag !== "Success") fail(`a valid history did not decode: ${JSON.stringify(decoded.failure)}`)
const state = SchoolFold.fromEvents(decoded.success)
const summary = Student.summarize(state, "s-1", "2026-06-01T00:00:00Z")
if (summary === undefined) fail("the student is missing from the fold")
const relationship = summary.relationships[0]
if (relationship === undefined || !(relationship.score > 0 && relationship.score <= 100)) fail("no scored relationship")
const followUps = RuleEngine.evaluate(
  BuiltinRules.all,
  decoded.success,
  "2026-06-01T00:00:00Z",
  RuleContext.fromState(state, "2026-06-01T00:00:00Z")
)
const invalid = Decode.decodeEvent({ id: "x", type: "OfficeHoursVisited", occurredAt: "soon", data: {} })
if (invalid._tag !== "Failure" || invalid.failure.issues.length < 2)
  fail("an invalid event was not rejected with every problem")
console.log(
  `core on Node ${process.version}: f-1 is ${relationship.tier} (score ${relationship.score.toFixed(1)}), ${followUps.length} follow-up(s), invalid input rejected with ${invalid.failure.issues.length} issues`
)
