/**
 * The checks every crash test ends with: each acknowledged event stored exactly once, each
 * batch without an answer stored whole or not at all, nothing stored that no client sent,
 * and — once the clients' retries are acknowledged and the projector caught up — read
 * models equal to a rebuild of a copy.
 */
import { expect } from "vitest"
import { enrolled, facultyJoined, type Ledger, postEvents, retryUnknown } from "./client.js"
import { caughtUp, readModelRows, rebuiltRows, storedIds } from "./stores.js"

export const students = Array.from({ length: 60 }, (_, i) => `s-${String(i).padStart(3, "0")}`)
export const faculty = Array.from({ length: 10 }, (_, i) => `f-${i}`)

/** The school's people, posted before the load. */
export const seedSchool = async (url: string, key: string): Promise<void> => {
  const answer = await postEvents(url, key, [
    ...faculty.map((f) => facultyJoined(f)),
    ...students.map((s) => enrolled(s))
  ])
  expect(answer.status).toBe(200)
}

/** Stored exactly once if acknowledged; whole or not at all if unknown. Returns how many unknown batches were stored. */
export const checkLedger = async (db: string, school: string, ledger: Ledger): Promise<number> => {
  const stored = await storedIds(db, school)
  const missing = [...ledger.acknowledged].filter((id) => stored.get(id) !== 1)
  expect(missing, "acknowledged events not stored exactly once").toEqual([])
  let whole = 0
  for (const batch of ledger.unknown) {
    const present = batch.filter((id) => stored.has(id)).length
    expect([0, batch.length], "a batch without an answer is stored whole or not at all").toContain(present)
    if (present === batch.length) whole += 1
  }
  const sent = new Set([...ledger.batches.values()].flat().map((e) => String(e.id)))
  const unexpected = [...stored.keys()].filter((id) => !sent.has(id))
  // the seeded people are the only events no load client sent
  expect(unexpected.length).toBe(faculty.length + students.length)
  return whole
}

/** Retries what had no answer, then checks that everything sent is stored exactly once. */
export const settle = async (db: string, school: string, ledger: Ledger, url: string, key: string): Promise<void> => {
  await retryUnknown(ledger, url, key)
  const stored = await storedIds(db, school)
  const sent = [...ledger.batches.values()].flat().map((e) => String(e.id))
  expect(sent.every((id) => stored.get(id) === 1)).toBe(true)
  expect(stored.size).toBe(sent.length + faculty.length + students.length)
}

/** Waits for the projector, then compares the read models with a rebuild (all processes must be stopped by `stop`). */
export const equalsRebuild = async (db: string, folder: string, stop: () => Promise<unknown>): Promise<void> => {
  await caughtUp(db)
  // follow-ups of the last batch are written at most every 2 s
  await new Promise((done) => setTimeout(done, 2500))
  await stop()
  expect(await readModelRows(db)).toEqual(await rebuiltRows(db, folder))
}
