/**
 * The one way the projector writes read-model rows: one `INSERT … VALUES (…), (…) … ON
 * CONFLICT …` per chunk of rows instead of one statement per row. A batch of the large
 * simulated school rewrites tens of thousands of pair rows; per-row statements spent more
 * time crossing from JavaScript into SQLite than SQLite spent writing. The SQL is the same
 * on SQLite and PostgreSQL. Each table states its columns and key once, in its module
 * under `tables/`.
 *
 * A chunk must never hold the same key twice with `DO UPDATE` (PostgreSQL refuses to
 * update a row twice in one statement): callers pass rows with distinct keys, or the spec
 * says that keys may repeat (the last row of a key wins, as statements in turn would).
 *
 * @since 0.1.0
 */
import type { SqlExecutor, SqlValue } from "./SqlTypes.js"

/**
 * What a multi-row upsert needs to know of a table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Spec<R> {
  readonly table: string
  readonly columns: ReadonlyArray<string>
  readonly key: ReadonlyArray<string>
  readonly values: (school: string, row: R) => ReadonlyArray<SqlValue>
  /** on a key already there: update the other columns (default), or keep the row there */
  readonly onConflict?: "update" | "ignore"
  /** the rows given may repeat a key (then the last of them wins) */
  readonly keysMayRepeat?: boolean
}

/**
 * 0 or 1, as both databases store a flag.
 *
 * @since 0.2.0
 * @category constructors
 */
export const bool = (value: boolean): number => (value ? 1 : 0)

/** rows per statement: 64 × 15 columns stays far below both databases' parameter limits */
const chunk = 64

const texts = new WeakMap<Spec<never>, Map<number, string>>()

const textOf = <R>(spec: Spec<R>, rows: number): string => {
  let bySize = texts.get(spec)
  if (bySize === undefined) {
    bySize = new Map()
    texts.set(spec, bySize)
  }
  let text = bySize.get(rows)
  if (text === undefined) {
    const tuple = `(${spec.columns.map(() => "?").join(", ")})`
    const updates = spec.columns
      .filter((column) => !spec.key.includes(column))
      .map((column) => `${column} = excluded.${column}`)
      .join(", ")
    const action = spec.onConflict === "ignore" ? "DO NOTHING" : `DO UPDATE SET ${updates}`
    text = `INSERT INTO ${spec.table} (${spec.columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}
      ON CONFLICT (${spec.key.join(", ")}) ${action}`
    bySize.set(rows, text)
  }
  return text
}

/** The rows of a chunk whose keys may repeat, the last of each key kept (in its place). */
const lastOfEachKey = <R>(spec: Spec<R>, school: string, part: ReadonlyArray<R>): ReadonlyArray<R> => {
  const positions = spec.key.map((column) => spec.columns.indexOf(column))
  const last = new Map<string, number>()
  part.forEach((row, index) => {
    const values = spec.values(school, row)
    last.set(JSON.stringify(positions.map((position) => String(values[position]))), index)
  })
  if (last.size === part.length) return part
  const kept = new Set(last.values())
  return part.filter((_, index) => kept.has(index))
}

/**
 * Upserts `rows` of one school, a chunk per statement.
 *
 * @since 0.1.0
 * @category operations
 */
export const many = async <R>(
  tx: SqlExecutor,
  spec: Spec<R>,
  school: string,
  rows: ReadonlyArray<R>
): Promise<void> => {
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk)
    const part =
      spec.keysMayRepeat === true && spec.onConflict !== "ignore" ? lastOfEachKey(spec, school, slice) : slice
    const params: Array<SqlValue> = []
    for (const row of part) for (const value of spec.values(school, row)) params.push(value)
    await tx.run(textOf(spec, part.length), params)
  }
}
