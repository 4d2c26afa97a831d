/**
 * What every integration test file of this package needs: the test server's URL, a
 * check that it is reachable (under `CI=true` an unreachable server fails the file;
 * elsewhere the file is skipped with the reason printed), a unique PostgreSQL schema
 * per file, dropped afterwards, and a raw client for inspecting what the store wrote.
 *
 * Never point `RAPPORT_TEST_POSTGRES_URL` at a database that holds anything of value:
 * the tests create and drop schemas in it.
 */
import { randomBytes } from "node:crypto"
import type { NewEvent, StreamId } from "@rapport/event-store"
import postgres from "postgres"

export const url = process.env.RAPPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const reachable = async (): Promise<string | undefined> => {
  const sql = postgres(url, { connect_timeout: 3, max: 1, onnotice: () => {} })
  try {
    await sql`SELECT 1`
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await sql.end({ timeout: 1 })
  }
}

/**
 * Whether the tests of `file` can run. Throws under `CI=true` when PostgreSQL is
 * unreachable (the file fails); otherwise prints why it skips and returns false.
 */
export const available = async (file: string): Promise<boolean> => {
  const problem = await reachable()
  if (problem === undefined) return true
  if (process.env.CI === "true") {
    throw new Error(`PostgreSQL must be reachable at ${url} when CI=true (${problem})`)
  }
  console.warn(`SKIPPED ${file}: PostgreSQL is not reachable at ${url} (${problem}); under CI=true this fails`)
  return false
}

/** a fresh schema name, unique to this run and file */
export const uniqueSchema = (label: string): string => `t_${label}_${process.pid}_${randomBytes(4).toString("hex")}`

/** a raw client for setting up and inspecting; `end()` it in `afterAll` */
export const rawClient = (): postgres.Sql => postgres(url, { onnotice: () => {}, max: 4 })

export const dropSchema = async (sql: postgres.Sql, schema: string): Promise<void> => {
  await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
}

/**
 * Makes every insert of an event of type `SlowCommit` sleep `seconds` inside the
 * append transaction, after the store has taken its position and before the commit.
 */
export const installSlowCommit = async (sql: postgres.Sql, schema: string, seconds: number): Promise<void> => {
  await sql.unsafe(`CREATE OR REPLACE FUNCTION "${schema}".slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.type = 'SlowCommit' THEN PERFORM pg_sleep(${seconds}); END IF;
      RETURN NEW;
    END $$`)
  await sql.unsafe(`CREATE TRIGGER slow_commit AFTER INSERT ON "${schema}".events
    FOR EACH ROW EXECUTE FUNCTION "${schema}".slow_commit()`)
}

/** resolves with the pid of a backend of `applicationName` once it waits on one of `waitEvents` (e.g. PgSleep) */
export const waitForBackend = async (
  sql: postgres.Sql,
  applicationName: string,
  ...waitEvents: ReadonlyArray<string>
): Promise<number> => {
  for (;;) {
    const rows = await sql<Array<{ pid: number }>>`
      SELECT pid FROM pg_stat_activity WHERE application_name = ${applicationName} AND wait_event = ANY(${waitEvents})`
    const pid = rows[0]?.pid
    if (pid !== undefined) return pid
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** resolves once a connection of `applicationName` has LISTENed and sits idle, waiting for notifications */
export const waitForListener = async (sql: postgres.Sql, applicationName: string): Promise<void> => {
  for (;;) {
    const rows = await sql`
      SELECT 1 FROM pg_stat_activity
       WHERE application_name = ${applicationName} AND state = 'idle' AND query LIKE 'LISTEN %'`
    if (rows.length > 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const student = (school: string, id: string): StreamId => ({ school, kind: "student", id })

export const event = (id: string, data: Record<string, unknown> = {}, type = "OfficeHoursVisited"): NewEvent => ({
  id,
  type,
  v: 1,
  occurredAt: "2026-10-01T15:30:00.000Z",
  source: "office-hours-scheduler",
  data: { studentId: "s-1", facultyId: "f-1", durationMinutes: 20, ...data }
})
