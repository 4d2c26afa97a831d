// Only the simulator and the checks read behaviour types (issue #16): Rapport must find the
// students who need help from the events, never from the simulator's hidden answer. Fails
// (exit 1) when a source file anywhere else names the behaviour types or reads the
// simulator's ground truth:
//
// - a mention of `BehaviourType`, `Archetype`, `archetypes` or `GroundTruth`;
// - an import of the simulator's `Behaviour`, `GroundTruth`, `Evidence` or `Measure`
//   modules (named, or by a deep path), or a read of a run's `.truth`.
//
// Allowed: packages/simulator/src and test (the simulator), packages/simulator/bench and
// scripts/ (the checks). Usage: node scripts/check-behaviour-types.mjs [--root <dir>]
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, sep } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { root: { type: "string" } }, strict: true })
const root = values.root ?? new URL("..", import.meta.url).pathname

const allowed = [
  ["packages", "simulator", "src"],
  ["packages", "simulator", "test"],
  ["packages", "simulator", "bench"],
  ["scripts"]
].map((parts) => parts.join(sep))
const skipped = new Set(["node_modules", "dist", ".git", ".turbo", "coverage"])
const sources = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/

const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (skipped.has(name)) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path)
    else if (sources.test(name)) files.push(path)
  }
}
for (const top of ["apps", "packages", "examples"]) {
  try {
    walk(join(root, top))
  } catch {
    // a tree without this folder
  }
}

const named = /\b(BehaviourType|Archetype|archetypes|GroundTruth)\b/
const simulatorImport = /from\s+["']@rapport\/simulator(\/[^"']*)?["']/g
const forbiddenModules = /\b(Behaviour|GroundTruth|Evidence|Measure)\b/
const problems = []
for (const file of files) {
  const path = relative(root, file)
  if (allowed.some((prefix) => path === prefix || path.startsWith(`${prefix}${sep}`))) continue
  const text = readFileSync(file, "utf8")
  const lines = text.split("\n")
  lines.forEach((line, i) => {
    if (named.test(line)) problems.push(`${path}:${i + 1}: names a behaviour type or the ground truth`)
  })
  for (const match of text.matchAll(simulatorImport)) {
    const line = text.slice(0, match.index).split("\n").length
    const statement = text.slice(text.lastIndexOf("import", match.index), match.index + match[0].length)
    if (match[1] !== undefined) problems.push(`${path}:${line}: imports a deep path of @rapport/simulator`)
    else if (forbiddenModules.test(statement))
      problems.push(`${path}:${line}: imports the simulator's behaviour, ground truth or measures`)
    if (/\.truth\b/.test(text)) problems.push(`${path}: reads a simulation's ground truth (.truth)`)
  }
}
if (problems.length > 0) {
  process.stderr.write(
    `Only the simulator and the checks may read behaviour types (issue #16):\n${problems.map((p) => `  ${p}`).join("\n")}\n`
  )
  process.exit(1)
}
process.stdout.write(
  `behaviour types: ${files.length} source files checked, read only by the simulator and the checks\n`
)
