#!/usr/bin/env node
// Writes a synthetic medical school to a file (or standard output) as NDJSON or CSV.
//
//   node bin/simulate.mjs --seed 1 --size mid --format ndjson --out school.ndjson
//   node bin/simulate.mjs --seed 7 --students 2000 --faculty 3000 --years 6 --out big.csv
//   node bin/simulate.mjs --size tiny | head
//
// Options: --seed <n|text> (1), --size tiny|small|mid|large (small) or --students/--faculty/
// --years, --end-year <year> (2026), --format ndjson|csv (from --out's extension, else
// ndjson), --out <path> (standard output when absent), --describe (print the school and
// exit). A summary goes to standard error. No real student data is ever used.
import { parseArgs } from "node:util"
import * as Result from "effect/Result"
import { Output, Simulation } from "../dist/index.js"

const fail = (sentence) => {
  process.stderr.write(`simulate: ${sentence}\n`)
  process.exit(2)
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      seed: { type: "string", default: "1" },
      size: { type: "string" },
      students: { type: "string" },
      faculty: { type: "string" },
      years: { type: "string" },
      "end-year": { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      describe: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false }
    },
    // `pnpm run x -- --flag` passes the `--` through: ignore it.
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    strict: true
  }))
} catch (error) {
  fail(`${error.message}. Try --help.`)
}
if (values.help) {
  process.stdout.write(
    "usage: simulate [--seed 1] [--size tiny|small|mid|large | --students N --faculty N --years N]\n" +
      "                [--end-year 2026] [--format ndjson|csv] [--out file] [--describe]\n"
  )
  process.exit(0)
}

const integer = (name) => {
  const text = values[name]
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number, not "${text}".`)
  return Number(text)
}
const custom = ["students", "faculty", "years"].some((name) => values[name] !== undefined)
if (custom && values.size !== undefined) fail("give either --size or --students/--faculty/--years, not both.")
const size = custom
  ? { students: integer("students") ?? 400, faculty: integer("faculty") ?? 600, years: integer("years") ?? 3 }
  : (values.size ?? "small")
const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed
const endYear = integer("end-year")
const options = { seed, size, ...(endYear === undefined ? {} : { endYear }) }

const described = Simulation.describe(options)
if (Result.isFailure(described)) fail(`${described.failure.message}.`)
if (values.describe) {
  process.stdout.write(`${JSON.stringify(described.success, null, 2)}\n`)
  process.exit(0)
}
const format = values.format ?? (values.out?.endsWith(".csv") ? "csv" : "ndjson")
if (format !== "ndjson" && format !== "csv") fail(`--format must be ndjson or csv, not "${format}".`)

// A closed pipe (`| head`) ends the run quietly.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0)
  fail(`${error.message}.`)
})
const started = performance.now()
let summary
try {
  if (values.out !== undefined) {
    summary = await (format === "csv" ? Output.writeCsv : Output.writeNdjson)(values.out, options)
  } else {
    const encode = format === "csv" ? Output.toCsvRow : Output.toNdjsonLine
    let bytes = 0
    if (format === "csv") process.stdout.write(Output.csvHeader)
    const result = await Output.toSink(
      async (batch) => {
        const chunk = batch.map(encode).join("")
        bytes += Buffer.byteLength(chunk)
        if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve))
      },
      { ...options, batchSize: 2000 }
    )
    summary = { ...result, bytes }
  }
} catch (error) {
  if (error?.code === "EPIPE") process.exit(0)
  fail(`${error.message}.`)
}
const seconds = (performance.now() - started) / 1000
process.stderr.write(
  `simulate: ${summary.events.toLocaleString("en-US")} events (${(summary.bytes / 1e6).toFixed(1)} MB ${format}) ` +
    `in ${seconds.toFixed(1)} s for ${JSON.stringify(size)}, seed ${JSON.stringify(seed)}, ` +
    `${described.success.start.slice(0, 10)} to ${described.success.end.slice(0, 10)} (${described.success.timeZone})` +
    `${values.out === undefined ? "" : ` → ${values.out}`}\n`
)
