import { describe, expect, it } from "vitest"
import * as Csv from "../src/lib/Csv.js"
import type * as Cell from "../src/lib/Cell.js"
import * as Table from "../src/lib/Table.js"

interface Row {
  readonly name: string
  readonly students: Cell.Cell
  readonly ratio: number | null
}

const hidden: Cell.Suppressed = { suppressed: true, reason: "small-group", threshold: 10 }
const rows: ReadonlyArray<Row> = [
  { name: "=Surgery", students: 42, ratio: 1.5 },
  { name: "Pediatrics", students: hidden, ratio: null },
  { name: "Anatomy", students: 12, ratio: 0.5 }
]
const columns: ReadonlyArray<Table.Column<Row>> = [
  { id: "name", header: "Department", csv: (r) => r.name },
  Table.cellColumn("students", "Students", (r) => r.students, "count"),
  Table.numberColumn("ratio", "Load", (r) => r.ratio, "decimal")
]

describe("Table.toCsv", () => {
  it("exports the rows shown, hidden cells as words, formulas escaped", () => {
    const parsed = Csv.parse(Table.toCsv(columns, rows))
    expect(parsed).toEqual([
      ["Department", "Students", "Load"],
      ["'=Surgery", "42", "1.5"],
      ["Pediatrics", "suppressed (small group < 10)", ""],
      ["Anatomy", "12", "0.5"]
    ])
  })

  it("lists the hidden cells to explain", () => {
    expect(Table.suppressions(columns, rows)).toEqual([hidden])
    expect(Table.suppressions(columns, rows.slice(0, 1))).toEqual([])
  })
})

describe("Table.hasVisibleCells", () => {
  it("is false only when every cell that may be hidden is hidden", () => {
    expect(Table.hasVisibleCells(columns, rows)).toBe(true)
    expect(
      Table.hasVisibleCells(
        columns,
        [rows[1]].filter((r) => r !== undefined)
      )
    ).toBe(false)
    expect(
      Table.hasVisibleCells(
        [columns[0]].filter((c) => c !== undefined),
        rows
      )
    ).toBe(true)
  })
})

describe("Table.sortRows", () => {
  const byStudents = columns[1]
  const byName = columns[0]
  if (byStudents === undefined || byName === undefined) throw new Error("columns")

  it("sorts numbers numerically, with hidden cells last in both directions", () => {
    expect(Table.sortRows(rows, byStudents, "asc").map((r) => r.name)).toEqual(["Anatomy", "=Surgery", "Pediatrics"])
    expect(Table.sortRows(rows, byStudents, "desc").map((r) => r.name)).toEqual(["=Surgery", "Anatomy", "Pediatrics"])
  })

  it("sorts text alphabetically and keeps the input untouched", () => {
    const before = rows.map((r) => r.name)
    expect(Table.sortRows(rows, byName, "asc").map((r) => r.name)).toEqual(["=Surgery", "Anatomy", "Pediatrics"])
    expect(rows.map((r) => r.name)).toEqual(before)
  })
})
