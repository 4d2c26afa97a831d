/**
 * A student's timeline a page at a time (`timelineLimit`, `timelineCursor`): the pages put
 * together are the whole timeline, in order, each entry once; `timelinePage` says the total
 * and where the next page starts; a cursor that is not one of ours is a 400 naming it;
 * without a limit the timeline is whole, as before.
 */
import { describe, expect, it } from "vitest"
import { bearer, world, type World } from "./world.js"

const get = async (w: World, path: string) => {
  const response = await w.app.request(path, { headers: bearer(w.keys.alpha["dashboards:read"]) })
  return { status: response.status, body: await response.json() }
}

describe("a student's timeline, paged", () => {
  it("pages through the whole timeline, each entry once, in order", async () => {
    const w = await world()
    const student = w.students.alpha[0]
    const whole = (await get(w, `/v1/students/${student}`)).body
    expect(whole.timeline.length).toBeGreaterThan(3)
    expect(whole.timelinePage).toEqual({ total: whole.timeline.length, nextCursor: null })
    const pages: Array<unknown> = []
    let cursor: string | null = null
    let requests = 0
    do {
      const query: string = `timelineLimit=2${cursor === null ? "" : `&timelineCursor=${encodeURIComponent(cursor)}`}`
      const { status, body } = await get(w, `/v1/students/${student}?${query}`)
      expect(status).toBe(200)
      expect(body.timeline.length).toBeLessThanOrEqual(2)
      expect(body.timelinePage.total).toBe(whole.timeline.length)
      // the rest of the page is the same
      expect(body.relationships).toEqual(whole.relationships)
      pages.push(...body.timeline)
      cursor = body.timelinePage.nextCursor
      requests += 1
    } while (cursor !== null && requests < 100)
    expect(pages).toEqual(whole.timeline)
    expect(requests).toBe(Math.ceil(whole.timeline.length / 2))
  })

  it("refuses a cursor that is not one of ours, and a limit out of range", async () => {
    const w = await world()
    const student = w.students.alpha[0]
    for (const query of ["timelineCursor=nonsense", "timelineLimit=0", "timelineLimit=1001", "timelineLimit=two"]) {
      const { status, body } = await get(w, `/v1/students/${student}?${query}`)
      expect(status, query).toBe(400)
      expect(JSON.stringify(body.errors), query).toMatch(/timeline(Cursor|Limit)/)
    }
  })
})
