/**
 * `/openapi.json` against the route table it is built from: every route with its method,
 * path and query parameters, success responses, every error status it can answer
 * (problem+json) and its scopes; and the document is OpenAPI 3.1 in shape — unique
 * operation ids, well-formed parameters and responses, every `$ref` resolving. The query
 * parameters it documents are exactly those the routes accept.
 */
import { describe, expect, it } from "vitest"
import { statusesOf } from "../src/http/Route.js"
import { bearer, world } from "./world.js"

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const at = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined)

const openApi = async () => {
  const w = await world()
  const response = await w.app.request("/openapi.json")
  expect(response.status).toBe(200)
  expect(response.headers.get("content-type")).toMatch(/^application\/json/)
  const doc: unknown = await response.json()
  if (!isObject(doc)) throw new Error("the document is not an object")
  return { w, doc }
}

const operationOf = (doc: Json, path: string, method: string): Json => {
  const operation = at(at(doc.paths, path), method.toLowerCase())
  if (!isObject(operation)) throw new Error(`${method} ${path} is not in the document`)
  return operation
}

/** the largest `maxLength` a parameter's schema states, anywhere in it (0: none) */
const documentedMaxLength = (schema: unknown): number => {
  if (Array.isArray(schema)) return Math.max(0, ...schema.map(documentedMaxLength))
  if (!isObject(schema)) return 0
  const own = typeof schema.maxLength === "number" ? schema.maxLength : 0
  return Math.max(own, ...Object.values(schema).map(documentedMaxLength))
}

const parametersOf = (operation: Json): Array<Json> => {
  const parameters = operation.parameters
  return Array.isArray(parameters) ? parameters.filter(isObject) : []
}

/** resolves a local JSON pointer such as `#/components/schemas/Problem` */
const resolve = (doc: Json, ref: string): unknown =>
  ref
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => at(node, key), doc)

const refsIn = (value: unknown, found: Array<string> = []): Array<string> => {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found)
  else if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (key === "$ref" && typeof member === "string") found.push(member)
      else refsIn(member, found)
    }
  }
  return found
}

describe("/openapi.json", () => {
  it("lists every route of the table with its method, parameters, responses, errors and scopes", async () => {
    const { w, doc } = await openApi()
    expect(w.table.length).toBeGreaterThanOrEqual(22)
    for (const route of w.table) {
      const label = `${route.method} ${route.path}`
      const operation = operationOf(doc, route.path, route.method)
      expect(operation.operationId, label).toBe(route.operationId)
      expect(operation.summary, label).toBe(route.summary)
      const parameters = parametersOf(operation)
      const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      expect(
        parameters.filter((p) => p.in === "path").map((p) => p.name),
        label
      ).toEqual(inPath)
      for (const p of parameters.filter((p) => p.in === "path")) expect(p.required, label).toBe(true)
      const responses = operation.responses
      if (!isObject(responses)) throw new Error(`${label} has no responses`)
      for (const status of Object.keys(route.responses)) expect(Object.keys(responses), label).toContain(status)
      for (const status of statusesOf(route)) {
        const schema = at(at(at(responses[String(status)], "content"), "application/problem+json"), "schema")
        expect(schema, `${label} ${status}`).toEqual({ $ref: "#/components/schemas/Problem" })
      }
      expect(statusesOf(route), label).toEqual(expect.arrayContaining([...route.errors]))
      if (route.access._tag === "Scoped") {
        expect(operation["x-scopes"], label).toEqual(route.access.anyOf)
        expect(operation.security, label).toEqual([{ apiKey: [] }, { session: [] }])
        expect(statusesOf(route), label).toEqual(expect.arrayContaining([401, 403]))
      } else {
        expect(operation.security, label).toEqual([])
      }
      if (route.requestBody !== undefined) {
        const content = at(operation.requestBody, "content")
        expect(Object.keys(isObject(content) ? content : {}), label).toEqual(Object.keys(route.requestBody.content))
      }
    }
    const documented = Object.entries(isObject(doc.paths) ? doc.paths : {}).flatMap(([path, item]) =>
      Object.keys(isObject(item) ? item : {}).map((method) => `${method.toUpperCase()} ${path}`)
    )
    expect(documented.sort()).toEqual(w.table.map((r) => `${r.method} ${r.path}`).sort())
  })

  it("is OpenAPI 3.1 in shape, and every $ref resolves", async () => {
    const { doc } = await openApi()
    expect(doc.openapi).toBe("3.1.0")
    expect(typeof at(doc.info, "title")).toBe("string")
    expect(typeof at(doc.info, "version")).toBe("string")
    const components = doc.components
    if (!isObject(components) || !isObject(components.schemas) || !isObject(components.securitySchemes)) {
      throw new Error("components.schemas and components.securitySchemes are required here")
    }
    const schemes = components.securitySchemes
    const operationIds: Array<unknown> = []
    for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
      expect(path).toMatch(/^\//)
      for (const [method, operation] of Object.entries(isObject(item) ? item : {})) {
        expect(["get", "put", "post", "delete", "patch", "head", "options", "trace"]).toContain(method)
        if (!isObject(operation)) throw new Error(`${method} ${path} is not an object`)
        operationIds.push(operation.operationId)
        const seen = new Set<string>()
        for (const p of parametersOf(operation)) {
          expect(typeof p.name, `${path} parameter`).toBe("string")
          expect(["path", "query", "header", "cookie"]).toContain(p.in)
          expect(isObject(p.schema), `${path} ${String(p.name)} schema`).toBe(true)
          const key = `${String(p.in)}:${String(p.name)}`
          expect(seen.has(key), `${path} ${key} twice`).toBe(false)
          seen.add(key)
        }
        const responses = isObject(operation.responses) ? operation.responses : {}
        expect(Object.keys(responses).length, `${method} ${path}`).toBeGreaterThan(0)
        for (const [status, response] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/)
          expect(typeof at(response, "description"), `${method} ${path} ${status}`).toBe("string")
        }
        const security = Array.isArray(operation.security) ? operation.security : []
        for (const requirement of security)
          for (const name of Object.keys(requirement)) expect(schemes).toHaveProperty(name)
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length)
    const refs = refsIn(doc)
    expect(refs.length).toBeGreaterThan(20)
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//)
      expect(isObject(resolve(doc, ref)), `${ref} does not resolve`).toBe(true)
    }
    expect(JSON.stringify(doc)).not.toContain("#/$defs/")
  })

  it("documents exactly the query parameters each route accepts", async () => {
    const { w, doc } = await openApi()
    const headers = { ...bearer(w.keys.alpha["dashboards:read"]), ...{} }
    const admin = bearer(w.keys.alpha.admin)
    let checked = 0
    for (const route of w.table.filter((r) => r.method === "GET")) {
      const path = route.path.replace("{id}", w.students.alpha[0] ?? "x")
      const auth = route.access._tag === "Scoped" && route.access.anyOf.includes("admin") ? admin : headers
      const parameters = parametersOf(operationOf(doc, route.path, route.method)).filter((p) => p.in === "query")
      const probes = [
        ...parameters.map((p) => ({ name: String(p.name), length: Math.max(300, documentedMaxLength(p.schema) + 1) })),
        { name: "undocumented", length: 300 }
      ]
      for (const { name, length } of probes) {
        // too long for every documented parameter (longer than its documented bound where that
        // is 300 or more, as an OpenID authorization code's is), so each must be refused by name
        const response = await w.app.request(`${path}?${name}=${"x".repeat(length)}`, { headers: auth })
        expect(response.status, `${route.operationId} ${name}`).toBe(400)
        const errors: Array<{ path: Array<string>; message: string }> = (await response.json()).errors ?? []
        const mine = errors.filter((e) => e.path[0] === "query" && e.path[1] === name)
        expect(mine.length, `${route.operationId} ${name}`).toBeGreaterThan(0)
        const unknown = mine.some((e) => /unknown|unexpected|excess/i.test(e.message))
        expect(unknown, `${route.operationId} ${name}: ${mine.map((e) => e.message)}`).toBe(name === "undocumented")
        checked += 1
      }
    }
    expect(checked).toBeGreaterThan(30)
  })
})
