/**
 * Every read-model table, in creation order: the one list the schema (ReadModel.ts),
 * rebuild, reload (Reload.ts) and erasure (Writer.ts) read. Adding a table is its module
 * under `tables/` and one entry here (and, for the projector to fill it, its rows in
 * Plan.ts and Writer.ts).
 *
 * @since 0.2.0
 */
import type { Table } from "./Table.js"
import * as Checkpoint from "./tables/Checkpoint.js"
import * as CoverageCells from "./tables/CoverageCells.js"
import * as Faculty from "./tables/Faculty.js"
import * as FollowUps from "./tables/FollowUps.js"
import * as Letters from "./tables/Letters.js"
import * as Meta from "./tables/Meta.js"
import * as Nudges from "./tables/Nudges.js"
import * as Pairs from "./tables/Pairs.js"
import * as PendingErasures from "./tables/PendingErasures.js"
import * as Positions from "./tables/Positions.js"
import * as Rotations from "./tables/Rotations.js"
import * as StudentMonths from "./tables/StudentMonths.js"
import * as Students from "./tables/Students.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const all: ReadonlyArray<Table> = [
  Meta.table,
  Checkpoint.table,
  Students.table,
  Pairs.table,
  Faculty.table,
  StudentMonths.table,
  Letters.table,
  FollowUps.table,
  Nudges.table,
  CoverageCells.table,
  Rotations.table,
  Positions.table,
  PendingErasures.table
]

/**
 * The tables holding rows of one school each (a reload rewrites them).
 *
 * @since 0.2.0
 * @category tables
 */
export const ofSchool: ReadonlyArray<Table> = all.filter((table) => table.ofSchool)

/**
 * The tables holding rows about one student each, that go with the student.
 *
 * @since 0.2.0
 * @category tables
 */
export const ofStudent: ReadonlyArray<Table> = all.filter((table) => table.ofStudent)
