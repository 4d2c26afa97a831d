/**
 * Restoring a backup taken before an erasure, through real processes (the same on SQLite
 * and PostgreSQL, each with its documented backup and restore): a student with a history,
 * a directory entry and an audited page view; a backup; the student's erasure; a restore of
 * the backup, which brings the student back into the files; then `rapport serve`, which by
 * the time it answers has erased them again (the registry is not in the backup), and whose
 * read models equal a rebuild.
 */
import { randomBytes } from "node:crypto"
import { expect } from "vitest"
import { enrolled, event, facultyJoined, officeHours, postEvents, request, readConsistent } from "./client.js"
import { erased, traces } from "./erasure-scenario.js"
import { createKey, serve } from "./processes.js"
import { caughtUp, readModelRows, rebuiltRows } from "./stores.js"

export interface BackupProcedure {
  /** takes a backup of the installation (which may be serving) */
  readonly backup: () => Promise<void>
  /** puts the backup back in place of the installation (which is stopped), as the docs say */
  readonly restore: () => Promise<void>
}

export const checkRestoreErasesAgain = async (
  db: string,
  folder: string,
  procedure: BackupProcedure
): Promise<void> => {
  const m = randomBytes(4).toString("hex")
  const school = `school-${m}`
  const gone = `zq${m}-erased`
  const kept = `zq${m}-kept`
  const faculty = `f-${m}-1`
  const displayName = `Rhoda Restorewell ${m}`
  const email = `r.restorewell.${m}@example.edu`
  const keys = {
    writer: await createKey(db, school, "events:write", `writer-${m}`),
    dean: await createKey(db, school, "dashboards:read", `dean-${m}`),
    admin: await createKey(db, school, "admin", `admin-${m}`)
  }
  let server = await serve(db)
  const history = [
    facultyJoined(faculty),
    enrolled(gone),
    enrolled(kept),
    ...Array.from({ length: 20 }, (_, i) =>
      officeHours(gone, faculty, `2026-02-${String(i + 1).padStart(2, "0")}T15:00:00Z`)
    ),
    officeHours(kept, faculty, "2026-02-04T15:00:00Z")
  ]
  const needles: Record<string, string> = { studentId: gone, displayName, email }
  for (const [i, e] of history.entries())
    if ((e.data as { studentId?: string }).studentId === gone) needles[`event ${i}`] = String(e.id)
  try {
    const posted = await postEvents(server.url, keys.writer, history)
    expect(posted.status).toBe(200)
    const put = await request(`${server.url}/v1/directory/students/${gone}`, keys.admin, {
      method: "PUT",
      body: JSON.stringify({ displayName, email }),
      contentType: "application/json"
    })
    expect(put.status).toBe(201)
    const position = String((posted.body as { position: string }).position)
    expect((await readConsistent(`${server.url}/v1/students/${gone}?waitFor=${position}`, keys.dean)).status).toBe(200)
    await caughtUp(db)
    await procedure.backup()
    const erasure = await postEvents(server.url, keys.writer, [
      event("StudentErasureRequested", "2026-03-01T12:00:00Z", { studentId: gone })
    ])
    expect(erasure.status).toBe(200)
    expect(await erased(db, needles)).toEqual([])
  } finally {
    await server.proc.stop()
  }

  await procedure.restore()
  // The restore brought the student back into the files: the search can find them.
  const restored = await traces(db, needles)
  for (const what of ["studentId", "displayName", "email", "event 3"]) {
    expect(
      restored.some((t) => t.startsWith(`${what} in `)),
      what
    ).toBe(true)
  }

  server = await serve(db)
  try {
    // The moment the server answers, nothing of the student is left.
    expect(await traces(db, needles)).toEqual([])
    expect((await request(`${server.url}/v1/students/${gone}`, keys.dean)).status).toBe(404)
    expect((await request(`${server.url}/v1/students/${kept}`, keys.dean)).status).toBe(200)
    const audit = await request(`${server.url}/v1/audit`, keys.admin)
    expect(JSON.stringify(audit.body)).not.toContain(gone)
    const late = await postEvents(server.url, keys.writer, [officeHours(gone, faculty, "2026-04-01T15:00:00Z")])
    expect(late.status).toBe(409)
  } finally {
    await server.proc.stop()
  }
  const logs = server.proc.stdout() + server.proc.stderr()
  for (const [what, needle] of Object.entries(needles)) expect(logs, what).not.toContain(needle)
  expect(await readModelRows(db)).toEqual(await rebuiltRows(db, folder))
}
