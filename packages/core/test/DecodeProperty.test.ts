import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeEvent, decodeEvents, encodeEvent } from "../src/Decode.js"
import { eventTypes } from "../src/Event.js"
import { arbitraryEvent, arbitraryEventOf } from "./arbitraries.js"

const decodeOk = (input: unknown) => {
  const result = decodeEvent(input)
  if (result._tag === "Failure") throw new Error(result.failure.message)
  return result.success
}

describe("decode ∘ encode", () => {
  it.each(eventTypes)("gives back every %s event", (type) => {
    fc.assert(
      fc.property(arbitraryEventOf(type), (event) => {
        expect(decodeOk(encodeEvent(event))).toStrictEqual(event)
      }),
      { numRuns: 50 }
    )
  })

  it("survives JSON, with any valid text in labels and ids", () => {
    fc.assert(
      fc.property(arbitraryEvent({ text: "any" }), (event) => {
        expect(decodeOk(JSON.parse(JSON.stringify(encodeEvent(event))))).toStrictEqual(event)
      }),
      { numRuns: 500 }
    )
  })

  it("decodes a batch of encoded events to the same events, in order", () => {
    fc.assert(
      fc.property(fc.array(arbitraryEvent(), { maxLength: 20 }), (events) => {
        const result = decodeEvents(events.map(encodeEvent))
        expect(result._tag === "Success" ? result.success : result.failure.issues).toStrictEqual(events)
      }),
      { numRuns: 50 }
    )
  })

  it("is idempotent on the wire form: encode(decode(encode(x))) = encode(x)", () => {
    fc.assert(
      fc.property(arbitraryEvent(), (event) => {
        expect(encodeEvent(decodeOk(encodeEvent(event)))).toStrictEqual(encodeEvent(event))
      })
    )
  })
})

describe("decode never throws", () => {
  const neverThrows = (input: unknown) => {
    const result = decodeEvent(input)
    if (result._tag === "Failure") {
      expect(result.failure.issues.length).toBeGreaterThan(0)
      for (const issue of result.failure.issues) {
        expect(typeof issue.message).toBe("string")
        for (const segment of issue.path) expect(["string", "number"]).toContain(typeof segment)
      }
    }
  }

  it("on anything", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }), neverThrows),
      { numRuns: 2000 }
    )
  })

  it("on any JSON", () => {
    fc.assert(
      fc.property(
        fc.json().map((text) => JSON.parse(text)),
        neverThrows
      ),
      { numRuns: 2000 }
    )
  })

  it("on envelopes and payloads with any values in their fields", () => {
    const field = fc.oneof(
      fc.anything(),
      fc.constantFrom("__proto__", "constructor", Number.POSITIVE_INFINITY, 2 ** 60, -0, "2026-02-30")
    )
    fc.assert(
      fc.property(
        arbitraryEvent(),
        fc.dictionary(fc.constantFrom("id", "type", "v", "occurredAt", "source", "data", "__proto__"), field),
        fc.dictionary(fc.string({ maxLength: 20 }), field),
        (event, envelopePatch, dataPatch) => {
          neverThrows({ ...encodeEvent(event), ...envelopePatch })
          neverThrows({ ...encodeEvent(event), data: { ...event.data, ...dataPatch } })
        }
      ),
      { numRuns: 1000 }
    )
  })
})
