import { afterEach, describe, expect, it, vi } from "vitest"
import * as WholeList from "../src/api/WholeList.js"

afterEach(() => {
  vi.unstubAllGlobals()
})

// A list of 450 rows, paged as the API pages it.
const list = Array.from({ length: 450 }, (_, i) => ({ id: `s-${String(i).padStart(3, "0")}` }))

describe("WholeList.load", () => {
  it("reads every page of the same filters at the largest page size, in the API's order", async () => {
    const asked: Array<string> = []
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: string) => {
        asked.push(input)
        const url = new URL(input, "http://x")
        const page = Number(url.searchParams.get("page"))
        const size = Number(url.searchParams.get("pageSize"))
        return new Response(JSON.stringify({ total: list.length, rows: list.slice((page - 1) * size, page * size) }))
      })
    )
    const rows = await WholeList.load<{ id: string }>(
      "/v1/dashboard/students?isolated=true&sort=lastContact&page=3&pageSize=25",
      (r) => r.id
    )
    expect(rows).toEqual(list)
    expect(asked).toHaveLength(3)
    for (const url of asked) {
      expect(url).toContain("isolated=true")
      expect(url).toContain("sort=lastContact")
      expect(url).toContain("pageSize=200")
    }
  })

  it("keeps a row once when the list moves under it", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: string) => {
        const page = Number(new URL(input, "http://x").searchParams.get("page"))
        // the second page starts with the first page's last row (a row was added before it)
        const rows = page === 1 ? list.slice(0, 200) : list.slice(199, 250)
        return new Response(JSON.stringify({ total: 250, rows }))
      })
    )
    const rows = await WholeList.load<{ id: string }>("/v1/dashboard/students", (r) => r.id)
    expect(rows.map((r) => r.id)).toEqual(list.slice(0, 250).map((r) => r.id))
  })
})
