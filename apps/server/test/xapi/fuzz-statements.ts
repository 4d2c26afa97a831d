/**
 * Statements as a hostile or careless sender writes them: a valid statement with one part
 * replaced by a wrong value, or removed.
 */
import * as fc from "fast-check"
import { officeHoursStatement, plainStatement } from "./lrs.js"

export const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(1e308, -1, 0, 2 ** 53 + 1, ""),
  fc.string({ maxLength: 12 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.constantFrom("__proto__", "constructor", "mailto:", "P4W1D", "2026-13-45T99:00:00Z", "\u0000")
)

type Json = Record<string, unknown>

/** every path to a value inside a JSON value */
const pathsOf = (
  value: unknown,
  prefix: ReadonlyArray<string | number> = []
): Array<ReadonlyArray<string | number>> => {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))]
  if (value !== null && typeof value === "object")
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))]
  return [prefix]
}

const replaced = (value: unknown, path: ReadonlyArray<string | number>, next: unknown | undefined): unknown => {
  if (path.length === 0) return next
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaced(item, rest, next) : item))
  if (value !== null && typeof value === "object") {
    const out: Json = { ...(value as Json) }
    if (rest.length === 0 && next === undefined) delete out[String(head)]
    else out[String(head)] = replaced(out[String(head)], rest, next)
    return out
  }
  return value
}

const seeds = [
  officeHoursStatement(),
  plainStatement({ result: { duration: "PT1H", score: { raw: 1, min: 0, max: 2 } } })
]
export const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.nat(), fc.option(wrongValue, { nil: undefined }))
  .map(([seed, pick, next]) => {
    const paths = pathsOf(seed).filter((path) => path.length > 0)
    return replaced(seed, paths[pick % paths.length] ?? [], next)
  })
