/**
 * The OpenAPI 3.1 document, built from the same route table that builds the Hono routes.
 * JSON Schemas come from the routes' Effect Schemas; named schemas (those with an
 * `identifier` annotation) become `components/schemas`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { problemTypes } from "./Problem.js"
import { type AnyRoute, statusesOf } from "./Route.js"

type Json = Record<string, unknown>

// How two values of a bound combine when both a schema and a member of its `allOf` set it.
const tighter: Readonly<Record<string, (a: number, b: number) => number>> = {
  minimum: Math.max,
  exclusiveMinimum: Math.max,
  minLength: Math.max,
  minItems: Math.max,
  maximum: Math.min,
  exclusiveMaximum: Math.min,
  maxLength: Math.min,
  maxItems: Math.min
}

/**
 * Folds the `allOf` members that Effect emits for checks (`{ minimum: 1, description }`)
 * into their schema when every key combines (bounds tighten, the later description wins):
 * the same constraint, read as one schema by viewers and client generators.
 */
const mergeChecks = (schema: Record<string, unknown>): Record<string, unknown> => {
  const members = schema.allOf
  if (!Array.isArray(members)) return schema
  const merged: Record<string, unknown> = { ...schema }
  delete merged.allOf
  for (const member of members) {
    if (member === null || typeof member !== "object" || Array.isArray(member)) return schema
    for (const [key, value] of Object.entries(member)) {
      const combine = tighter[key]
      const current = merged[key]
      if (combine !== undefined && typeof value === "number")
        merged[key] = typeof current === "number" ? combine(current, value) : value
      else if (key === "description" && typeof value === "string") merged[key] = value
      else if (current === undefined) merged[key] = value
      else return schema
    }
  }
  return merged
}

/** `Schema.Int`'s bounds are JavaScript's safe integers: true of every integer sent, noise in the docs */
const withoutSafeIntegerBounds = (schema: Record<string, unknown>): Record<string, unknown> => {
  if (schema.type !== "integer") return schema
  const out = { ...schema }
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum
  if (out.description === "an integer" && (out.minimum !== undefined || out.maximum !== undefined))
    delete out.description
  return out
}

const rewrite = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewrite)
  if (value !== null && typeof value === "object") {
    const out: Json = {}
    for (const [key, member] of Object.entries(value)) {
      out[key] =
        key === "$ref" && typeof member === "string"
          ? member.replace(/^#\/\$defs\//, "#/components/schemas/")
          : rewrite(member)
    }
    return withoutSafeIntegerBounds(mergeChecks(out))
  }
  return value
}

const problemSchema: Json = {
  type: "object",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["index", "path", "message"],
        properties: {
          index: { type: "integer", minimum: 0 },
          path: { type: "array", items: { type: ["string", "integer"] } },
          message: { type: "string" }
        }
      }
    }
  }
}

/**
 * What each tag of the route table groups, shown by `/docs`. A route's tag must be here
 * (a test checks it), so that every group of operations says what it is for.
 *
 * @since 0.2.0
 * @category constants
 */
export const tagDescriptions: Readonly<Record<string, string>> = {
  events:
    "School systems post interaction events here (key scope `events:write`). Every event type is a schema of its own, discriminated on `type`; see docs/events.md.",
  dashboards:
    "The school-wide views behind the deans' dashboard: overview, trends, students, faculty, letters, follow-ups, data coverage. Small groups are hidden for `aggregates:read`.",
  people: "One student's or one faculty member's page (`dashboards:read`; every view of a student is audited).",
  admin: "The directory (names and e-mail addresses, kept apart from events), the audit log and retention (`admin`).",
  session: "The dashboard's sign-in: a key exchanged for a session cookie.",
  operations: "Liveness, readiness, metrics and this reference. No key needed.",
  advising:
    "Acting on what the dashboards show: the worklist, concerns and cases, mentor assignment with capacity, LCME 11.1 counseling conflicts, follow-ups dismissed or snoozed, inspection requests (`advising`, `advising:write`, `dashboards:read`, `admin`; see docs/advising.md).",
  xapi: "xAPI statements from learning tools and LMSs (HTTP Basic with an `events:write` key; X-Experience-API-Version 2.0.0 or 1.0.3). Statements that follow Rapport's profile become events; see docs/xapi.md."
}

const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

/** the one value a schema allows (`const`, or an `enum` of one), if it allows one only */
const singleValue = (schema: unknown): string | undefined => {
  if (!isJson(schema)) return undefined
  if (typeof schema.const === "string") return schema.const
  const values = schema.enum
  return Array.isArray(values) && values.length === 1 && typeof values[0] === "string" ? values[0] : undefined
}

/**
 * Marks unions of named objects that a required property with one value per member tells
 * apart (`type` for events) with an OpenAPI `discriminator`, so that viewers and client
 * generators pick the member from that property.
 */
const addDiscriminators = (components: Json): void => {
  for (const schema of Object.values(components)) {
    if (!isJson(schema)) continue
    const members = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined
    if (members === undefined || members.length < 2) continue
    const refs = members.map((member) => (isJson(member) && typeof member.$ref === "string" ? member.$ref : undefined))
    const targets = refs.map((ref) =>
      ref === undefined ? undefined : components[ref.replace(/^#\/components\/schemas\//, "")]
    )
    const first = targets[0]
    if (!isJson(first) || !isJson(first.properties)) continue
    for (const name of Object.keys(first.properties)) {
      const mapping: Record<string, string> = {}
      const tells = targets.every((target, index) => {
        const ref = refs[index]
        if (!isJson(target) || !isJson(target.properties) || ref === undefined) return false
        const required = Array.isArray(target.required) && target.required.includes(name)
        const value = singleValue(target.properties[name])
        if (!required || value === undefined || value in mapping) return false
        mapping[value] = ref
        return true
      })
      if (tells) {
        schema.discriminator = { propertyName: name, mapping }
        break
      }
    }
  }
}

const retryAfterHeader = (required: boolean): Json => ({
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    required,
    schema: { type: "integer", minimum: 1 }
  }
})

/**
 * Builds the document.
 *
 * @since 0.1.0
 * @category constructors
 */
export const document = (table: ReadonlyArray<AnyRoute>, info: { readonly version: string }): Json => {
  const components: Json = { Problem: problemSchema }
  const toJson = (schema: Schema.Top): Json => {
    const doc = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error", generateDescriptions: true })
    for (const [name, definition] of Object.entries(doc.definitions)) components[name] = rewrite(definition)
    return rewrite(doc.schema) as Json
  }
  // Parameters arrive as text. One that decodes to a number or a boolean is documented as
  // that (`page` is an integer, not "a string that will be decoded as a number"); a text
  // keeps the schema of its text (pattern, description).
  const parameters = (schema: Schema.Top | undefined, where: "path" | "query"): Array<Json> => {
    if (schema === undefined) return []
    const json = toJson(schema)
    const decoded = toJson(Schema.toType(schema))
    const properties = (json.properties ?? {}) as Record<string, Json>
    const decodedProperties = (decoded.properties ?? {}) as Record<string, Json>
    const required = new Set((json.required ?? []) as Array<string>)
    return Object.entries(properties)
      .map(([name, text]) => {
        const value = decodedProperties[name]
        const typed = value !== undefined && ["integer", "number", "boolean"].includes(String(value.type))
        return [name, typed ? value : text] as const
      })
      .map(([name, property]) => ({
        name,
        in: where,
        required: where === "path" || required.has(name),
        schema: property,
        ...(typeof property.description === "string" ? { description: property.description } : {})
      }))
  }
  const paths: Record<string, Json> = {}
  for (const entry of table) {
    const responses: Json = {}
    for (const [status, spec] of Object.entries(entry.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.contentType === undefined && spec.schema === undefined
          ? {}
          : {
              content: {
                [spec.contentType ?? "application/json"]:
                  spec.schema === undefined ? {} : { schema: toJson(spec.schema) },
                ...Object.fromEntries(
                  Object.entries(spec.alternatives ?? {}).map(([type, description]) => [
                    type,
                    { schema: { type: "string", description } }
                  ])
                )
              }
            })
      }
    }
    for (const status of statusesOf(entry)) {
      responses[String(status)] = {
        description: problemTypes[status],
        // 429 always says when to retry; a 503 does when the outage is expected to be short
        ...(status === 429 || status === 503 ? { headers: retryAfterHeader(status === 429) } : {}),
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } }
      }
    }
    const operation: Json = {
      operationId: entry.operationId,
      summary: entry.summary,
      ...(entry.description === undefined ? {} : { description: entry.description }),
      tags: [entry.tag],
      parameters: [...parameters(entry.params, "path"), ...parameters(entry.query, "query")],
      responses,
      security:
        entry.access._tag === "Public"
          ? []
          : entry.path.startsWith("/xapi/")
            ? [{ xapiBasic: [] }]
            : [{ apiKey: [] }, { session: [] }],
      ...(entry.access._tag === "Scoped" ? { "x-scopes": entry.access.anyOf } : {})
    }
    if (entry.requestBody !== undefined) {
      const content: Json = {}
      for (const [type, schema] of Object.entries(entry.requestBody.content)) {
        const examples = entry.requestBody.examples?.[type]
        content[type] = {
          ...(schema === undefined ? {} : { schema: toJson(schema) }),
          ...(examples === undefined ? {} : { examples })
        }
      }
      operation.requestBody = { required: true, description: entry.requestBody.description, content }
    }
    const item = paths[entry.path] ?? {}
    item[entry.method.toLowerCase()] = operation
    paths[entry.path] = item
  }
  addDiscriminators(components)
  const tags = [...new Set(table.map((entry) => entry.tag))].map((name) => ({
    name,
    ...(tagDescriptions[name] === undefined ? {} : { description: tagDescriptions[name] })
  }))
  return {
    openapi: "3.1.0",
    info: {
      title: "Rapport API",
      version: info.version,
      description:
        "Post interaction events between medical students and faculty, and read the engagement dashboards. Intended use: formative outreach (finding students who lack faculty connections and nudging relationships along), never grading, promoting or evaluating students or faculty."
    },
    servers: [{ url: "/" }],
    tags,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key created with `rapport keys create`." },
        xapiBasic: {
          type: "http",
          scheme: "basic",
          description:
            "xAPI routes (`/xapi/…`): an events:write key as HTTP Basic credentials, its public id as the user name and its secret as the password (docs/xapi.md)."
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "rapport_session",
          description: "The dashboard's session cookie."
        }
      }
    }
  }
}
