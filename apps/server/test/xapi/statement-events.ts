/**
 * What statements do inside Rapport, through a real `rapport serve` (part of the suite of
 * statement-resource.ts): statements of the profile become events once and voiding
 * retracts them, support check-ins keep no free text, statements go with the student
 * and with the directory entry they would match, and Data coverage counts the rest.
 */
import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"
import { everyCell } from "../reliability/stores.js"
import { eventually, type Lrs, lmsHomePage, officeHoursStatement, plainStatement, xapi } from "./lrs.js"

export const rapportEvents = (ctx: { readonly lrs: () => Lrs; readonly db: () => string }) => {
  describe("Rapport events", () => {
    it("a statement of the profile becomes an event (once, however often it is sent); voiding retracts it", async () => {
      const lrs = ctx.lrs()
      const statement = officeHoursStatement()
      for (let i = 0; i < 2; i += 1)
        expect((await xapi(lrs, "POST", "/xapi/statements", { body: statement })).status).toBe(200)
      const relationship = async () => {
        const page = await fetch(`${lrs.url}/v1/students/s-1001`, { headers: { authorization: lrs.bearer.dean } })
        // a student known only by the retracted visit is no longer known at all
        if (page.status === 404) return 0
        if (page.status !== 200) return undefined
        const body = (await page.json()) as { timeline: Array<{ type: string }> }
        return body.timeline.filter((entry) => entry.type === "OfficeHoursVisited").length
      }
      await eventuallyEquals(relationship, 1)
      const voiding = plainStatement({
        verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
        object: { objectType: "StatementRef", id: statement.id }
      })
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: voiding })).status).toBe(200)
      await eventuallyEquals(relationship, 0)
    })

    it("a support check-in keeps no free text: not in GET, not in any table", async () => {
      const lrs = ctx.lrs()
      const secret = `feeling-low-${randomUUID()}`
      const statement = {
        id: randomUUID(),
        actor: { objectType: "Agent", name: `Dr ${secret}`, mbox: "mailto:grace@example.edu" },
        verb: { id: "http://id.tincanapi.com/verb/interviewed", display: { en: secret } },
        object: { objectType: "Agent", account: { homePage: lmsHomePage, name: "s-1001" } },
        result: { response: secret },
        context: {
          contextActivities: { category: [{ id: "https://rapport.dev/xapi/activity-types/support" }] },
          extensions: { "https://rapport.dev/xapi/extensions/kind": "wellbeing" }
        },
        timestamp: "2026-10-02T10:00:00Z"
      }
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: statement })).status).toBe(200)
      const got = await xapi(lrs, "GET", `/xapi/statements?statementId=${statement.id}`)
      expect(got.status).toBe(200)
      expect(got.text).not.toContain(secret)
      expect((got.body as { object: unknown }).object).toEqual(statement.object)
      expect((await everyCell(ctx.db())).filter((cell) => cell.text.includes(secret))).toEqual([])
    })

    it("statements are erased with the student they name, and unmatched ones with the directory entry they would match", async () => {
      const lrs = ctx.lrs()
      const address = `later-${randomUUID()}@example.edu`
      const marker = `marker-${randomUUID()}`
      const studentId = `s-erase-${randomUUID().slice(0, 8)}`
      // sent before the directory knew the address: kept unmatched
      const unmatched = plainStatement({ actor: { mbox: `mailto:${address}` }, result: { response: marker } })
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: unmatched })).status).toBe(200)
      const put = await fetch(`${lrs.url}/v1/directory/students/${studentId}`, {
        method: "PUT",
        headers: { authorization: lrs.bearer.admin, "content-type": "application/json" },
        body: JSON.stringify({ displayName: null, email: address })
      })
      expect(put.status).toBe(201)
      const matched = officeHoursStatement({
        actor: { account: { homePage: lmsHomePage, name: studentId } },
        result: { duration: "PT15M", response: marker }
      })
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: matched })).status).toBe(200)
      const erase = await fetch(`${lrs.url}/v1/events`, {
        method: "POST",
        headers: { authorization: lrs.bearer.lms, "content-type": "application/json" },
        body: JSON.stringify({
          id: randomUUID(),
          type: "StudentErasureRequested",
          occurredAt: "2026-11-01T00:00:00Z",
          data: { studentId }
        })
      })
      expect(erase.status).toBe(200)
      const gone = async (id: unknown) =>
        (await xapi(lrs, "GET", `/xapi/statements?statementId=${String(id)}`)).status === 404
      await eventually(async () => (await gone(unmatched.id)) && (await gone(matched.id)))
      const left = (await everyCell(ctx.db())).filter(
        (cell) => cell.text.includes(marker) || cell.text.includes(address) || cell.text.includes(studentId)
      )
      expect(left).toEqual([])
    })

    it("statements that become no event are counted by reason in Data coverage", async () => {
      const lrs = ctx.lrs()
      const statement = officeHoursStatement()
      const context = statement.context as Record<string, unknown>
      await xapi(lrs, "POST", "/xapi/statements", { body: plainStatement() })
      await xapi(lrs, "POST", "/xapi/statements", {
        body: { ...statement, context: { ...context, instructor: { mbox: "mailto:nobody@example.edu" } } }
      })
      const coverage = await fetch(`${lrs.url}/v1/dashboard/coverage/statements`, {
        headers: { authorization: lrs.bearer.dean }
      })
      const body = (await coverage.json()) as {
        sources: Array<{ source: string; received: number; used: number; notUsed: Array<{ reason: string }> }>
      }
      const lms = body.sources.find((source) => source.source === "lms-feed")
      expect(lms?.used).toBeGreaterThanOrEqual(1)
      expect(lms?.notUsed.map((n) => n.reason)).toEqual(
        expect.arrayContaining(["not-in-profile", "faculty-not-matched"])
      )
    })
  })
}

const eventuallyEquals = async (read: () => Promise<number | undefined>, expected: number) => {
  const deadline = Date.now() + 30_000
  let last: number | undefined
  while (Date.now() < deadline) {
    last = await read()
    if (last === expected) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  expect(last).toBe(expected)
}
