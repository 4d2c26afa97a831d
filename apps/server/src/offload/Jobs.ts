/**
 * The jobs of the server's work pool, each a pure function of plain data: the threads run
 * them (WorkEntry.ts), and so does the caller's thread when there is no pool
 * (`WorkPool.inline`).
 *
 * This module must never touch a store, a socket or the clock.
 *
 * @since 0.2.0
 */
import { PersonFold, type SchoolSettings } from "@rapport/analytics"
import * as Result from "effect/Result"
import * as Batch from "../ingest/Batch.js"
import * as Ingest from "../ingest/Ingest.js"
import type { Job, Validated } from "./WorkProtocol.js"

/**
 * Does one job; `settingsOf` gives a school's settings to the page folds.
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
