/**
 * docs/events.md is checked against the code so that it cannot drift: every example
 * decodes (or fails exactly as the page says), every type has a section with one example
 * and a table of exactly its fields, and the fixed types and versions are as documented.
 */
import type * as SchemaAST from "effect/SchemaAST"
import { describe, expect, it } from "vitest"
import page from "../../../docs/events.md?raw"
import * as Decode from "../src/Decode.js"
import * as Dedupe from "../src/Dedupe.js"
import * as Event from "../src/Event.js"
import * as EventField from "../src/EventField.js"
import * as Ids from "../src/Ids.js"
import * as Upcast from "../src/Upcast.js"

const { decodeEvent } = Decode
const { dataSchemas, eventTypes, fixedEventTypes, isEventType } = Event
const { currentVersion } = Upcast

const jsonBlocks = (text: string): Array<unknown> =>
  [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1] ?? ""))

const fieldsOf = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  ast._tag === "Objects" ? ast.propertySignatures.map((field) => String(field.name)) : []

const sections = new Map(
  page
    .slice(page.indexOf("## Types"), page.indexOf("## Versions"))
    .split(/\n(?=### )/)
    .slice(1)
    .map((section) => [/^### `(\w+)`/.exec(section)?.[1] ?? "", section] as const)
)

describe("docs/events.md", () => {
  it("has examples that decode, or fail with exactly the problems it shows", () => {
    const blocks = jsonBlocks(page)
    expect(blocks.length).toBeGreaterThan(eventTypes.length)
    blocks.forEach((block, index) => {
      if (Array.isArray(block) || typeof block !== "object" || block === null || !("type" in block)) return
      const result = decodeEvent(block)
      const next = blocks[index + 1]
      if (Array.isArray(next)) {
        expect(result._tag === "Failure" ? result.failure.issues : "accepted").toStrictEqual(next)
      } else {
        expect(result._tag === "Failure" ? result.failure.issues : []).toStrictEqual([])
      }
    })
  })

  it("has one section per type, in the order of eventTypes", () => {
    expect([...sections.keys()]).toStrictEqual(eventTypes)
  })

  it.each(eventTypes)("documents %s: one example of that type and a table of exactly its fields", (type) => {
    const section = sections.get(type) ?? ""
    const examples = jsonBlocks(section)
    expect(examples).toHaveLength(1)
    expect(examples[0]).toMatchObject({ type })
    const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1])
    expect(documented).toStrictEqual(fieldsOf(dataSchemas[type].ast))
    expect(section.startsWith(`### \`${type}\` (fixed)`)).toBe(fixedEventTypes.includes(type))
    const v = currentVersion(type)
    expect(section.includes(`Current version: ${v}.`)).toBe(v > 1)
  })

  it("names only types that exist", () => {
    for (const [, name] of page.matchAll(/"type": "(\w+)"/g)) expect(name !== undefined && isEventType(name)).toBe(true)
  })

  it("names only exports that exist (types aside)", () => {
    const modules: { readonly [name: string]: object } = { Decode, Dedupe, Event, EventField, Ids, Upcast }
    const typeNames = new Set(["EventOf", "DataOf", "RapportEvent", "Envelope", "EventType", "WireEvent"])
    for (const [, module, name] of page.matchAll(/\b(Decode|Dedupe|Event|EventField|Ids|Upcast)\.([A-Za-z]+)/g)) {
      if (module === undefined || name === undefined || typeNames.has(name)) continue
      expect(`${module}.${name}: ${Object.hasOwn(modules[module] ?? {}, name)}`).toBe(`${module}.${name}: true`)
    }
  })
})
