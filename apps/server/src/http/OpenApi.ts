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
    return out
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
  const parameters = (schema: Schema.Top | undefined, where: "path" | "query"): Array<Json> => {
    if (schema === undefined) return []
    const json = toJson(schema)
    const properties = (json.properties ?? {}) as Record<string, Json>
    const required = new Set((json.required ?? []) as Array<string>)
    return Object.entries(properties).map(([name, property]) => ({
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
                  spec.schema === undefined ? {} : { schema: toJson(spec.schema) }
              }
            })
      }
    }
    for (const status of statusesOf(entry)) {
      responses[String(status)] = {
        description: problemTypes[status],
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
        content[type] = schema === undefined ? {} : { schema: toJson(schema) }
      }
      operation.requestBody = { required: true, description: entry.requestBody.description, content }
    }
    const item = paths[entry.path] ?? {}
    item[entry.method.toLowerCase()] = operation
    paths[entry.path] = item
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Rapport API",
      version: info.version,
      description:
        "Post interaction events between medical students and faculty, and read the engagement dashboards. Intended use: formative outreach (finding students who lack faculty connections and nudging relationships along), never grading, promoting or evaluating students or faculty."
    },
    servers: [{ url: "/" }],
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
