/**
 * Whole lists as CSV (`format=csv` or `Accept: text/csv`): every row of every page of the
 * filtered, sorted list, equal field for field to the API's JSON rows; for aggregates:read,
 * the aggregate table with its hidden cells labelled, never a number; a student list still
 * refused to aggregates:read; formulas defused.
 */
import { describe, expect, it } from "vitest"
import * as CsvExport from "../src/http/CsvExport.js"
import { bearer, world, type World } from "./world.js"

/** RFC 4180 back into rows (quoted fields, doubled quotes, CRLF), the byte-order mark dropped. */
const parse = (text: string): Array<Array<string>> => {
  const input = text.replace(/^\uFEFF/, "")
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let current = ""
  let quoted = false
  for (let index = 0; index < input.length; index++) {
    const char = input[index]
    if (quoted) {
      if (char === '"' && input[index + 1] === '"') {
        current += '"'
        index++
      } else if (char === '"') quoted = false
      else current += char
    } else if (char === '"') quoted = true
    else if (char === ",") {
      row.push(current)
      current = ""
    } else if (char === "\r" && input[index + 1] === "\n") {
      index++
      row.push(current)
      rows.push(row)
      row = []
      current = ""
    } else current += char
  }
  return rows
}

const getJson = async (w: World, path: string, scope: "dashboards:read" | "aggregates:read" = "dashboards:read") => {
  const response = await w.app.request(path, { headers: bearer(w.keys.alpha[scope]) })
  expect(response.status, path).toBe(200)
  return response.json()
}

/** Every page of a JSON list, 2 rows at a time (so that paging is exercised). */
const allPages = async (w: World, path: string): Promise<Array<Record<string, unknown>>> => {
  const rows: Array<Record<string, unknown>> = []
  for (let page = 1; page < 100; page++) {
    const body = await getJson(w, `${path}${path.includes("?") ? "&" : "?"}page=${page}&pageSize=2`)
    rows.push(...body.rows)
    if (rows.length >= body.total) break
  }
  return rows
}

const csvOf = async (
  w: World,
  path: string,
  init: { scope?: "dashboards:read" | "aggregates:read"; accept?: string } = {}
) => {
  const response = await w.app.request(path, {
    headers: {
      ...bearer(w.keys.alpha[init.scope ?? "dashboards:read"]),
      ...(init.accept ? { accept: init.accept } : {})
    }
  })
  expect(response.status, path).toBe(200)
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8")
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="rapport-school-alpha-.+\.csv"$/)
  // response.text() would drop the byte-order mark
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer())
  expect(text.startsWith("\uFEFF")).toBe(true)
  const [header = [], ...rows] = parse(text)
  return { header, rows }
}

/** A JSON row as the CSV writes it, column by column. */
const expected = (columns: ReadonlyArray<string>, row: Record<string, unknown>): Array<string> =>
  columns.map((column) => {
    const value = column.split(".").reduce<unknown>((at, key) => (at as Record<string, unknown> | null)?.[key], row)
    return CsvExport.field(value).replace(/^"|"$/g, "").replaceAll('""', '"')
  })

describe("whole lists as CSV", () => {
  it("export every student of the filtered, sorted list, equal to the API's rows", async () => {
    const w = await world()
    const query = "status=all&sort=lastContact&order=desc"
    const api = await allPages(w, `/v1/dashboard/students?${query}`)
    expect(api.length).toBeGreaterThan(2)
    const csv = await csvOf(w, `/v1/dashboard/students?${query}&format=csv`)
    expect(csv.header).toContain("studentId")
    expect(csv.header).toContain("relationships.developing")
    expect(csv.rows.map((row) => row[csv.header.indexOf("studentId")])).toEqual(api.map((row) => row.studentId))
    expect(csv.rows).toEqual(api.map((row) => expected(csv.header, row)))
    // the same by Accept, and a filter narrows it
    const byAccept = await csvOf(w, `/v1/dashboard/students?${query}`, { accept: "text/csv" })
    expect(byAccept.rows).toEqual(csv.rows)
    const isolated = await allPages(w, "/v1/dashboard/students?isolated=true")
    expect((await csvOf(w, "/v1/dashboard/students?isolated=true&format=csv")).rows.length).toBe(isolated.length)
  })

  it("export faculty and follow-ups lists as the API pages them", async () => {
    const w = await world()
    for (const path of ["/v1/dashboard/faculty?sort=load&order=desc", "/v1/dashboard/follow-ups"]) {
      const api = await allPages(w, path)
      expect(api.length, path).toBeGreaterThan(0)
      const csv = await csvOf(w, `${path}${path.includes("?") ? "&" : "?"}format=csv`)
      expect(csv.rows, path).toEqual(api.map((row) => expected(csv.header, row)))
    }
  })

  it("export for aggregates:read the aggregate table, suppressed as on screen", async () => {
    const w = await world()
    expect(
      (await w.app.request("/v1/dashboard/students?format=csv", { headers: bearer(w.keys.alpha["aggregates:read"]) }))
        .status
    ).toBe(403)
    const body = await getJson(w, "/v1/dashboard/faculty", "aggregates:read")
    const csv = await csvOf(w, "/v1/dashboard/faculty?format=csv", { scope: "aggregates:read" })
    const labels = csv.rows.map((row) => row[0])
    expect(labels.at(-1)).toBe("All departments")
    const cell = (value: unknown) =>
      typeof value === "number" ? String(value) : CsvExport.suppressedText(value as Record<string, unknown>)
    const total = csv.rows.at(-1) ?? []
    expect(total[csv.header.indexOf("activeMentoringPairs")]).toBe(cell(body.departmentsTotal.activeMentoringPairs))
    // a school this small hides its departments from aggregates:read: labels, never numbers
    const hidden = JSON.stringify(body).includes('"suppressed":true')
    expect(hidden).toBe(true)
    expect(csv.rows.flat().some((value) => value.startsWith("suppressed ("))).toBe(true)
    const rules = await csvOf(w, "/v1/dashboard/follow-ups?format=csv", { scope: "aggregates:read" })
    expect(rules.header).toEqual(["ruleId", "due", "overdue", "done", "expired"])
  })

  it("stream page after page, reading the next only when the body is taken", async () => {
    const asked: Array<number> = []
    const pages = [[{ id: "c" }, { id: "d" }], [{ id: "e" }]]
    const response = CsvExport.response({
      columns: [{ header: "id", path: ["id"] }],
      first: [{ id: "a" }, { id: "b" }],
      next: async (read) => {
        asked.push(read)
        return pages.shift()
      },
      fileName: "x.csv"
    })
    expect(asked).toEqual([])
    expect(parse(await response.text()).flat()).toEqual(["id", "a", "b", "c", "d", "e"])
    expect(asked).toEqual([2, 4, 5])
  })

  it("defuses formulas and quotes as needed", () => {
    expect(CsvExport.field("=SUM(A1)")).toBe("'=SUM(A1)")
    expect(CsvExport.field('say "hi", then')).toBe('"say ""hi"", then"')
    expect(CsvExport.field(-3)).toBe("-3")
    expect(CsvExport.field(["f-1", "f-2"])).toBe("f-1 f-2")
    expect(CsvExport.field({ suppressed: true, reason: "small-group", threshold: 10 })).toBe(
      "suppressed (small group < 10)"
    )
  })
})
