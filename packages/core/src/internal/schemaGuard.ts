/**
 * A fast yes/no check compiled from a payload schema's AST, so that valid payloads (nearly
 * all of them) are accepted without running the schema interpreter, which costs several
 * microseconds per event. Anything the guard rejects is decoded again by the schema, whose
 * issues are the ones reported: the guard decides speed, never messages.
 *
 * It understands only the shapes event payloads use — strings, numbers, booleans,
 * literals, unions, arrays, structs, and their checks — and gives up (returns `undefined`)
 * on anything else, including every schema that transforms, so the schema stays the
 * authority. It must accept exactly what the schema accepts; a property test holds it to
 * that for every event type.
 *
 * @internal
 */
import type * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"

type Guard = (input: unknown) => boolean

const parseOptions: SchemaAST.ParseOptions = { errors: "first", onExcessProperty: "error" }

const filtersOf = (checks: ReadonlyArray<SchemaAST.Check<unknown>>): Array<SchemaAST.Filter<unknown>> =>
  checks.flatMap((check) => (check._tag === "Filter" ? [check] : filtersOf(check.checks)))

const isRecord = (input: unknown): input is { readonly [key: string]: unknown } =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const compileArrays = (ast: SchemaAST.Arrays): Guard | undefined => {
  const [item, ...more] = ast.rest
  if (ast.elements.length > 0 || item === undefined || more.length > 0 || ast.encodingChecks !== undefined) {
    return undefined
  }
  const itemGuard = compile(item)
  if (itemGuard === undefined) return undefined
  return (input) => {
    if (!Array.isArray(input)) return false
    // An index loop, not `every`: a hole in a sparse array is an undefined item, not a skip.
    for (let i = 0; i < input.length; i++) if (!itemGuard(input[i])) return false
    return true
  }
}

const compileObjects = (ast: SchemaAST.Objects): Guard | undefined => {
  if (ast.indexSignatures.length > 0 || ast.encodingChecks !== undefined) return undefined
  const fields: Array<{ readonly name: string; readonly optional: boolean; readonly guard: Guard }> = []
  for (const field of ast.propertySignatures) {
    const guard = compile(field.type)
    if (typeof field.name !== "string" || guard === undefined) return undefined
    fields.push({ name: field.name, optional: field.type.context?.isOptional === true, guard })
  }
  const known: ReadonlySet<string> = new Set(fields.map((field) => field.name))
  return (input) => {
    if (!isRecord(input)) return false
    for (const key of Object.keys(input)) if (!known.has(key)) return false
    for (const field of fields) {
      if (Object.hasOwn(input, field.name) ? !field.guard(input[field.name]) : !field.optional) return false
    }
    return true
  }
}

const compileBase = (ast: SchemaAST.AST): Guard | undefined => {
  switch (ast._tag) {
    case "String":
      return (input) => typeof input === "string"
    case "Number":
      return (input) => typeof input === "number"
    case "Boolean":
      return (input) => typeof input === "boolean"
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal
    }
    case "Union": {
      const members: Array<Guard> = []
      for (const member of ast.types) {
        const guard = compile(member)
        if (guard === undefined) return undefined
        members.push(guard)
      }
      return (input) => members.some((guard) => guard(input))
    }
    case "Arrays":
      return compileArrays(ast)
    case "Objects":
      return compileObjects(ast)
    default:
      return undefined
  }
}

function compile(ast: SchemaAST.AST): Guard | undefined {
  if (ast.encoding !== undefined) return undefined
  const base = compileBase(ast)
  if (base === undefined || ast.checks === undefined) return base
  const filters = filtersOf(ast.checks)
  return (input) => base(input) && filters.every((filter) => filter.run(input, ast, parseOptions) === undefined)
}

/**
 * A guard accepting exactly the inputs the schema decodes without issues (with excess
 * properties as errors), or `undefined` when the schema uses anything it does not know.
 *
 * @internal
 */
export const make = <A>(schema: Schema.Decoder<A>): ((input: unknown) => input is A) | undefined => {
  const guard = compile(schema.ast)
  return guard === undefined ? undefined : (input: unknown): input is A => guard(input)
}
