/**
 * A school system as the reliability tests see it: events with fresh ids, posted over
 * HTTP by several concurrent clients that keep a ledger of what the server acknowledged,
 * what it refused, and what is unknown (the connection died before an answer).
 */
import { randomUUID } from "node:crypto"

export type Json = Record<string, unknown>

/** an event with a fresh id */
export const event = (type: string, occurredAt: string, data: Json, source = "reliability-suite"): Json => ({
  id: randomUUID(),
  type,
  v: 1,
  occurredAt,
  source,
  data
})

export const enrolled = (studentId: string, at = "2025-08-20T12:00:00Z"): Json =>
  event("StudentEnrolled", at, { studentId, graduationYear: 2029, program: "MD", specialtyInterests: ["Surgery"] })

export const facultyJoined = (facultyId: string, department = "Medicine"): Json =>
  event("FacultyJoined", "2025-07-01T12:00:00Z", { facultyId, department })

export const officeHours = (studentId: string, facultyId: string, occurredAt: string): Json =>
  event("OfficeHoursVisited", occurredAt, {
    studentId,
    facultyId,
    durationMinutes: 20,
    topic: "career",
    initiatedBy: "student"
  })

/** a day of 2026 before today, spread by `n` */
export const dayOf = (n: number): string => {
  const day = new Date(Date.UTC(2026, 0, 1) + (n % 300) * 86_400_000 + (n % 600) * 60_000)
  return day.toISOString().replace(".000Z", "Z")
}

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers: Headers
}

export const request = async (
  url: string,
  key: string | undefined,
  init: { readonly method?: string; readonly body?: string; readonly contentType?: string } = {}
): Promise<Answer> => {
  const headers: Record<string, string> = {}
  if (key !== undefined) headers.authorization = `Bearer ${key}`
  if (init.contentType !== undefined) headers["content-type"] = init.contentType
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: init.body })
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, headers: response.headers }
}

/**
 * A read with `waitFor`, as a client following docs/api.md does it: a 503 `not-yet-consistent`
 * (the server waited its few seconds and the read models have not caught up, as on a loaded
 * machine) is asked again after its `Retry-After`, until the read models answer or `timeoutMs`.
 */
export const readConsistent = async (url: string, key: string | undefined, timeoutMs = 120_000): Promise<Answer> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await request(url, key)
    const type = (answer.body as { type?: unknown } | undefined)?.type
    const lagging = answer.status === 503 && typeof type === "string" && type.endsWith("/not-yet-consistent")
    if (!lagging || Date.now() > deadline) return answer
    const retryAfter = Number(answer.headers.get("retry-after") ?? "1")
    await new Promise((done) => setTimeout(done, Math.min(5, Math.max(0.2, retryAfter)) * 1000))
  }
}

export const postEvents = (url: string, key: string, events: ReadonlyArray<Json>): Promise<Answer> =>
  request(`${url}/v1/events`, key, { method: "POST", body: JSON.stringify(events), contentType: "application/json" })

/** What the clients know at the end. */
export interface Ledger {
  /** event ids in batches answered 200 */
  readonly acknowledged: Set<string>
  /** batches with no answer (connection refused or reset): each is stored whole or not at all */
  readonly unknown: Array<ReadonlyArray<string>>
  /** statuses seen, with counts */
  readonly statuses: Map<string, number>
  /** every batch sent, by its first event id, so that it can be sent again unchanged */
  readonly batches: Map<string, ReadonlyArray<Json>>
  /** the longest wait for an answer, by status, in ms */
  readonly slowest: Map<string, number>
}

export const newLedger = (): Ledger => ({
  acknowledged: new Set(),
  unknown: [],
  statuses: new Map(),
  batches: new Map(),
  slowest: new Map()
})

const count = (ledger: Ledger, status: string) => ledger.statuses.set(status, (ledger.statuses.get(status) ?? 0) + 1)

/** Sends one batch, recording the outcome; the answer, if one came. */
export const sendBatch = async (
  ledger: Ledger,
  url: () => string,
  key: string,
  batch: ReadonlyArray<Json>
): Promise<Answer | undefined> => {
  const ids = batch.map((e) => String(e.id))
  ledger.batches.set(ids[0] ?? "", batch)
  const started = Date.now()
  try {
    const answer = await postEvents(url(), key, batch)
    count(ledger, String(answer.status))
    const waited = Date.now() - started
    ledger.slowest.set(String(answer.status), Math.max(waited, ledger.slowest.get(String(answer.status)) ?? 0))
    if (answer.status === 200) {
      for (const id of ids) ledger.acknowledged.add(id)
      return answer
    }
    // a refused batch (503) is known not to be stored... unless the store committed and
    // the answer was lost: treat it as unknown too, and let the retry settle it
    ledger.unknown.push(ids)
    return answer
  } catch (error) {
    // refused: the server was down (nothing sent); otherwise the connection died mid-request
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined
    const code = cause !== undefined && "code" in cause ? String(cause.code) : ""
    count(ledger, code === "ECONNREFUSED" ? "refused" : "no answer")
    ledger.unknown.push(ids)
    return undefined
  }
}

export interface Load {
  /** stops the clients and resolves when their last requests have ended */
  readonly stop: () => Promise<void>
  readonly sent: () => number
}

/**
 * `clients` loops posting batches of `batchSize` office-hours visits between the given
 * students and faculty, until stopped. `url()` is read before every request, so that a
 * restarted server on another port is picked up.
 */
export const startLoad = (options: {
  readonly url: () => string
  readonly key: string
  readonly ledger: Ledger
  readonly clients: number
  readonly batchSize: number
  readonly students: ReadonlyArray<string>
  readonly faculty: ReadonlyArray<string>
  readonly pauseMs?: number
}): Load => {
  let stopping = false
  let sent = 0
  const loops = Array.from({ length: options.clients }, async (_, client) => {
    let n = client * 7919
    while (!stopping) {
      const batch = Array.from({ length: options.batchSize }, () => {
        n += 1
        const student = options.students[n % options.students.length] ?? "s-0"
        const faculty = options.faculty[(n * 31) % options.faculty.length] ?? "f-0"
        return officeHours(student, faculty, dayOf(n))
      })
      sent += batch.length
      const answer = await sendBatch(options.ledger, options.url, options.key, batch)
      if (answer?.status !== 200) await new Promise((done) => setTimeout(done, options.pauseMs ?? 250))
    }
  })
  return {
    stop: async () => {
      stopping = true
      await Promise.all(loops)
    },
    sent: () => sent
  }
}

/** Sends every unknown batch again, unchanged, until each is acknowledged. */
export const retryUnknown = async (ledger: Ledger, url: string, key: string): Promise<void> => {
  const pending = ledger.unknown.splice(0)
  const lanes = Array.from({ length: 4 }, (_, lane) => pending.filter((_, i) => i % 4 === lane))
  await Promise.all(lanes.map((lane) => retryAll(ledger, lane, url, key)))
}

const retryAll = async (
  ledger: Ledger,
  pending: ReadonlyArray<ReadonlyArray<string>>,
  url: string,
  key: string
): Promise<void> => {
  for (const ids of pending) {
    const batch = ledger.batches.get(ids[0] ?? "")
    if (batch === undefined) continue
    for (let attempt = 0; ; attempt += 1) {
      const answer = await postEvents(url, key, batch).catch(() => undefined)
      if (answer?.status === 200) {
        for (const id of ids) ledger.acknowledged.add(id)
        break
      }
      if (attempt > 100) throw new Error(`a batch was never acknowledged: ${JSON.stringify(answer?.body)}`)
      await new Promise((done) => setTimeout(done, 200))
    }
  }
}
