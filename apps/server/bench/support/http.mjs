// A real `rapport serve` in a child process, keys made with `rapport keys create`, and
// the HTTP clients of the benchmark (loopback, keep-alive).
import { spawn, spawnSync } from "node:child_process"
import { createReadStream } from "node:fs"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import { createInterface } from "node:readline"

const bin = fileURLToPath(new URL("../../bin/rapport.mjs", import.meta.url))

/** A free loopback port. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })

/** `rapport keys create`; the key is alone on the last line of standard output. */
export const createKey = (db, env, { school, scopes, name }) => {
  const run = spawnSync(
    process.execPath,
    [bin, "keys", "create", "--db", db, "--school", school, "--scopes", scopes, "--name", name],
    { env, encoding: "utf8" }
  )
  if (run.status !== 0) throw new Error(`keys create failed: ${run.stderr}`)
  const lines = run.stdout.trim().split("\n")
  return lines[lines.length - 1].trim()
}

/** Starts `rapport serve` and resolves once /healthz answers. */
export const startServer = async (db, port, env, nodeArgs = []) => {
  const child = spawn(process.execPath, [...nodeArgs, bin, "serve", "--db", db, "--port", String(port)], {
    env,
    stdio: ["ignore", "ignore", "pipe"]
  })
  let stderr = ""
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rapport serve exited: ${stderr}`)
    try {
      const response = await fetch(`${base}/healthz`)
      if (response.ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error(`rapport serve did not answer within 60 s: ${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    base,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode)
        child.once("exit", resolve)
        child.kill("SIGTERM")
      })
  }
}

/** The lines of a file one at a time, shared by concurrent callers. */
export const lineSource = (file) => {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })
  const iterator = lines[Symbol.asyncIterator]()
  let chain = Promise.resolve()
  return () => {
    const next = chain.then(() => iterator.next())
    chain = next.then(() => undefined)
    return next.then((result) => (result.done ? undefined : result.value))
  }
}

/** Posts one JSON batch, retrying after 429 and 503 as a well-behaved client does. */
export const postBatch = async (base, key, body) => {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${base}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body
    })
    const text = await response.text()
    if (response.ok) return JSON.parse(text)
    if ((response.status === 429 || response.status === 503) && attempt < 50) {
      const wait = Number(response.headers.get("retry-after") ?? "1")
      await new Promise((resolve) => setTimeout(resolve, Math.max(100, wait * 1000)))
      continue
    }
    throw new Error(`POST /v1/events answered ${response.status}: ${text.slice(0, 500)}`)
  }
}

/** One GET, timed; returns milliseconds, or throws on a status other than 200. */
export const timedGet = async (base, key, path) => {
  const started = performance.now()
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } })
  await response.arrayBuffer()
  const ms = performance.now() - started
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`)
  return ms
}

/** The projector's lag in events, from /metrics. */
export const projectorLag = async (base) => {
  const text = await (await fetch(`${base}/metrics`)).text()
  const match = /^rapport_projector_lag_events\s+(\d+)/m.exec(text)
  return match === null ? Number.NaN : Number(match[1])
}

/** p-th percentile (nearest rank) of a list of numbers. */
export const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
