/**
 * A few worker threads for the CPU-heavy parts of requests: reading a JSON batch (parse,
 * decode, the list of every problem) and folding a person's page. On the event loop, one
 * key posting invalid batches or asking for pages as of a past date held every other
 * school's requests for seconds (#13); here the event loop only passes messages.
 *
 * The queue is bounded: past `maxQueued` jobs waiting or running, a job is refused at once
 * with {@link Busy} (the routes answer 503 with `Retry-After`), so that a flood costs
 * memory in proportion to the bound, not to the flood. Each job goes to the least busy
 * thread (WorkClient.ts, on `@rapport/event-store/thread`): threads start with the first
 * job, hold the process open only while they have jobs, and are started again by the next
 * job if they die (the jobs they held fail with {@link Busy}).
 *
 * @since 0.2.0
 */
import { PersonFold, type SchoolSettings, SqlError } from "@rapport/analytics"
import { availableParallelism } from "node:os"
import type * as Batch from "../ingest/Batch.js"
import * as Jobs from "./Jobs.js"
import * as WorkClient from "./WorkClient.js"
import type { Job, Validated } from "./WorkProtocol.js"

/**
 * The pool's jobs, each a promise of its answer.
 *
 * @since 0.2.0
 * @category models
 */
export interface WorkPool {
  /** a JSON request body read as events (`Batch.read`) */
  readonly batch: (text: string, receivedAtMs: number, maxEvents: number) => Promise<Batch.Outcome>
  /** parsed values (NDJSON lines) validated as events */
  readonly validate: (items: ReadonlyArray<unknown>, receivedAtMs: number) => Promise<Validated>
  /** person pages; a full queue fails as unavailable read models (503, retry) */
  readonly folder: PersonFold.Folder
  readonly close: () => Promise<void>
}

/**
 * The pool cannot take another job now; retry shortly.
 *
 * @since 0.2.0
 * @category errors
 */
export class Busy extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = "Busy"
  }
}

/**
 * @since 0.2.0
 * @category models
 */
export interface WorkPoolOptions {
  /** worker threads (default: one fewer than the cores, at least 1, at most 4) */
  readonly threads: number
  /** jobs waiting or running, over all threads, before new ones are refused */
  readonly maxQueued: number
  /** the schools' settings (the threads resolve them again from what was stated) */
  readonly schools: SchoolSettings.SchoolSettings
}

/**
 * One thread fewer than the cores (the event loop keeps one), at least one, at most four.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultThreads = (): number => Math.max(1, Math.min(4, availableParallelism() - 1))

/**
 * Jobs waiting or running before new ones are refused: a few seconds of work, a few
 * megabytes of queued bodies at most.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultMaxQueued = 64

// A thread answers a job with what `perform` returns for it: the message boundary is where
// that type is restated, once.
const typed =
  <A>(run: (job: Job) => Promise<unknown>) =>
  (job: Job) =>
    run(job) as Promise<A>

/** What crosses to a thread: the sources without the settings (the thread has them). */
const plain = <S extends { readonly settings: unknown }>({ settings: _, ...rest }: S): Omit<S, "settings"> => rest

const folderOf = (run: (job: Job) => Promise<unknown>): PersonFold.Folder => {
  const folds = {
    student: typed<ReturnType<typeof PersonFold.studentPage>>(run),
    faculty: typed<ReturnType<typeof PersonFold.facultyPage>>(run)
  }
  const unavailable = (error: unknown) =>
    Promise.reject(error instanceof Busy ? new SqlError.SqlUnavailable({ reason: error.message }) : error)
  return {
    student: (sources) => folds.student({ _tag: "StudentPage", sources: plain(sources) }).catch(unavailable),
    faculty: (sources) => folds.faculty({ _tag: "FacultyPage", sources: plain(sources) }).catch(unavailable)
  }
}

const poolOf = (
  run: (job: Job) => Promise<unknown>,
  folder: PersonFold.Folder,
  close: () => Promise<void>
): WorkPool => ({
  batch: (text, receivedAtMs, maxEvents) => typed<Batch.Outcome>(run)({ _tag: "Batch", text, receivedAtMs, maxEvents }),
  validate: (items, receivedAtMs) => typed<Validated>(run)({ _tag: "Validate", items, receivedAtMs }),
  folder,
  close
})

const noSettings = (): never => {
  throw new Error("the caller's thread folds pages with PersonFold.inline")
}

/**
 * Jobs run in the caller's thread, one at a time (tests, and `app.request()` callers).
 *
 * @since 0.2.0
 * @category constructors
 */
export const inline: WorkPool = poolOf(
  async (job) => Jobs.perform(job, noSettings),
  PersonFold.inline,
  async () => undefined
)

/**
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: WorkPoolOptions): WorkPool => {
  // the jobs a thread held when it died may be retried
  const threads = Array.from({ length: Math.max(1, options.threads) }, (_, index) =>
    WorkClient.make(`work-${index + 1}`, options.schools.statements, (reason) => new Busy(reason))
  )
  let closed = false
  const run = (job: Job): Promise<unknown> => {
    if (closed) return Promise.reject(new Busy("the server is stopping"))
    const inFlight = threads.reduce((n, thread) => n + thread.waiting(), 0)
    if (inFlight >= options.maxQueued) return Promise.reject(new Busy("the server's worker threads are busy"))
    // the least busy thread, the first of those
    const thread = threads.reduce((least, next) => (next.waiting() < least.waiting() ? next : least))
    return thread.run(job)
  }
  return poolOf(run, folderOf(run), async () => {
    closed = true
    await Promise.all(threads.map((thread) => thread.close()))
  })
}
