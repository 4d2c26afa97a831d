/**
 * The statement resource's requirements, through a real `rapport serve`, named by the
 * numbers of ADL's LRS conformance test suite where one applies. Run on SQLite
 * (statements.test.ts) and PostgreSQL (statements.int.test.ts) with a database of their own.
 */
import { randomUUID } from "node:crypto"
import * as fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mutated } from "./fuzz-statements.js"
import { type Lrs, plainStatement, startLrs, xapi } from "./lrs.js"
import { rapportEvents } from "./statement-events.js"

export const statementResourceSuite = (
  database: () => Promise<{ readonly db: string; readonly drop: () => Promise<void> }>
) => {
  let lrs: Lrs
  let drop: () => Promise<void>
  let db: string
  beforeAll(async () => {
    const made = await database()
    drop = made.drop
    db = made.db
    lrs = await startLrs(made.db)
  }, 120_000)
  afterAll(async () => {
    await lrs?.stop()
    await drop?.()
  })

  describe("valid", () => {
    it("XAPI-00146, XAPI-00147: POST stores one statement or an array and answers the ids in order", async () => {
      const one = plainStatement()
      const single = await xapi(lrs, "POST", "/xapi/statements", { body: one })
      expect(single.status).toBe(200)
      expect(single.body).toEqual([one.id])
      const withoutId = plainStatement()
      delete withoutId.id
      const batch = [plainStatement(), withoutId]
      const many = await xapi(lrs, "POST", "/xapi/statements", { body: batch })
      expect(many.status).toBe(200)
      const ids = many.body as Array<string>
      expect(ids).toHaveLength(2)
      expect(ids[0]).toBe(batch[0]?.id)
      expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/)
      expect(single.headers.get("x-experience-api-version")).toBe("2.0.0")
    })

    it("XAPI-00143, XAPI-00156: PUT answers 204 and GET by statementId returns the statement as sent, with stored and authority", async () => {
      const statement = plainStatement({ result: { response: "free text", success: true } })
      const put = await xapi(lrs, "PUT", `/xapi/statements?statementId=${statement.id}`, { body: statement })
      expect(put.status).toBe(204)
      const got = await xapi(lrs, "GET", `/xapi/statements?statementId=${statement.id}`)
      expect(got.status).toBe(200)
      const body = got.body as Record<string, unknown>
      expect(body).toMatchObject(statement)
      expect(typeof body.stored).toBe("string")
      expect(body.authority).toMatchObject({ objectType: "Agent" })
      expect(got.headers.get("x-experience-api-consistent-through")).toMatch(/^\d{4}-\d{2}-\d{2}T/)
      expect(got.headers.get("last-modified")).toBe(new Date(String(body.stored)).toUTCString())
    })

    it("XAPI-00315: GET /xapi/about lists the versions, without credentials or version header", async () => {
      const about = await xapi(lrs, "GET", "/xapi/about", { auth: null, version: null })
      expect(about.status).toBe(200)
      expect((about.body as { version: Array<string> }).version).toEqual(["2.0.0", "1.0.3"])
    })

    it("the OpenAPI document describes the xAPI routes, with HTTP Basic", async () => {
      const doc = (await (await fetch(`${lrs.url}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { security?: unknown; tags?: Array<string> }>>
      }
      for (const method of ["post", "put", "get"]) {
        expect(doc.paths["/xapi/statements"]?.[method]?.security).toEqual([{ xapiBasic: [] }])
        expect(doc.paths["/xapi/statements"]?.[method]?.tags).toEqual(["xapi"])
      }
      expect(doc.paths["/xapi/about"]?.get?.security).toEqual([])
      const tags = (doc as unknown as { tags: Array<{ name: string; description?: string }> }).tags
      for (const tag of tags) expect(typeof tag.description, tag.name).toBe("string")
      expect(tags.map((tag) => tag.name)).toContain("xapi")
    })

    it("accepts the 1.0.3 version header", async () => {
      const posted = await xapi(lrs, "POST", "/xapi/statements", { body: plainStatement(), version: "1.0.3" })
      expect(posted.status).toBe(200)
    })
  })

  describe("invalid", () => {
    const rejected = async (statement: unknown, path: ReadonlyArray<string | number>) => {
      const answer = await xapi(lrs, "POST", "/xapi/statements", { body: statement })
      expect(answer.status).toBe(400)
      const errors = (answer.body as { errors: Array<{ path: Array<string | number> }> }).errors
      expect(errors.map((e) => e.path)).toContainEqual(path)
    }

    it("XAPI-00027, XAPI-00030: an id that is not a UUID", () => rejected(plainStatement({ id: "not-a-uuid" }), ["id"]))
    it("XAPI-00044: a verb without id", () =>
      rejected(plainStatement({ verb: { display: { en: "did" } } }), ["verb", "id"]))
    it("XAPI-00011: an IRI without a scheme", () =>
      rejected(plainStatement({ object: { id: "courses/anatomy" } }), ["object", "id"]))
    it("XAPI-00038: an mbox without mailto:", () =>
      rejected(plainStatement({ actor: { mbox: "learner@example.edu" } }), ["actor", "mbox"]))
    it("an agent with two identifiers", () =>
      rejected(plainStatement({ actor: { mbox: "mailto:a@example.edu", openid: "https://id.example.edu/a" } }), [
        "actor"
      ]))
    it("XAPI-00123: a timestamp with the -00:00 offset", () =>
      rejected(plainStatement({ timestamp: "2026-10-01T15:30:00-00:00" }), ["timestamp"]))
    it("an unknown property (a typo)", () => rejected({ ...plainStatement(), verbs: {} }, ["verbs"]))
    it("XAPI-00016: voiding needs a StatementRef", () =>
      rejected(plainStatement({ verb: { id: "http://adlnet.gov/expapi/verbs/voided" } }), ["object"]))

    it("XAPI-00144, XAPI-00145: PUT without statementId is 400; nothing of an invalid batch is stored", async () => {
      const put = await xapi(lrs, "PUT", "/xapi/statements", { body: plainStatement() })
      expect(put.status).toBe(400)
      const good = plainStatement()
      const batch = await xapi(lrs, "POST", "/xapi/statements", { body: [good, { ...plainStatement(), actor: {} }] })
      expect(batch.status).toBe(400)
      expect((await xapi(lrs, "GET", `/xapi/statements?statementId=${good.id}`)).status).toBe(404)
    })

    it("no statement, however malformed, is answered 5xx; every refusal is a problem with paths", async () => {
      const samples = fc.sample(mutated, { numRuns: 150, seed: 22 })
      for (const [index, sample] of samples.entries()) {
        const body = index % 3 === 0 ? [plainStatement(), sample] : sample
        const answer = await xapi(lrs, "POST", "/xapi/statements", { body })
        expect(answer.status, JSON.stringify(sample)).toBeLessThan(500)
        if (answer.status === 400) expect(answer.headers.get("content-type")).toContain("application/problem+json")
      }
    })

    it("XAPI-00151: statementId with a query parameter is 400", async () => {
      const answer = await xapi(lrs, "GET", `/xapi/statements?statementId=${randomUUID()}&verb=http://x.example/v`)
      expect(answer.status).toBe(400)
    })
  })

  describe("duplicate and conflicting", () => {
    it("XAPI-00142: the same statement again is a harmless retry; the same id with other content is 409 and changes nothing", async () => {
      const statement = plainStatement()
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: statement })).status).toBe(200)
      const again = await xapi(lrs, "POST", "/xapi/statements", { body: statement })
      expect(again.status).toBe(200)
      expect(again.body).toEqual([statement.id])
      expect((await xapi(lrs, "PUT", `/xapi/statements?statementId=${statement.id}`, { body: statement })).status).toBe(
        204
      )
      const other = { ...statement, verb: { id: "http://adlnet.gov/expapi/verbs/failed" } }
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: other })).status).toBe(409)
      expect((await xapi(lrs, "PUT", `/xapi/statements?statementId=${statement.id}`, { body: other })).status).toBe(409)
      const got = await xapi(lrs, "GET", `/xapi/statements?statementId=${statement.id}`)
      expect((got.body as { verb: unknown }).verb).toEqual(statement.verb)
    })

    it("the same new statement sent by several requests at once is stored once, and every request is answered 200", async () => {
      const statement = plainStatement()
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => xapi(lrs, "POST", "/xapi/statements", { body: statement }))
      )
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
      const stored = await xapi(
        lrs,
        "GET",
        `/xapi/statements?verb=${encodeURIComponent(String((statement.verb as { id: string }).id))}&agent=${encodeURIComponent(JSON.stringify({ mbox: "mailto:learner@example.edu" }))}&limit=100`
      )
      const ids = (stored.body as { statements: Array<{ id: string }> }).statements.map((s) => s.id)
      expect(ids.filter((id) => id === statement.id)).toHaveLength(1)
    })

    it("a batch that repeats an id is 400", async () => {
      const statement = plainStatement()
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: [statement, statement] })).status).toBe(400)
    })
  })

  describe("voided", () => {
    it("XAPI-00018, XAPI-00155: a voided statement is found by voidedStatementId only, and leaves queries", async () => {
      const target = plainStatement({ verb: { id: "https://lms.example.edu/verbs/voided-soon" } })
      await xapi(lrs, "POST", "/xapi/statements", { body: target })
      const voiding = plainStatement({
        verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
        object: { objectType: "StatementRef", id: target.id }
      })
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: voiding })).status).toBe(200)
      expect((await xapi(lrs, "GET", `/xapi/statements?statementId=${target.id}`)).status).toBe(404)
      const found = await xapi(lrs, "GET", `/xapi/statements?voidedStatementId=${target.id}`)
      expect(found.status).toBe(200)
      expect((found.body as { id: string }).id).toBe(target.id)
      // the voided statement leaves the query; the voiding statement targets it, so it meets the filter (XAPI-00162)
      const query = await xapi(
        lrs,
        "GET",
        `/xapi/statements?verb=${encodeURIComponent("https://lms.example.edu/verbs/voided-soon")}`
      )
      expect((query.body as { statements: Array<{ id: string }> }).statements.map((s) => s.id)).toEqual([voiding.id])
      // XAPI-00016: a voiding statement cannot be voided
      const voidVoiding = plainStatement({
        verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
        object: { objectType: "StatementRef", id: voiding.id }
      })
      expect((await xapi(lrs, "POST", "/xapi/statements", { body: voidVoiding })).status).toBe(400)
      expect((await xapi(lrs, "GET", `/xapi/statements?statementId=${voiding.id}`)).status).toBe(200)
    })
  })

  describe("queried and paged", () => {
    const verb = `https://lms.example.edu/verbs/${randomUUID()}`
    const mine = Array.from({ length: 5 }, (_, i) =>
      plainStatement({
        verb: { id: verb },
        actor: { mbox: `mailto:learner-${i % 2}@example.edu` },
        object: { id: `https://lms.example.edu/activities/${i % 3}` }
      })
    )
    beforeAll(async () => {
      // one at a time, so that each has its own stored instant and the order is known
      for (const statement of mine) await xapi(lrs, "POST", "/xapi/statements", { body: statement })
    })

    const page = async (query: string) => {
      const answer = await xapi(lrs, "GET", `/xapi/statements?${query}`)
      expect(answer.status).toBe(200)
      return answer.body as { statements: Array<{ id: string; stored: string }>; more: string }
    }

    it("XAPI-00180, XAPI-00181, XAPI-00179: by verb, agent and activity", async () => {
      const v = encodeURIComponent(verb)
      expect((await page(`verb=${v}`)).statements.map((s) => s.id)).toEqual(mine.map((s) => s.id).reverse())
      const agent = encodeURIComponent(JSON.stringify({ mbox: "mailto:learner-1@example.edu" }))
      expect((await page(`verb=${v}&agent=${agent}`)).statements.map((s) => s.id).sort()).toEqual(
        [mine[1]?.id, mine[3]?.id].sort()
      )
      const activity = encodeURIComponent("https://lms.example.edu/activities/0")
      expect((await page(`verb=${v}&activity=${activity}`)).statements.map((s) => s.id).sort()).toEqual(
        [mine[0]?.id, mine[3]?.id].sort()
      )
    })

    it("XAPI-00175, XAPI-00174, XAPI-00166: since, until and ascending", async () => {
      const v = encodeURIComponent(verb)
      const all = (await page(`verb=${v}&ascending=true`)).statements
      expect(all.map((s) => s.id)).toEqual(mine.map((s) => s.id))
      const since = encodeURIComponent(all[1]?.stored ?? "")
      const until = encodeURIComponent(all[3]?.stored ?? "")
      expect(
        (await page(`verb=${v}&ascending=true&since=${since}&until=${until}`)).statements.map((s) => s.id)
      ).toEqual([mine[2]?.id, mine[3]?.id])
    })

    it("XAPI-00108, XAPI-00109, XAPI-00173: limit pages with more links, each statement once, the last more empty", async () => {
      const seen: Array<string> = []
      let result = await page(`verb=${encodeURIComponent(verb)}&limit=2`)
      let pages = 1
      for (;;) {
        expect(result.statements.length).toBeLessThanOrEqual(2)
        seen.push(...result.statements.map((s) => s.id))
        if (result.more === "") break
        const next = await xapi(lrs, "GET", result.more)
        expect(next.status).toBe(200)
        result = next.body as typeof result
        pages += 1
      }
      expect(pages).toBe(3)
      expect(seen).toEqual(mine.map((s) => s.id).reverse())
    })
  })

  describe("filters and formats", () => {
    it("XAPI-00162: a filter keeps the statements that target a statement meeting it, voided or not", async () => {
      const verb = `https://lms.example.edu/verbs/${randomUUID()}`
      const target = plainStatement({ verb: { id: verb } })
      const voiding = plainStatement({
        verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
        object: { objectType: "StatementRef", id: target.id }
      })
      const reference = plainStatement({
        verb: { id: "http://adlnet.gov/expapi/verbs/experienced" },
        object: { objectType: "StatementRef", id: target.id }
      })
      for (const statement of [target, voiding, reference])
        expect((await xapi(lrs, "POST", "/xapi/statements", { body: statement })).status).toBe(200)
      const found = await xapi(lrs, "GET", `/xapi/statements?verb=${encodeURIComponent(verb)}`)
      const ids = (found.body as { statements: Array<{ id: string }> }).statements.map((s) => s.id)
      expect(ids.sort()).toEqual([voiding.id, reference.id].sort())
    })

    it("XAPI-00169, XAPI-00171: format canonical keeps one language (Accept-Language first), format ids only identifiers; context activities are arrays", async () => {
      const statement = plainStatement({
        verb: {
          id: "http://adlnet.gov/expapi/verbs/completed",
          display: { "en-US": "completed", "en-GB": "finished" }
        },
        context: { contextActivities: { category: { id: "https://lms.example.edu/categories/anatomy" } } }
      })
      await xapi(lrs, "POST", "/xapi/statements", { body: statement })
      const canonical = await xapi(lrs, "GET", `/xapi/statements?statementId=${statement.id}&format=canonical`, {
        headers: { "accept-language": "en-GB" }
      })
      expect((canonical.body as { verb: unknown }).verb).toEqual({
        id: "http://adlnet.gov/expapi/verbs/completed",
        display: { "en-GB": "finished" }
      })
      const ids = await xapi(lrs, "GET", `/xapi/statements?statementId=${statement.id}&format=ids`)
      const body = ids.body as { verb: unknown; actor: unknown; context: { contextActivities: { category: unknown } } }
      expect(body.verb).toEqual({ id: "http://adlnet.gov/expapi/verbs/completed" })
      expect(body.actor).toEqual({ objectType: "Agent", mbox: "mailto:learner@example.edu" })
      expect(body.context.contextActivities.category).toEqual([{ id: "https://lms.example.edu/categories/anatomy" }])
    })
  })

  describe("unauthorised", () => {
    it("XAPI-00334: no or wrong credentials are 401 with a Basic challenge; a key without events:write is 403", async () => {
      const none = await xapi(lrs, "GET", "/xapi/statements", { auth: null })
      expect(none.status).toBe(401)
      expect(none.headers.get("www-authenticate")).toMatch(/^Basic/)
      const wrong = await xapi(lrs, "GET", "/xapi/statements", {
        auth: `Basic ${Buffer.from("0123456789abcdef:not-the-secret").toString("base64")}`
      })
      expect(wrong.status).toBe(401)
      expect(
        (await xapi(lrs, "POST", "/xapi/statements", { auth: lrs.basic.dean, body: plainStatement() })).status
      ).toBe(403)
    })

    it("a key reads only the statements stored under it", async () => {
      const statement = plainStatement()
      await xapi(lrs, "POST", "/xapi/statements", { body: statement })
      expect(
        (await xapi(lrs, "GET", `/xapi/statements?statementId=${statement.id}`, { auth: lrs.basic.clinic })).status
      ).toBe(404)
      const theirs = await xapi(lrs, "GET", "/xapi/statements", { auth: lrs.basic.clinic })
      expect((theirs.body as { statements: Array<unknown> }).statements).toEqual([])
      // and cannot take its id
      expect((await xapi(lrs, "POST", "/xapi/statements", { auth: lrs.basic.clinic, body: statement })).status).toBe(
        409
      )
    })

    it("XAPI-00321: a request without the version header is 400; an unknown path under /xapi is a problem, not the dashboard", async () => {
      expect((await xapi(lrs, "GET", "/xapi/statements", { version: null })).status).toBe(400)
      expect((await xapi(lrs, "GET", "/xapi/statements", { version: "0.9" })).status).toBe(400)
      const unknown = await xapi(lrs, "GET", "/xapi/activities/state")
      expect(unknown.status).toBe(404)
      expect(unknown.headers.get("content-type")).toContain("application/problem+json")
    })
  })

  rapportEvents({ lrs: () => lrs, db: () => db })
}
