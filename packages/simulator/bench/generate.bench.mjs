// Benchmark: generating a synthetic school to NDJSON in bounded memory.
//
//   node bench/generate.bench.mjs            # the large school (default)
//   node bench/generate.bench.mjs --size mid
//
// Runs two child processes so that each one's peak RSS (process.resourceUsage().maxRSS) is
// its own: a baseline that writes the same number of ready-made event lines through the
// same buffered file writer (the cost of serialising and writing alone), then the
// simulator writing the school with Output.writeNdjson. Prints events/s for both, the
// ratio, peak RSS, and RSS sampled along the way (flat = bounded memory).
import { execFileSync } from "node:child_process"
import { createWriteStream } from "node:fs"
import { rm } from "node:fs/promises"
import { availableParallelism, tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { Output, Simulation } from "../dist/index.js"

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "large" },
    seed: { type: "string", default: "1" },
    child: { type: "string" },
    events: { type: "string" }
  },
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  strict: true
})
const mb = (kb) => Math.round(kb / 1024)
const cpuOf = (usage) => (usage.user + usage.system) / 1e6

const drained = (stream) =>
  new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done)
      stream.off("close", done)
      resolve()
    }
    stream.on("drain", done)
    stream.on("close", done)
  })

if (values.child === "baseline") {
  // Ready-made events of the simulator's shape, only the id and instant changing.
  const events = Number(values.events)
  const path = join(tmpdir(), `rapport-baseline-${process.pid}.ndjson`)
  const stream = createWriteStream(path)
  const started = performance.now()
  const cpu = process.cpuUsage()
  let buffer = ""
  for (let i = 0; i < events; i++) {
    const event = {
      id: `0190a23b-b3a0-71f0-bcb6-${String(i).padStart(12, "0")}`,
      type: "LectureEngagementRecorded",
      v: 1,
      occurredAt: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
      source: "lms",
      data: { studentId: "s-2027-0042", facultyId: "f-10123", courseId: "ANAT-2027", kind: "question" }
    }
    buffer += `${JSON.stringify(event)}\n`
    if (buffer.length >= 1 << 16) {
      if (!stream.write(buffer)) await drained(stream)
      buffer = ""
    }
  }
  stream.end(buffer)
  await new Promise((resolve) => stream.on("close", resolve))
  const seconds = (performance.now() - started) / 1000
  const cpuSeconds = cpuOf(process.cpuUsage(cpu))
  await rm(path, { force: true })
  process.stdout.write(JSON.stringify({ events, seconds, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS }))
} else if (values.child === "simulate") {
  const path = join(tmpdir(), `rapport-school-${process.pid}.ndjson`)
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed
  // Every 2 s: the resident set, and the live heap after a full collection (the data the
  // simulator really holds; the resident set also counts what V8 has not yet given back).
  const samples = []
  const timer = setInterval(() => {
    globalThis.gc?.()
    const memory = process.memoryUsage()
    samples.push({ rss: Math.round(memory.rss / 1048576), live: Math.round(memory.heapUsed / 1048576) })
  }, 2000)
  const started = performance.now()
  const cpu = process.cpuUsage()
  const summary = await Output.writeNdjson(path, { seed, size: values.size })
  const seconds = (performance.now() - started) / 1000
  const cpuSeconds = cpuOf(process.cpuUsage(cpu))
  clearInterval(timer)
  await rm(path, { force: true })
  process.stdout.write(
    JSON.stringify({
      events: summary.events,
      bytes: summary.bytes,
      seconds,
      cpuSeconds,
      maxRssKb: process.resourceUsage().maxRSS,
      samples
    })
  )
} else {
  const run = (args) =>
    JSON.parse(
      execFileSync(process.execPath, ["--expose-gc", new URL(import.meta.url).pathname, ...args], {
        encoding: "utf8",
        maxBuffer: 1 << 24
      })
    )
  const simulated = run(["--child", "simulate", "--size", values.size, "--seed", values.seed])
  const baseline = run(["--child", "baseline", "--events", String(simulated.events)])
  const rate = (r) => r.events / r.seconds
  const cpuRate = (r) => r.events / r.cpuSeconds
  const load = (await import("node:os")).loadavg()[0].toFixed(1)
  const school = Simulation.describe({ seed: 1, size: values.size })
  const size = school._tag === "Success" ? school.success.size : values.size
  console.log(`generate.bench: ${values.size} school ${JSON.stringify(size)}, seed ${values.seed}`)
  console.log(
    `machine: ${availableParallelism()} cores, Node ${process.versions.node}, load average ${load} at the end`
  )
  console.log("")
  const n = (x) => Math.round(x).toLocaleString("en-US")
  console.log("| run | events | wall s | CPU s | events/s (wall / CPU) | peak RSS (MB) |")
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |")
  for (const [name, r] of [
    ["baseline: serialise + write ready-made events", baseline],
    ["simulator: generate + write NDJSON", simulated]
  ]) {
    console.log(
      `| ${name} | ${n(r.events)} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${n(rate(r))} / ${n(cpuRate(r))} | ${mb(r.maxRssKb)} |`
    )
  }
  console.log("")
  console.log(
    `ratio simulator / baseline (events/s, wall / CPU): ${(rate(simulated) / rate(baseline)).toFixed(2)} / ${(cpuRate(simulated) / cpuRate(baseline)).toFixed(2)}`
  )
  console.log(
    `output: ${(simulated.bytes / 1e6).toFixed(0)} MB NDJSON, ${(simulated.bytes / simulated.events).toFixed(0)} bytes/event`
  )
  const s = simulated.samples
  const at = (f) => s[Math.min(s.length - 1, Math.floor(f * (s.length - 1)))] ?? { rss: 0, live: 0 }
  const along = (key) => [0.1, 0.5, 0.9, 1].map((f) => at(f)[key]).join(" / ")
  console.log(`resident set along the run (MB, at 10% / 50% / 90% / end): ${along("rss")}`)
  console.log(
    `live heap after a full GC (MB, same points): ${along("live")}; largest ${Math.max(0, ...s.map((x) => x.live))}`
  )
}
