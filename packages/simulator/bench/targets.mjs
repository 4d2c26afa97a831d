// The targets of issue #16 (scores that agree with tiers, readiness from letters, isolation
// that finds the right students), measured on a simulated school with @rapport/core and
// judged against the simulator's ground truth. measure.mjs prints them with pass/fail.
//
// Only this script and the simulator read behaviour types (the dependency check in
// scripts/check-behaviour-types.mjs keeps it so).
import { Pair, Repetition, SchoolFold, Student, Tier } from "@rapport/core"

const quantile = (values, q) => {
  const s = [...values].sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}
const pct = (x, digits = 1) => `${(100 * x).toFixed(digits)}%`
const row = (target, wanted, measured, pass) => ({ target, wanted, measured, pass })

const scoreTargets = (state, asOfMs) => {
  let pages = 0
  let disordered = 0
  const byClass = new Map()
  const scoresByTier = new Map(Tier.tiers.map((t) => [t, []]))
  const byType = new Map()
  let total = 0
  let oneRotation = 0
  let oneRotationAdvocates = 0
  const listed = []
  for (const s of state.students.values()) {
    if (s.status !== "active") continue
    const summary = Student.summarize(state, s.studentId, asOfMs)
    pages++
    listed.push(summary.relationships.length)
    for (let i = 1; i < summary.relationships.length; i++) {
      if (Tier.rank(summary.relationships[i].tier) > Tier.rank(summary.relationships[i - 1].tier)) {
        disordered++
        break
      }
    }
    const cls = byClass.get(s.graduationYear) ?? { developing: 0, over95: 0, over99: 0 }
    byClass.set(s.graduationYear, cls)
    for (const r of summary.relationships) {
      scoresByTier.get(r.tier).push(r.score)
      if (Tier.atLeast(r.tier, "developing")) {
        cls.developing++
        if (r.score >= 95) cls.over95++
        if (r.score >= 99) cls.over99++
      }
    }
    for (const pair of s.pairs.values()) {
      const weights = Repetition.effectiveWeights(pair.contributions, asOfMs, state.lambda, state.config.repeatRatio)
      for (const [c, w] of weights) {
        byType.set(c.event.type, (byType.get(c.event.type) ?? 0) + w)
        total += w
      }
      const kinds = pair.contributions.filter((c) => c.kind !== "supportCheckIn")
      const rotations = kinds.filter((c) => c.kind === "rotation").length
      if (
        kinds.length > 0 &&
        rotations === 1 &&
        kinds.every((c) => c.kind === "rotation" || c.kind === "clinicalFeedback")
      ) {
        oneRotation++
        if (Pair.tier(pair, asOfMs, state) === "advocate") oneRotationAdvocates++
      }
    }
  }
  const classRows = [...byClass].filter(([, c]) => c.developing > 0).sort(([a], [b]) => a - b)
  const worst95 = Math.max(0, ...classRows.map(([, c]) => c.over95 / c.developing))
  const worst99 = Math.max(0, ...classRows.map(([, c]) => c.over99 / c.developing))
  const shares = [...byType].map(([type, w]) => [type, w / Math.max(1e-12, total)]).sort((a, b) => b[1] - a[1])
  const [topType, topShare] = shares[0] ?? ["-", 0]
  const volume =
    (byType.get("ClinicalFeedbackGiven") ?? 0) / total + (byType.get("LectureEngagementRecorded") ?? 0) / total
  const overlaps = []
  for (let i = 1; i < Tier.rankedTiers.length; i++) {
    const lower = scoresByTier.get(Tier.rankedTiers[i - 1])
    const upper = scoresByTier.get(Tier.rankedTiers[i])
    if (lower.length === 0 || upper.length === 0) continue
    overlaps.push([Tier.rankedTiers[i - 1], Tier.rankedTiers[i], quantile(lower, 0.9), quantile(upper, 0.1)])
  }
  return {
    rows: [
      row(
        "student pages where sorted by score is not sorted by tier",
        "0",
        `${disordered} of ${pages}`,
        disordered === 0
      ),
      row(
        "developing-or-better pairs scoring ≥ 95, worst class",
        "≤ 2%",
        classRows.map(([y, c]) => `${y}: ${pct(c.over95 / c.developing)}`).join(", "),
        worst95 <= 0.02
      ),
      row(
        "developing-or-better pairs scoring ≥ 99, worst class",
        "≤ 0.5%",
        classRows.map(([y, c]) => `${y}: ${pct(c.over99 / c.developing, 2)}`).join(", "),
        worst99 <= 0.005
      ),
      row(
        "largest event type's share of school-wide current strength",
        "≤ 35%",
        `${topType} ${pct(topShare)} (then ${shares
          .slice(1, 4)
          .map(([t, x]) => `${t} ${pct(x)}`)
          .join(", ")})`,
        topShare <= 0.35
      ),
      row("clinical feedback + lecture engagement share of current strength", "≤ 50%", pct(volume), volume <= 0.5),
      row(
        "pairs whose only contact is one rotation that reach advocate",
        "0",
        `${oneRotationAdvocates} of ${oneRotation}`,
        oneRotationAdvocates === 0
      ),
      row(
        "adjacent tiers' scores: p90 of a tier below p10 of the next",
        "every pair of tiers",
        overlaps.map(([a, b, p90, p10]) => `${a} ${p90.toFixed(1)} < ${b} ${p10.toFixed(1)}`).join("; "),
        overlaps.every(([, , p90, p10]) => p90 < p10)
      )
    ],
    listed
  }
}

// A fold of the events known at `instant` (retractions and erasures whenever they occurred).
const foldAt = (accepted, config, instant) => {
  const fold = SchoolFold.make(config)
  for (const e of accepted) {
    if (e.type === "EventRetracted" || e.type === "StudentErasureRequested" || e.occurredAt <= instant) fold.apply(e)
  }
  return fold.state
}

const letterTargets = (accepted, truth, config) => {
  const rows = []
  let writers = 0
  let counted = 0
  for (const cycle of truth.cycles.filter((c) => c.reviewed)) {
    const instant = `${cycle.programsReview}T23:59:59.999Z`
    const asOfMs = Date.parse(instant)
    const state = foldAt(accepted, config, instant)
    // Letters committed or submitted by then, by student, straight from the events.
    const writerOf = new Map()
    const declined = new Set()
    const vouched = new Map()
    const submitted = []
    for (const e of accepted) {
      if (e.occurredAt > instant) continue
      if (e.type === "LetterDeclined") declined.add(e.data.letterId)
      if (e.type === "LetterCommitted" || e.type === "LetterSubmitted") {
        writerOf.set(e.data.letterId, e.data.facultyId)
        const set = vouched.get(e.data.studentId) ?? new Set()
        set.add(e.data.letterId)
        vouched.set(e.data.studentId, set)
        if (e.type === "LetterSubmitted") submitted.push(e.data)
      }
    }
    let active = 0
    let ready = 0
    let withThree = 0
    const readinessOf = new Map()
    for (const s of state.students.values()) {
      if (s.graduationYear !== cycle.cycle || s.status !== "active") continue
      active++
      const st = Student.standing(s, asOfMs, state)
      readinessOf.set(s.studentId, st.readiness)
      if (st.letterReady) ready++
      const letters = [...(vouched.get(s.studentId) ?? [])].filter((id) => !declined.has(id))
      if (letters.length >= 3) withThree++
    }
    for (const l of submitted) {
      const r = readinessOf.get(l.studentId)
      if (r === undefined) continue
      writers++
      if (r.writers.includes(l.facultyId)) counted++
    }
    const gap = Math.abs(ready - withThree) / Math.max(1, active)
    rows.push(
      row(
        `cycle ${cycle.cycle} on ${cycle.programsReview}: letter-ready vs ≥ 3 letters committed or submitted`,
        "within ±10 points",
        `${pct(ready / Math.max(1, active), 0)} vs ${pct(withThree / Math.max(1, active), 0)} of ${active}`,
        gap <= 0.1
      )
    )
  }
  rows.push(
    row(
      "writers of submitted letters who count toward their student's readiness (at review)",
      "≥ 90%",
      `${pct(counted / Math.max(1, writers))} of ${writers}`,
      writers > 0 && counted / writers >= 0.9
    )
  )
  return rows
}

const isolationTargets = (state, asOfMs, truth) => {
  const byClass = new Map()
  let flagged = 0
  let truePositive = 0
  let active = 0
  let stale = 0
  let mentoringGap = 0
  const proactivity = new Map()
  const stages = new Map()
  for (const s of state.students.values()) {
    if (s.status !== "active") continue
    const summary = Student.summarize(state, s.studentId, asOfMs)
    const behaviour = truth.students.get(s.studentId)?.behaviour
    active++
    stages.set(summary.stage, (stages.get(summary.stage) ?? 0) + 1)
    if (summary.noRecentContact) stale++
    if (summary.noRecentMentoring) mentoringGap++
    const list = proactivity.get(behaviour) ?? []
    list.push(100 * (summary.proactivity ?? 0))
    proactivity.set(behaviour, list)
    if (summary.stage === "new") continue
    const c = byClass.get(s.graduationYear) ?? { isolated: 0, found: 0, flagged: 0, stage: summary.stage }
    byClass.set(s.graduationYear, c)
    if (summary.isolated) {
      flagged++
      c.flagged++
    }
    if (behaviour === "isolated") {
      c.isolated++
      if (summary.isolated) {
        c.found++
        truePositive++
      }
    }
  }
  const classes = [...byClass].sort(([a], [b]) => a - b)
  const medians = ["proactive", "engaged", "passive", "isolated"].map((b) => [
    b,
    quantile(proactivity.get(b) ?? [], 0.5)
  ])
  const ordered = medians.every(([, m], i) => i === 0 || m < medians[i - 1][1])
  const spread = medians[0][1] - medians[3][1]
  return [
    row(
      "the simulator's isolated students flagged, every class past its first semester",
      "≥ 70% in each",
      classes.map(([y, c]) => `${y} (${c.stage}): ${c.found} of ${c.isolated}`).join(", "),
      classes.every(([, c]) => c.isolated === 0 || c.found / c.isolated >= 0.7)
    ),
    row(
      "precision of the isolated flag",
      "≥ 60%",
      `${pct(truePositive / Math.max(1, flagged), 0)} (${truePositive} of ${flagged}; by class ${classes
        .map(([y, c]) => `${y} ${pct(c.found / Math.max(1, c.flagged), 0)}`)
        .join(", ")})`,
      flagged > 0 && truePositive / flagged >= 0.6
    ),
    row(
      `no discretionary contact in ${state.config.staleContactDays} days`,
      "5–20% of active students",
      `${pct(stale / Math.max(1, active))} of ${active}`,
      stale / active >= 0.05 && stale / active <= 0.2
    ),
    row(
      "proactivity medians (share of discretionary contact the student started)",
      "proactive > engaged > passive > isolated, ≥ 10 points between the ends",
      medians.map(([b, m]) => `${b} ${m.toFixed(0)}`).join(", "),
      ordered && spread >= 10
    ),
    row(
      `no mentoring contact in ${state.config.mentoringGapDays} days (years 2–4; reported)`,
      "reported",
      `${mentoringGap} students; stages: ${[...stages].map(([k, v]) => `${k} ${v}`).join(", ")}`,
      undefined
    )
  ]
}

/**
 * Every target of issue #16 for one measured school: rows of {target, wanted, measured,
 * pass} (pass undefined: reported only) and the relationships listed per student.
 */
export const targets = ({ state, asOfMs, accepted, truth, config }) => {
  const scores = scoreTargets(state, asOfMs)
  const rows = [...scores.rows, ...letterTargets(accepted, truth, config), ...isolationTargets(state, asOfMs, truth)]
  rows.push(
    row(
      "relationships listed per student (people they dealt with; reported)",
      "reported",
      `median ${quantile(scores.listed, 0.5)}, p90 ${quantile(scores.listed, 0.9)}, most ${Math.max(0, ...scores.listed)}`,
      undefined
    )
  )
  return rows
}

export const targetsMarkdown = (rows) =>
  [
    "| issue #16 target | wanted | measured | holds |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.target} | ${r.wanted} | ${r.measured.replaceAll("|", "\\|")} | ${r.pass === undefined ? "(reported)" : r.pass ? "yes" : "**no**"} |`
    )
  ].join("\n")
