/**
 * The process and Node.js figures of `/metrics`, under the names Prometheus client
 * libraries give them (prom-client's default collectors), so that the usual dashboards and
 * alerts read them unchanged: CPU, resident memory, open file descriptors, start time, heap,
 * event-loop lag (sampled by `monitorEventLoopDelay`) and garbage collections by kind (a
 * histogram fed by a `PerformanceObserver`).
 *
 * One per process (`ofProcess`), as what it measures is the process's: several apps in one
 * process (tests) share it. It must never keep the process alive, nor cost anything between
 * scrapes beyond the sampler's timer and one callback per collection.
 *
 * @since 0.4.0
 */
import { readdirSync } from "node:fs"
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks"
import { getHeapSpaceStatistics } from "node:v8"

const gcBuckets = [0.001, 0.01, 0.1, 1, 2, 5]

const gcKinds: ReadonlyArray<readonly [number, string]> = [
  [constants.NODE_PERFORMANCE_GC_MINOR, "minor"],
  [constants.NODE_PERFORMANCE_GC_MAJOR, "major"],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, "incremental"],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, "weakcb"]
]

/**
 * @since 0.4.0
 * @category models
 */
export interface ProcessMetrics {
  /** the figures now, in the Prometheus text format (each with HELP and TYPE) */
  readonly render: () => string
}

const kindOf = (entry: PerformanceEntry): string => {
  // `detail` is on GC entries (Node ≥ 16), not in every version of the types
  const detail: unknown = Reflect.get(entry, "detail")
  const kind = typeof detail === "object" && detail !== null ? Reflect.get(detail, "kind") : undefined
  return gcKinds.find(([code]) => code === kind)?.[1] ?? "unknown"
}

const openFileDescriptors = (): number | undefined => {
  try {
    return readdirSync("/proc/self/fd").length
  } catch {
    return undefined
  }
}

/** Starts sampling; `render` reads the figures at scrape time. */
const make = (): ProcessMetrics => {
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime())
  const lag = monitorEventLoopDelay({ resolution: 10 })
  lag.enable()
  const gc = new Map<string, { counts: Array<number>; sum: number; count: number }>()
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kindOf(entry)
      let h = gc.get(kind)
      if (h === undefined) {
        h = { counts: gcBuckets.map(() => 0), sum: 0, count: 0 }
        gc.set(kind, h)
      }
      const seconds = entry.duration / 1000
      for (const [index, bound] of gcBuckets.entries())
        if (seconds <= bound) h.counts[index] = (h.counts[index] ?? 0) + 1
      h.sum += seconds
      h.count += 1
    }
  })
  observer.observe({ entryTypes: ["gc"] })
  return {
    render: () => {
      const out: Array<string> = []
      const metric = (
        name: string,
        type: "gauge" | "counter" | "histogram",
        help: string,
        lines: ReadonlyArray<string>
      ) => {
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines)
      }
      const cpu = process.cpuUsage()
      const memory = process.memoryUsage()
      metric("process_cpu_user_seconds_total", "counter", "User CPU time spent in seconds.", [
        `process_cpu_user_seconds_total ${cpu.user / 1e6}`
      ])
      metric("process_cpu_system_seconds_total", "counter", "System CPU time spent in seconds.", [
        `process_cpu_system_seconds_total ${cpu.system / 1e6}`
      ])
      metric("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", [
        `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`
      ])
      metric("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", [
        `process_start_time_seconds ${startSeconds}`
      ])
      metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [
        `process_resident_memory_bytes ${memory.rss}`
      ])
      const fds = openFileDescriptors()
      if (fds !== undefined)
        metric("process_open_fds", "gauge", "Number of open file descriptors.", [`process_open_fds ${fds}`])
      metric("nodejs_heap_size_total_bytes", "gauge", "Process heap size from Node.js in bytes.", [
        `nodejs_heap_size_total_bytes ${memory.heapTotal}`
      ])
      metric("nodejs_heap_size_used_bytes", "gauge", "Process heap size used from Node.js in bytes.", [
        `nodejs_heap_size_used_bytes ${memory.heapUsed}`
      ])
      metric("nodejs_external_memory_bytes", "gauge", "Node.js external memory size in bytes.", [
        `nodejs_external_memory_bytes ${memory.external}`
      ])
      metric(
        "nodejs_heap_space_size_used_bytes",
        "gauge",
        "Process heap space size used from Node.js in bytes.",
        getHeapSpaceStatistics().map(
          (space) => `nodejs_heap_space_size_used_bytes{space="${space.space_name}"} ${space.space_used_size}`
        )
      )
      // The sampler's figures are nanoseconds; it starts over after each scrape, so that a
      // stall shows in the next scrape and then leaves (max, p99 over the last interval).
      const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0)
      const sampled = lag.count > 0
      const lagFigure = (name: string, help: string, value: number) =>
        metric(name, "gauge", help, [`${name} ${sampled ? seconds(value) : 0}`])
      lagFigure("nodejs_eventloop_lag_min_seconds", "The minimum recorded event loop delay.", lag.min)
      lagFigure("nodejs_eventloop_lag_max_seconds", "The maximum recorded event loop delay.", lag.max)
      lagFigure("nodejs_eventloop_lag_mean_seconds", "The mean of the recorded event loop delays.", lag.mean)
      lagFigure(
        "nodejs_eventloop_lag_stddev_seconds",
        "The standard deviation of the recorded event loop delays.",
        lag.stddev
      )
      lagFigure(
        "nodejs_eventloop_lag_p50_seconds",
        "The 50th percentile of the recorded event loop delays.",
        lag.percentile(50)
      )
      lagFigure(
        "nodejs_eventloop_lag_p90_seconds",
        "The 90th percentile of the recorded event loop delays.",
        lag.percentile(90)
      )
      lagFigure(
        "nodejs_eventloop_lag_p99_seconds",
        "The 99th percentile of the recorded event loop delays.",
        lag.percentile(99)
      )
      lag.reset()
      const gcLines: Array<string> = []
      for (const [kind, h] of gc) {
        for (const [index, bound] of gcBuckets.entries())
          gcLines.push(`nodejs_gc_duration_seconds_bucket{le="${bound}",kind="${kind}"} ${h.counts[index] ?? 0}`)
        gcLines.push(`nodejs_gc_duration_seconds_bucket{le="+Inf",kind="${kind}"} ${h.count}`)
        gcLines.push(`nodejs_gc_duration_seconds_sum{kind="${kind}"} ${h.sum}`)
        gcLines.push(`nodejs_gc_duration_seconds_count{kind="${kind}"} ${h.count}`)
      }
      metric("nodejs_gc_duration_seconds", "histogram", "Garbage collection duration by kind.", gcLines)
      const [major, minor, patch] = process.versions.node.split(".")
      metric("nodejs_version_info", "gauge", "Node.js version info.", [
        `nodejs_version_info{version="${process.version}",major="${major}",minor="${minor}",patch="${patch}"} 1`
      ])
      return `${out.join("\n")}\n`
    }
  }
}

let current: ProcessMetrics | undefined

/**
 * This process's figures, sampled from the first call on (neither the sampler's timer nor
 * the observer keeps the process alive).
 *
 * @since 0.4.0
 * @category constructors
 */
export const ofProcess = (): ProcessMetrics => {
  current ??= make()
  return current
}
