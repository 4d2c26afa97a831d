/**
 * Position tokens: a token opens to the position it sealed, for the school it was sealed
 * for and under the same key only; altered, truncated or foreign tokens open to nothing;
 * two tokens of the same position differ.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as PositionToken from "../src/http/PositionToken.js"

const schools = fc.stringMatching(/^[a-z0-9-]{1,40}$/)
const positions = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })

describe("PositionToken", () => {
  const tokens = PositionToken.make("a-secret-of-at-least-thirty-two-characters")

  it("opens to the position it sealed, for its school only", () => {
    fc.assert(
      fc.property(schools, schools, positions, (school, other, position) => {
        const token = tokens.seal(school, position)
        expect(token).toMatch(/^[A-Za-z0-9_-]{50}$/)
        expect(tokens.open(school, token)).toBe(position)
        if (other !== school) expect(tokens.open(other, token)).toBeUndefined()
      })
    )
  })

  it("opens nothing altered, truncated, made elsewhere or not a token", () => {
    const token = tokens.seal("school-a", 18_896)
    expect(tokens.seal("school-a", 18_896)).not.toBe(token)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(..."AQgw_-"), (at, c) => {
        const altered = `${token.slice(0, at)}${c}${token.slice(at + 1)}`
        if (altered !== token) expect(tokens.open("school-a", altered)).toBeUndefined()
      })
    )
    expect(tokens.open("school-a", token.slice(0, -1))).toBeUndefined()
    expect(tokens.open("school-a", `${token}A`)).toBeUndefined()
    expect(PositionToken.make("another-secret-of-at-least-thirty-two-chars").open("school-a", token)).toBeUndefined()
    for (const text of ["", "18896", "not a token", "%00"]) expect(tokens.open("school-a", text)).toBeUndefined()
  })
})
