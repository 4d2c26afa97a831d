/**
 * Stable ids: UUIDv5 as RFC 9562 defines it (its published example, and Python's `uuid`
 * module agreeing on names with non-ASCII text), the version and variant bits, and the
 * worked example docs/api.md gives.
 */
import { execFileSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import * as StableId from "../src/ingest/StableId.js"

const dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"

describe("StableId", () => {
  it("is UUIDv5: RFC 9562's example (www.example.com in the DNS namespace)", () => {
    expect(StableId.uuidV5("www.example.com", dns)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2")
  })

  it("sets version 5 and the RFC variant, and depends on the namespace and the name only", () => {
    const id = StableId.eventId(StableId.sourceNamespace("acme-scheduler"), "A-10293")
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(StableId.eventId(StableId.sourceNamespace("acme-scheduler"), "A-10293")).toBe(id)
    expect(StableId.eventId(StableId.sourceNamespace("other-scheduler"), "A-10293")).not.toBe(id)
    expect(StableId.eventId(StableId.sourceNamespace("acme-scheduler"), "A-10294")).not.toBe(id)
  })

  it("agrees with Python's uuid.uuid5, names with non-ASCII text included", () => {
    const names = ["acme-scheduler", "A-10293", "Zoë/2026-10-01", "名前"]
    const python = execFileSync(
      "python3",
      [
        "-c",
        `import sys, uuid, json\nroot = uuid.UUID("${StableId.rapportNamespace}")\nprint(json.dumps([str(uuid.uuid5(uuid.uuid5(root, "acme-scheduler"), n)) for n in json.loads(sys.argv[1])]))`,
        JSON.stringify(names)
      ],
      { encoding: "utf8" }
    )
    const namespace = StableId.sourceNamespace("acme-scheduler")
    expect(JSON.parse(python)).toEqual(names.map((name) => StableId.eventId(namespace, name)))
  })
})
