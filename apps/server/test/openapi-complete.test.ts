/**
 * What makes `/openapi.json` complete beyond listing the routes: the body of
 * `POST /v1/events` is every event type (a schema each, from core's payload schemas,
 * discriminated on `type`, with the example docs/events.md gives, which decodes); query
 * parameters carry the type they decode to (integers are integers); 429 says `Retry-After`;
 * every tag says what it groups. The examples shown are those of docs/events.md.
 */
import { Decode, Event } from "@rapport/core"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { referenceOf } from "../scripts/event-reference.mjs"
import { eventReference } from "../src/ingest/EventReference.js"
import { world } from "./world.js"

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const at = (value: unknown, ...keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), value)

const documentOf = async (): Promise<Json> => {
  const w = await world()
  const doc: unknown = await (await w.app.request("/openapi.json")).json()
  if (!isObject(doc)) throw new Error("the document is not an object")
  return doc
}

describe("/openapi.json, complete", () => {
  it("gives POST /v1/events every event type, discriminated on type, with a decodable example each", async () => {
    const doc = await documentOf()
    const schemas = at(doc, "components", "schemas")
    if (!isObject(schemas)) throw new Error("no component schemas")
    const union = schemas.Event
    const refs = (at(union, "anyOf") as Array<{ $ref: string }>).map((member) => member.$ref)
    expect(refs).toEqual(Event.eventTypes.map((type) => `#/components/schemas/${type}Event`))
    expect(at(union, "discriminator", "propertyName")).toBe("type")
    expect(Object.keys(at(union, "discriminator", "mapping") as Json)).toEqual(Event.eventTypes)
    for (const type of Event.eventTypes) {
      const schema = schemas[`${type}Event`]
      expect(at(schema, "properties", "type", "enum"), type).toEqual([type])
      expect(at(schema, "additionalProperties"), type).toBe(false)
      expect(at(schema, "properties", "data", "additionalProperties"), type).toBe(false)
      expect(typeof at(schema, "description"), type).toBe("string")
      const examples = at(schema, "examples")
      expect(Array.isArray(examples) && examples.length === 1, `${type} has one example`).toBe(true)
      const decoded = Decode.decodeEvent(Array.isArray(examples) ? examples[0] : undefined)
      expect(decoded._tag === "Failure" ? decoded.failure.issues : [], type).toEqual([])
    }
    const content = at(doc, "paths", "/v1/events", "post", "requestBody", "content")
    expect(at(content, "application/json", "schema", "anyOf")).toEqual([
      { $ref: "#/components/schemas/Event" },
      expect.objectContaining({ type: "array", items: { $ref: "#/components/schemas/Event" }, maxItems: 1000 })
    ])
    expect(at(content, "application/x-ndjson", "schema")).toEqual({ $ref: "#/components/schemas/Event" })
    expect(Object.keys(at(content, "application/json", "examples") as Json)).toEqual(Event.eventTypes)
    const lines = String(at(content, "application/x-ndjson", "examples", "lines", "value"))
      .trim()
      .split("\n")
    for (const line of lines) expect(Decode.decodeEvent(JSON.parse(line))._tag).toBe("Success")
  })

  it("types query parameters as what they decode to: integers are integers", async () => {
    const doc = await documentOf()
    const integers = new Set(["page", "pageSize", "graduationYear", "cycle", "limit"])
    let seen = 0
    for (const [path, item] of Object.entries(at(doc, "paths") as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        for (const parameter of (at(operation, "parameters") as Array<Json> | undefined) ?? []) {
          const label = `${method} ${path} ${String(parameter.name)}`
          const schema = parameter.schema
          expect(JSON.stringify(schema), label).not.toContain("decoded as")
          expect(at(schema, "allOf"), label).toBeUndefined()
          if (integers.has(String(parameter.name))) {
            expect(at(schema, "type"), label).toBe("integer")
            seen += 1
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(8)
    const pageSize = (at(doc, "paths", "/v1/dashboard/students", "get", "parameters") as Array<Json>).find(
      (parameter) => parameter.name === "pageSize"
    )
    expect(pageSize?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200 })
  })

  it("says Retry-After on every 429, and describes every tag", async () => {
    const doc = await documentOf()
    let limited = 0
    for (const item of Object.values(at(doc, "paths") as Json)) {
      for (const operation of Object.values(item as Json)) {
        const header = at(operation, "responses", "429", "headers", "Retry-After")
        expect(header).toMatchObject({ required: true, schema: { type: "integer", minimum: 1 } })
        limited += 1
      }
    }
    expect(limited).toBeGreaterThan(20)
    const tags = at(doc, "tags") as Array<Json>
    const used = new Set(
      Object.values(at(doc, "paths") as Json).flatMap((item) =>
        Object.values(item as Json).flatMap((operation) => at(operation, "tags") as Array<string>)
      )
    )
    expect(tags.map((tag) => tag.name).sort()).toEqual([...used].sort())
    for (const tag of tags) expect(typeof tag.description, String(tag.name)).toBe("string")
  })

  it("shows the summaries and examples of docs/events.md (node apps/server/scripts/event-reference.mjs)", () => {
    const page = readFileSync(new URL("../../../docs/events.md", import.meta.url), "utf8")
    expect(eventReference).toEqual(referenceOf(page))
  })
})
