/**
 * The server's worker threads (offload/WorkPool): answers equal those of the caller's
 * thread, and the queue is bounded (a job past the bound is refused at once with `Busy`,
 * which the routes answer 503 `busy`).
 */
import { SchoolSettings } from "@rapport/analytics"
import * as Result from "effect/Result"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { afterAll, describe, expect, it } from "vitest"
import * as WorkPool from "../src/offload/WorkPool.js"

const schools = SchoolSettings.resolve({})
if (Result.isFailure(schools)) throw schools.failure
const pool = WorkPool.make({ threads: 1, maxQueued: 2, schools: schools.success })
afterAll(() => pool.close())

const receivedAtMs = Date.parse("2026-11-01T12:00:00Z")
const batch = JSON.stringify([
  {
    id: "0193a1c4-5e2b-7c1d-9f00-000000000101",
    type: "StudentEnrolled",
    occurredAt: "2026-08-01T09:00:00-04:00",
    data: { studentId: "s-1001", graduationYear: 2030, program: "MD" }
  },
  { id: "not-an-id", type: "StudentEnrolled", occurredAt: "soon", data: {} }
])

describe("the worker pool", () => {
  it("reads a batch as the caller's thread does", async () => {
    expect(await pool.batch(batch, receivedAtMs, 1000)).toEqual(await WorkPool.inline.batch(batch, receivedAtMs, 1000))
    const valid = await pool.batch(JSON.stringify([JSON.parse(batch)[0]]), receivedAtMs, 1000)
    expect(valid).toMatchObject({ _tag: "Valid", events: [{ type: "StudentEnrolled", v: 1 }] })
  })

  it("refuses a job past the bound of its queue, and takes jobs again once it drains", async () => {
    const jobs = [1, 2, 3].map(() => pool.batch(batch, receivedAtMs, 1000))
    const settled = await Promise.allSettled(jobs)
    expect(settled.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "rejected"])
    const refused = settled[2]
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(WorkPool.Busy)
    await expect(pool.batch(batch, receivedAtMs, 1000)).resolves.toMatchObject({ _tag: "Invalid" })
  })

  it.runIf(existsSync("/proc/thread-self"))(
    "runs its threads at a lower priority than the event loop (Linux)",
    async () => {
      await pool.batch(batch, receivedAtMs, 1000)
      const niceOf = (tid: string) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]?.split(" ")[16])
      const threads = readdirSync("/proc/self/task").map((tid) => ({
        tid,
        name: readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim()
      }))
      const worker = threads.find((thread) => thread.name === "work-1")
      expect(worker).toBeDefined()
      expect(niceOf(worker?.tid ?? "")).toBe(niceOf(String(process.pid)) + 10)
    }
  )
})
