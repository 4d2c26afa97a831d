/**
 * Prometheus metrics in this process: requests by route and status, request latencies
 * (a histogram), events ingested, gauges read at scrape time (store and projector
 * positions, projector lag), and collectors of whole families read at scrape time (the
 * process and Node.js figures, events loaded by `rapport import`). No labels carry
 * personal data: routes are labelled by their template, never the path.
 *
 * @since 0.1.0
 */

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Histogram {
  counts: Array<number>
  sum: number
  count: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Metrics {
  readonly observeRequest: (method: string, route: string, status: number, seconds: number) => void
  readonly addIngested: (stored: number, duplicates: number) => void
  /** time an append waited for the projector (RAPPORT_MAX_PROJECTOR_LAG), and whether it caught up in time */
  readonly addHeldBack: (seconds: number, caughtUp: boolean) => void
  readonly gauge: (name: string, help: string, read: () => Promise<number | undefined>) => void
  /** a collector of whole metric families (HELP, TYPE and samples), read at each scrape; a failing one is left out */
  readonly collect: (render: () => Promise<string> | string) => void
  readonly render: () => Promise<string>
}

const label = (value: string): string => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Metrics => {
  const requests = new Map<string, number>()
  const latencies = new Map<string, Histogram>()
  let stored = 0
  let duplicates = 0
  const heldBack = { "caught-up": 0, timeout: 0 }
  let heldBackSeconds = 0
  const gauges: Array<{ name: string; help: string; read: () => Promise<number | undefined> }> = []
  const collectors: Array<() => Promise<string> | string> = []
  return {
    observeRequest: (method, route, status, seconds) => {
      const key = `method="${label(method)}",route="${label(route)}",status="${status}"`
      requests.set(key, (requests.get(key) ?? 0) + 1)
      const hkey = `method="${label(method)}",route="${label(route)}"`
      let h = latencies.get(hkey)
      if (h === undefined) {
        h = { counts: buckets.map(() => 0), sum: 0, count: 0 }
        latencies.set(hkey, h)
      }
      buckets.forEach((bound, index) => {
        if (seconds <= bound && h !== undefined) h.counts[index] = (h.counts[index] ?? 0) + 1
      })
      h.sum += seconds
      h.count += 1
    },
    addIngested: (s, d) => {
      stored += s
      duplicates += d
    },
    addHeldBack: (seconds, caughtUp) => {
      heldBack[caughtUp ? "caught-up" : "timeout"] += 1
      heldBackSeconds += seconds
    },
    gauge: (name, help, read) => {
      gauges.push({ name, help, read })
    },
    collect: (render) => {
      collectors.push(render)
    },
    render: async () => {
      const out: Array<string> = []
      out.push("# HELP rapport_http_requests_total HTTP requests by route template and status.")
      out.push("# TYPE rapport_http_requests_total counter")
      for (const [key, value] of requests) out.push(`rapport_http_requests_total{${key}} ${value}`)
      out.push("# HELP rapport_http_request_duration_seconds HTTP request latency.")
      out.push("# TYPE rapport_http_request_duration_seconds histogram")
      for (const [key, h] of latencies) {
        buckets.forEach((bound, index) => {
          out.push(`rapport_http_request_duration_seconds_bucket{${key},le="${bound}"} ${h.counts[index] ?? 0}`)
        })
        out.push(`rapport_http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`)
        out.push(`rapport_http_request_duration_seconds_sum{${key}} ${h.sum}`)
        out.push(`rapport_http_request_duration_seconds_count{${key}} ${h.count}`)
      }
      out.push("# HELP rapport_events_ingested_total Events acknowledged by POST /v1/events.")
      out.push("# TYPE rapport_events_ingested_total counter")
      out.push(`rapport_events_ingested_total{outcome="stored"} ${stored}`)
      out.push(`rapport_events_ingested_total{outcome="duplicate"} ${duplicates}`)
      out.push(
        "# HELP rapport_ingest_held_back_total Appends that waited for the projector, by whether it came within the bound (caught-up) or the 5 s wait ran out (timeout)."
      )
      out.push("# TYPE rapport_ingest_held_back_total counter")
      for (const [outcome, count] of Object.entries(heldBack)) {
        out.push(`rapport_ingest_held_back_total{outcome="${outcome}"} ${count}`)
      }
      out.push("# HELP rapport_ingest_held_back_seconds_total Time appends waited for the projector to catch up.")
      out.push("# TYPE rapport_ingest_held_back_seconds_total counter")
      out.push(`rapport_ingest_held_back_seconds_total ${heldBackSeconds}`)
      for (const gauge of gauges) {
        const value = await gauge.read().catch(() => undefined)
        out.push(`# HELP ${gauge.name} ${gauge.help}`)
        out.push(`# TYPE ${gauge.name} gauge`)
        if (value !== undefined) out.push(`${gauge.name} ${value}`)
      }
      for (const collector of collectors) {
        const text = await Promise.resolve()
          .then(collector)
          .catch(() => "")
        if (text !== "") out.push(text.replace(/\n$/, ""))
      }
      return `${out.join("\n")}\n`
    }
  }
}
