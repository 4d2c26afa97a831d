/**
 * A JSON request body read as events: nesting bounded before parsing, then parsed, counted
 * and validated. Pure and synchronous, so that the server can run it in a worker thread
 * (`offload/WorkPool`): parsing a megabyte and decoding a thousand events is tens of
 * milliseconds the event loop must not spend while other schools wait.
 *
 * It must never read a clock or touch the store: the receiving time comes in, events go out.
 *
 * @since 0.2.0
 */
import type { Event } from "@rapport/core"
import * as Result from "effect/Result"
import type { ValidationIssue } from "../http/Problem.js"
import * as Ingest from "./Ingest.js"

/**
 * How deep a request body may nest arrays and objects. The deepest event is a batch
 * (array) of events (object) whose `data` (object) holds a list (array) of objects: five
 * levels. Deeper bodies are refused before `JSON.parse` and before any decoder walks them.
 *
 * @since 0.2.0
 * @category constants
 */
export const maxNesting = 32

/**
 * How many problems an invalid batch lists: a thousand invalid events can hold twelve
 * thousand problems (a megabyte and a half of answer to a quarter-megabyte request); the
 * first ones are listed, and the answer says how many there were.
 *
 * @since 0.2.0
 * @category constants
 */
export const maxListedIssues = 1000

/**
 * What a body turned out to be.
 *
 * @since 0.2.0
 * @category models
 */
export type Outcome =
  | { readonly _tag: "Malformed"; readonly message: string; readonly detail: string }
  | { readonly _tag: "Empty" }
  | { readonly _tag: "TooMany"; readonly count: number }
  | {
      readonly _tag: "Invalid"
      /** items in the batch */
      readonly count: number
      /** every problem, or the first {@link maxListedIssues} */
      readonly issues: ReadonlyArray<ValidationIssue>
      /** how many problems there were */
      readonly total: number
    }
  | { readonly _tag: "Valid"; readonly events: ReadonlyArray<Event.RapportEvent> }

const OPEN_ARRAY = 91
const CLOSE_ARRAY = 93
const OPEN_OBJECT = 123
const CLOSE_OBJECT = 125
const QUOTE = 34
const BACKSLASH = 92

/**
 * Whether `text` opens more than `limit` arrays or objects inside one another (brackets
 * inside strings do not count). One pass over the text, no allocation.
 *
 * @since 0.2.0
 * @category operations
 */
export const nestsDeeperThan = (text: string, limit: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) inString = true
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--
  }
  return false
}

/**
 * The same bound as {@link nestsDeeperThan}, over a body's bytes as they arrive: a body
 * nesting deeper than `limit` is known at its first chunk, and refused before the rest is
 * read, decoded or handed to a worker. UTF-8 never uses the bytes of `[`, `]`, `{`, `}`,
 * `"` or `\` inside a multi-byte character, so scanning bytes is scanning characters.
 *
 * @since 0.4.0
 * @category constructors
 */
export const nestingScan = (limit: number): ((chunk: Uint8Array) => boolean) => {
  let depth = 0
  let inString = false
  let escaped = false
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]
      if (inString) {
        if (escaped) escaped = false
        else if (c === BACKSLASH) escaped = true
        else if (c === QUOTE) inString = false
      } else if (c === QUOTE) inString = true
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (++depth > limit) return true
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--
    }
    return false
  }
}

/**
 * What a body nesting deeper than {@link maxNesting} is answered.
 *
 * @since 0.4.0
 * @category constants
 */
export const tooDeep: Extract<Outcome, { readonly _tag: "Malformed" }> = {
  _tag: "Malformed",
  detail: `The body nests arrays and objects more than ${maxNesting} levels deep; no event does.`,
  message: `Expected at most ${maxNesting} levels of nesting`
}

/**
 * Reads the body of a JSON request: one event (an object) or a batch (an array of up to
 * `maxEvents`).
 *
 * @since 0.2.0
 * @category operations
 */
export const read = (text: string, receivedAtMs: number, maxEvents: number): Outcome => {
  if (nestsDeeperThan(text, maxNesting)) return tooDeep
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return {
      _tag: "Malformed",
      detail: "The body is not valid JSON.",
      message: "Expected a JSON object (one event) or array (a batch)"
    }
  }
  const items = Array.isArray(parsed) ? parsed : [parsed]
  if (Array.isArray(parsed) && parsed.length === 0) return { _tag: "Empty" }
  if (items.length > maxEvents) return { _tag: "TooMany", count: items.length }
  const validated = Ingest.validate(items, new Date(receivedAtMs))
  return Result.isFailure(validated)
    ? {
        _tag: "Invalid",
        count: items.length,
        issues: validated.failure.slice(0, maxListedIssues),
        total: validated.failure.length
      }
    : { _tag: "Valid", events: validated.success }
}
