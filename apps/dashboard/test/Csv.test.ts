import { describe, expect, it } from "vitest"
import * as Csv from "../src/lib/Csv.js"

describe("Csv.field", () => {
  it.each(["=SUM(A1:A9)", "+1", "-1+2", "@cmd", "\tx", "\rx"])(
    "escapes the formula-looking %j with a quote",
    (text) => {
      const out = Csv.field(text)
      expect(out.replace(/^"/, "").startsWith("'")).toBe(true)
    }
  )

  it("keeps ordinary text as it is", () => {
    expect(Csv.field("Internal Medicine")).toBe("Internal Medicine")
    expect(Csv.field("s-1001")).toBe("s-1001")
  })

  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(Csv.field('say "hi", twice')).toBe('"say ""hi"", twice"')
    expect(Csv.field("two\nlines")).toBe('"two\nlines"')
  })

  it("escapes and quotes at once when a formula holds a comma", () => {
    expect(Csv.field('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
  })

  it("keeps numbers numeric, negative ones too, and empties for missing values", () => {
    expect(Csv.field(-3)).toBe("-3")
    expect(Csv.field(0.25)).toBe("0.25")
    expect(Csv.field(Number.NaN)).toBe("")
    expect(Csv.field(null)).toBe("")
    expect(Csv.field(undefined)).toBe("")
    expect(Csv.field(true)).toBe("yes")
  })
})

describe("Csv.format and Csv.parse", () => {
  it("writes a header and rows with CRLF", () => {
    expect(Csv.format(["a", "b"], [[1, "x"]])).toBe("a,b\r\n1,x\r\n")
  })

  it("reads back what it wrote (text cells that are not formulas)", () => {
    const rows = [
      ["plain", "with, comma", 'with "quotes"', "multi\r\nline", ""],
      ["é ü ß", "", "x", "y", "z"]
    ]
    const text = Csv.format(["1", "2", "3", "4", "5"], rows)
    expect(Csv.parse(`\uFEFF${text}`)).toEqual([["1", "2", "3", "4", "5"], ...rows])
  })

  it("round-trips any text, with formula-looking cells coming back quoted", () => {
    const samples = ["", "a", "=1+1", "-", "@@", '"', ",", "\n", "x\r\ny", "'already", " spaced "]
    for (const sample of samples) {
      const [row] = Csv.parse(Csv.format(["h"], [[sample]])).slice(1)
      const expected = /^[=+\-@\t\r]/.test(sample) ? `'${sample}` : sample
      expect(row).toEqual([expected])
    }
  })
})

describe("Csv.fileName", () => {
  it("names the school, the table and the date, with safe characters only", () => {
    expect(Csv.fileName("Demo School", "Students by tier", new Date("2026-11-25T10:00:00Z"))).toBe(
      "rapport-demo-school-students-by-tier-2026-11-25.csv"
    )
  })
})
