/**
 * The compiled guard behind fast decoding must accept exactly what the payload schema
 * accepts, for every event type: valid payloads, payloads with one field replaced,
 * removed or added, payloads of other types, and anything at all.
 */
import * as fc from "fast-check"
import * as SchemaParser from "effect/SchemaParser"
import { describe, expect, it } from "vitest"
import type * as Schema from "effect/Schema"
import { dataSchemas, type EventType, eventTypes } from "../src/Event.js"
import * as SchemaGuard from "../src/internal/schemaGuard.js"
import { parseOptions } from "../src/Upcast.js"
import { arbitraryEvent } from "./arbitraries.js"

const edgeValues = fc.constantFrom<unknown>(
  "",
  " ",
  "x".repeat(129),
  "2026-02-30",
  "2026-02-28",
  0,
  -0,
  601,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  null,
  undefined,
  [],
  [""],
  ["f-1", "f-1"],
  {},
  "__proto__",
  "career",
  ["research"]
)

const mutated = (data: { readonly [key: string]: unknown }) =>
  fc.oneof(
    fc
      .record({ key: fc.constantFrom(...Object.keys(data)), value: fc.oneof(edgeValues, fc.anything()) })
      .map(({ key, value }) => ({ ...data, [key]: value })),
    fc
      .constantFrom(...Object.keys(data))
      .map((key) => Object.fromEntries(Object.entries(data).filter(([k]) => k !== key))),
    fc
      .record({ key: fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor")), value: fc.anything() })
      .map(({ key, value }) => {
        const copy: { [key: string]: unknown } = { ...data }
        Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true })
        return copy
      })
  )

const schemaOf = (type: EventType): Schema.Decoder<unknown> => dataSchemas[type]

describe("the payload guard", () => {
  it("exists for every type whose schema does not transform", () => {
    const without = eventTypes.filter((type) => SchemaGuard.make(schemaOf(type)) === undefined)
    expect(without).toStrictEqual(["EventRetracted"])
  })

  it.each(eventTypes.filter((type) => type !== "EventRetracted"))("agrees with the %s schema", (type) => {
    const schema = schemaOf(type)
    const guard = SchemaGuard.make(schema)
    const decode = SchemaParser.decodeUnknownResult(schema, parseOptions)
    if (guard === undefined) throw new Error("no guard")
    const inputs = fc.oneof(
      arbitraryEvent({ text: "any", types: [type] }).map((event) => event.data),
      arbitraryEvent({ text: "any", types: [type] }).chain((event) => mutated(event.data)),
      arbitraryEvent().map((event) => event.data),
      fc.anything({ withSparseArray: true, withNullPrototype: true, withBoxedValues: true })
    )
    fc.assert(
      fc.property(inputs, (input) => {
        expect(guard(input)).toBe(decode(input)._tag === "Success")
      }),
      { numRuns: 300 }
    )
  })
})
