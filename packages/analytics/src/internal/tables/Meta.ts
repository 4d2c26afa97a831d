/**
 * `rm_meta`: named values of the read model (its schema version, the projector's lease, reload requests).
 *
 * @since 0.2.0
 */
import type { SqlExecutor } from "../SqlTypes.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_meta",
  ofSchool: false,
  ofStudent: false,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`
}

/**
 * Who holds the projector's lease, until when (epoch milliseconds). Stored as
 * `<holder>:<expiresMs>`, as every version of the projector has read it.
 *
 * @since 0.2.0
 * @category models
 */
export interface LeaseHolder {
  readonly holder: string
  readonly expiresMs: number
}

/**
 * A lease as `rm_meta` stores it.
 *
 * @since 0.2.0
 * @category constructors
 */
export const formatLease = (lease: LeaseHolder): string => `${lease.holder}:${lease.expiresMs}`

/**
 * A lease as `rm_meta` stores it, read back; `undefined` for a value that is not one.
 *
 * @since 0.2.0
 * @category constructors
 */
export const parseLease = (value: string): LeaseHolder | undefined => {
  const colon = value.lastIndexOf(":")
  const expiresMs = Number(value.slice(colon + 1))
  if (colon <= 0 || value.slice(colon + 1) === "" || !Number.isFinite(expiresMs)) return undefined
  return { holder: value.slice(0, colon), expiresMs }
}

/**
 * The lease as stored now (`undefined`: nobody holds one).
 *
 * @since 0.2.0
 * @category operations
 */
export const readLease = async (tx: SqlExecutor): Promise<string | undefined> => {
  const value = (await tx.all("SELECT value FROM rm_meta WHERE name = 'lease'"))[0]?.value
  return value === undefined || value === null ? undefined : String(value)
}

/**
 * Stores `next` as the lease if the stored one is still `expected` (`undefined`: none),
 * whoever wrote meanwhile; true when it was stored. The caller decides, from what it read,
 * whether it may take the lease: the write only checks that nobody took it in between.
 *
 * @since 0.2.0
 * @category operations
 */
export const replaceLease = async (
  tx: SqlExecutor,
  expected: string | undefined,
  next: LeaseHolder
): Promise<boolean> => {
  const result =
    expected === undefined
      ? await tx.run("INSERT INTO rm_meta (name, value) VALUES ('lease', ?) ON CONFLICT (name) DO NOTHING", [
          formatLease(next)
        ])
      : await tx.run("UPDATE rm_meta SET value = ? WHERE name = 'lease' AND value = ?", [formatLease(next), expected])
  return result.changes > 0
}

/**
 * Gives up the lease if `holder` holds it.
 *
 * @since 0.2.0
 * @category operations
 */
export const releaseLease = async (tx: SqlExecutor, holder: string): Promise<void> => {
  await tx.run("DELETE FROM rm_meta WHERE name = 'lease' AND value LIKE ?", [`${holder}:%`])
}
