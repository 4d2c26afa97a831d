import { Config, Decode, FollowUp, RuleEngine, RuleContext, BuiltinRules, SchoolFold } from "@rapport/core"
import * as Result from "effect/Result"
import { Measure, SchoolTime, Simulation } from "/work/wt/followups17/packages/simulator/dist/index.js"
const seed = Number(process.argv[2] ?? 2026)
const options = { seed, size: "mid" }
const school = Result.getOrThrow(Simulation.describe(options))
const asOf = school.end
const fold = SchoolFold.make(Result.getOrThrow(Config.makeConfig({ timeZone: SchoolTime.timeZone })))
const accepted = []
const m = Measure.measure(options, (item) => {
  const d = Decode.decodeEvent(item.event)
  if (Result.isSuccess(d) && item.flags.duplicate !== true) { fold.apply(d.success); accepted.push(d.success) }
})
const settings = process.argv[3] ? JSON.parse(process.argv[3]) : undefined
const rules = Result.getOrThrow(BuiltinRules.configure(settings))
const context = RuleContext.fromState(fold.state, asOf)
const fus = RuleEngine.evaluate(rules, accepted, asOf, context)
const beh = (id) => m.stats.truth.students.get(id)?.behaviour
const active = [...fold.state.students.values()].filter((s) => s.status === "active")
const table = new Map()
for (const s of active) { const b = beh(s.studentId); const r = table.get(b) ?? { n: 0 }; r.n++; table.set(b, r) }
for (const f of fus.filter(FollowUp.isOpen)) {
  const st = fold.state.students.get(f.studentId); if (st?.status !== "active") continue
  const r = table.get(beh(f.studentId)); r[f.ruleId] = (r[f.ruleId] ?? 0) + 1
}
console.log("asOf", asOf)
for (const [b, r] of table) console.log(b, JSON.stringify(r))
