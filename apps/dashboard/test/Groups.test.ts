import { describe, expect, it } from "vitest"
import * as Groups from "../src/lib/Groups.js"
import * as Table from "../src/lib/Table.js"

const columns: ReadonlyArray<Table.Column<{ readonly name: string; readonly n: number }>> = [
  { id: "name", header: "Specialty", csv: (r) => r.name },
  Table.numberColumn("n", "Students", (r) => r.n, "count")
]

describe("a table of groups", () => {
  it("lists its groups, then Other, then the total, and exports them in that order", () => {
    const rows = Groups.rows(
      [
        { name: "Surgery", n: 23 },
        { name: "Pediatrics", n: 13 }
      ],
      { name: Groups.otherLabel(["Dermatology", "Neurology"], "specialty", "specialties"), n: 15 },
      { name: "All specialties", n: 51 }
    )
    expect(rows.map((r) => r.kind)).toEqual(["group", "group", "other", "total"])
    expect(Table.toCsv(columns, rows)).toBe(
      "Specialty,Students\r\nSurgery,23\r\nPediatrics,13\r\nOther (2 specialties),15\r\nAll specialties,51\r\n"
    )
    // a group named like the Other row still has a key of its own
    expect(Groups.key({ kind: "group" }, "Other (2 specialties)")).not.toBe(
      Groups.key({ kind: "other" }, "Other (2 specialties)")
    )
  })

  it("says what Other sums and why", () => {
    expect(Groups.otherLabel(["Dermatology"], "specialty", "specialties")).toBe("Other (1 specialty)")
    const sentence = Groups.otherSentence(["Dermatology", "Neurology"], 10)
    expect(sentence).toContain("Dermatology, Neurology")
    expect(sentence).toContain("fewer than 10 people")
  })
})
