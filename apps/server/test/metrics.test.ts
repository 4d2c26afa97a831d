/**
 * `/metrics` as Prometheus reads it: every sample in a family declared once with HELP and
 * TYPE, counters named `_total`, histograms with cumulative buckets ending at `+Inf` equal
 * to their count (what `promtool check metrics` checks, parsed here so that the test needs
 * no promtool); the process and Node.js figures (memory, event-loop lag, GC); the store's
 * position as a gauge; and events loaded by `rapport import` (totals the import writes to
 * the control tables).
 */
import { describe, expect, it, vi } from "vitest"
import { officeHours } from "./harness.js"
import { credentials, world } from "./world.js"

interface Family {
  readonly name: string
  help?: string
  type?: string
  readonly samples: Array<{ readonly name: string; readonly labels: string; readonly value: number }>
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$/

/** The families of a text exposition, or the first problem found (as promtool would refuse it). */
const parse = (text: string): Map<string, Family> => {
  expect(text.endsWith("\n"), "ends with a line feed").toBe(true)
  const families = new Map<string, Family>()
  const familyOf = (sample: string): Family | undefined => {
    for (const suffix of ["_bucket", "_sum", "_count", ""]) {
      if (!sample.endsWith(suffix)) continue
      const found = families.get(sample.slice(0, sample.length - suffix.length))
      if (found !== undefined && (suffix === "" || found.type === "histogram" || found.type === "summary")) return found
    }
    return undefined
  }
  let current: Family | undefined
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line)
    if (meta !== null) {
      const [, kind, name = "", rest = ""] = meta
      expect(name, line).toMatch(metricName)
      let family = families.get(name)
      if (family === undefined) {
        family = { name, samples: [] }
        families.set(name, family)
      } else expect(family.samples, `${name}: HELP/TYPE after its samples`).toEqual([])
      if (kind === "HELP") {
        expect(family.help, `${name}: HELP twice`).toBeUndefined()
        family.help = rest
      } else {
        expect(family.type, `${name}: TYPE twice`).toBeUndefined()
        expect(["counter", "gauge", "histogram", "summary", "untyped"], line).toContain(rest)
        family.type = rest
      }
      current = family
      continue
    }
    expect(line.startsWith("#"), `a comment: ${line}`).toBe(false)
    const sample = sampleLine.exec(line)
    expect(sample, `a sample line: ${line}`).not.toBeNull()
    const [, name = "", labels = "", value = ""] = sample ?? []
    const family = familyOf(name)
    expect(family, `${name} belongs to a declared family`).toBeDefined()
    expect(family, `${name} is in the family declared just before it`).toBe(current)
    expect(Number.isNaN(Number(value)) && !["NaN", "+Inf", "-Inf"].includes(value), line).toBe(false)
    family?.samples.push({ name, labels, value: Number(value) })
  }
  for (const family of families.values()) {
    expect(family.help, `${family.name} has HELP`).toBeDefined()
    expect(family.type, `${family.name} has TYPE`).toBeDefined()
    if (family.type === "counter") expect(family.name, "a counter's name ends in _total").toMatch(/_total$/)
    if (family.type === "histogram") checkHistogram(family)
    const seen = new Set(family.samples.map((sample) => `${sample.name}${sample.labels}`))
    expect(seen.size, `${family.name}: no sample twice`).toBe(family.samples.length)
  }
  return families
}

/** Buckets cumulative, `+Inf` last and equal to `_count`, per label set. */
const checkHistogram = (family: Family) => {
  const series = new Map<string, Array<{ le: string; value: number }>>()
  const counts = new Map<string, number>()
  for (const sample of family.samples) {
    const le = /le="([^"]*)"/.exec(sample.labels)?.[1]
    const rest = sample.labels.replace(/,?le="[^"]*"/, "").replace("{,", "{")
    if (sample.name.endsWith("_bucket")) {
      expect(le, `${sample.name} has le`).toBeDefined()
      series.set(rest, [...(series.get(rest) ?? []), { le: le ?? "", value: sample.value }])
    } else if (sample.name.endsWith("_count")) counts.set(rest, sample.value)
  }
  for (const [labels, buckets] of series) {
    expect(buckets.at(-1)?.le, `${family.name}${labels} ends at +Inf`).toBe("+Inf")
    for (let index = 1; index < buckets.length; index++) {
      expect(buckets[index]?.value ?? 0).toBeGreaterThanOrEqual(buckets[index - 1]?.value ?? 0)
    }
    expect(buckets.at(-1)?.value, `${family.name}${labels}: +Inf = count`).toBe(counts.get(labels.replace("{}", "")))
  }
}

const value = (families: Map<string, Family>, name: string, labels = ""): number | undefined =>
  [...families.values()].flatMap((f) => f.samples).find((s) => s.name === name && s.labels === labels)?.value

describe("/metrics", () => {
  it("is a valid exposition with the process, Node.js, store and import figures", async () => {
    const w = await world()
    await w.app.request("/v1/dashboard/overview", { headers: credentials(w, "alpha", "dashboards:read") })
    await w.app.request("/v1/events", {
      method: "POST",
      headers: { ...credentials(w, "alpha", "events:write"), "content-type": "application/json" },
      body: JSON.stringify({ ...officeHours(), id: "aaaaaaaa-2222-7000-8000-0000000000a1" })
    })
    await w.control.addImported({ stored: 7, duplicates: 2, rejected: 1 })
    await w.control.addImported({ stored: 3, duplicates: 0, rejected: 0 })
    // some garbage, so that the collector has seen at least one collection
    const garbage: Array<Array<number>> = []
    const scrape = async () => parse(await (await w.app.request("/metrics")).text())
    await vi.waitFor(
      async () => {
        for (let i = 0; i < 2000; i++) garbage.push(new Array(1000).fill(i))
        garbage.length = 0
        expect((await scrape()).get("nodejs_gc_duration_seconds")?.samples.length ?? 0).toBeGreaterThan(0)
      },
      { timeout: 10_000, interval: 50 }
    )
    const families = await scrape()
    expect(value(families, "process_resident_memory_bytes")).toBeGreaterThan(0)
    expect(value(families, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0)
    expect(value(families, "process_cpu_seconds_total")).toBeGreaterThan(0)
    expect(value(families, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThanOrEqual(0)
    expect(families.get("nodejs_gc_duration_seconds")?.type).toBe("histogram")
    const ready = (await (await w.app.request("/readyz")).json()) as { storePosition: number }
    expect(ready.storePosition).toBeGreaterThan(0)
    expect(value(families, "rapport_store_position")).toBe(ready.storePosition)
    expect(families.get("rapport_store_position")?.type).toBe("gauge")
    expect(value(families, "rapport_events_imported_total", '{outcome="stored"}')).toBe(10)
    expect(value(families, "rapport_events_imported_total", '{outcome="duplicate"}')).toBe(2)
    expect(value(families, "rapport_events_imported_total", '{outcome="rejected"}')).toBe(1)
    expect(value(families, "rapport_events_ingested_total", '{outcome="stored"}')).toBe(1)
  })

  it("fails the parser on what promtool refuses", () => {
    expect(() => parse("# TYPE a counter\n# HELP a x\na 1\n")).toThrow(/_total/)
    expect(() => parse("# HELP b_total x\n# TYPE b_total counter\nb_total 1\nb_total 2\n")).toThrow(/twice/)
    expect(() => parse("c 1\n")).toThrow(/declared family/)
    expect(() => parse("# HELP d x\n# TYPE d gauge\nd one\n")).toThrow()
  })
})
