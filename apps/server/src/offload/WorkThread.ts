/**
 * The entry of the server's worker threads (see `WorkPool`): the CPU-heavy parts of a
 * request that must not run on the event loop, each a pure function of plain data. It
 * answers each `{ id, job }` with the value or the error, in the order asked.
 *
 * This module must never touch a store, a socket or the clock.
 *
 * @since 0.2.0
 */
import { PersonFold, SchoolSettings } from "@rapport/analytics"
import type { Event } from "@rapport/core"
import { readlinkSync } from "node:fs"
import { getPriority, setPriority } from "node:os"
import { parentPort, workerData } from "node:worker_threads"
import * as Result from "effect/Result"
import type { ValidationIssue } from "../http/Problem.js"
import * as Batch from "../ingest/Batch.js"
import * as Ingest from "../ingest/Ingest.js"

/**
 * @since 0.2.0
 * @category models
 */
export type Job =
  | { readonly _tag: "Batch"; readonly text: string; readonly receivedAtMs: number; readonly maxEvents: number }
  | { readonly _tag: "Validate"; readonly items: ReadonlyArray<unknown>; readonly receivedAtMs: number }
  | { readonly _tag: "StudentPage"; readonly sources: Plain<PersonFold.StudentSources> }
  | { readonly _tag: "FacultyPage"; readonly sources: Plain<PersonFold.FacultySources> }

/**
 * A page's sources without the school's settings, which hold functions (the rules) and
 * cannot cross to a thread: the thread resolves them again from the stated settings.
 *
 * @since 0.2.0
 * @category models
 */
export type Plain<S> = Omit<S, "settings">

/**
 * A batch of parsed values, validated: the events, or every issue.
 *
 * @since 0.2.0
 * @category models
 */
export type Validated =
  | { readonly _tag: "Valid"; readonly events: ReadonlyArray<Event.RapportEvent> }
  | { readonly _tag: "Invalid"; readonly issues: ReadonlyArray<ValidationIssue> }

/**
 * @since 0.2.0
 * @category models
 */
export type Answer =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: string; readonly name: string }

/**
 * Does one job (in the worker, or in the caller's thread when there is no pool);
 * `settingsOf` gives a school's settings to the page folds.
 *
 * @since 0.2.0
 * @category operations
 */
export const perform = (job: Job, settingsOf: (school: string) => SchoolSettings.School): unknown => {
  switch (job._tag) {
    case "Batch":
      return Batch.read(job.text, job.receivedAtMs, job.maxEvents)
    case "Validate": {
      const validated = Ingest.validate(job.items, new Date(job.receivedAtMs))
      const answer: Validated = Result.isSuccess(validated)
        ? { _tag: "Valid", events: validated.success }
        : { _tag: "Invalid", issues: validated.failure }
      return answer
    }
    case "StudentPage":
      return PersonFold.studentPage({ ...job.sources, settings: settingsOf(job.sources.school) })
    case "FacultyPage":
      return PersonFold.facultyPage({ ...job.sources, settings: settingsOf(job.sources.school) })
  }
}

/**
 * On Linux a thread has a niceness of its own: the workers give way to the event loop when
 * the cores are busy, so that a queue of heavy jobs never delays the answers of light ones.
 */
const yieldToEventLoop = (): void => {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1))
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + 10))
  } catch {
    // not Linux, or not allowed: the workers run at the process's priority
  }
}

/**
 * What `WorkPool` passes as `workerData`, so that importing this module elsewhere (the
 * pool runs `perform` itself when it has no threads) never listens on another port.
 *
 * @since 0.2.0
 * @category constants
 */
export const marker = "rapport-work-thread"

const isWorkThread = (data: unknown): boolean =>
  typeof data === "object" && data !== null && "role" in data && data.role === marker

/** The schools' settings, resolved again from what was stated (validated by the server already). */
const isStatements = (value: unknown): value is SchoolSettings.Statements =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const settingsIn = (data: unknown): SchoolSettings.SchoolSettings => {
  const stated = typeof data === "object" && data !== null && "statements" in data ? data.statements : undefined
  const resolved = SchoolSettings.resolve(isStatements(stated) ? stated : {})
  if (Result.isFailure(resolved)) throw resolved.failure
  return resolved.success
}

if (parentPort !== null && isWorkThread(workerData)) {
  const port = parentPort
  const schools = settingsIn(workerData)
  yieldToEventLoop()
  port.on("message", ({ id, job }: { readonly id: number; readonly job: Job }) => {
    let answer: Answer
    try {
      answer = { id, value: perform(job, schools.of) }
    } catch (error) {
      answer = {
        id,
        error: error instanceof Error ? error.message : String(error),
        name: error instanceof Error ? error.name : "Error"
      }
    }
    port.postMessage(answer)
  })
}
