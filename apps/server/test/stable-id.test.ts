/**
 * Stable ids: UUIDv5 as RFC 9562 defines it (its published example, and Python's `uuid`
 * module agreeing on names with non-ASCII text), the version and variant bits, and the
 * recipe docs/api.md gives: its JavaScript and Python run and print its worked example.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
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

  it("is the recipe of docs/api.md: its JavaScript and Python print the worked example", () => {
    const page = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8")
    const section = page.slice(page.indexOf("## Stable event ids"), page.indexOf("## Reading your writes"))
    const block = (language: string) => new RegExp(`\`\`\`${language}\n([\\s\\S]*?)\`\`\``).exec(section)?.[1] ?? ""
    const expected = StableId.eventId(StableId.sourceNamespace("acme-scheduler"), "A-10293")
    expect(section).toContain(`\`${StableId.sourceNamespace("acme-scheduler")}\``)
    expect(section).toContain(`\`${expected}\``)
    expect(section).toContain(StableId.rapportNamespace)
    const js = execFileSync(process.execPath, ["--input-type=module", "-e", block("js")], { encoding: "utf8" })
    expect(js.trim()).toBe(expected)
    const python = execFileSync("python3", ["-c", block("python")], { encoding: "utf8" })
    expect(python.trim()).toBe(expected)
  })
})
