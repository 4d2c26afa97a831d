// Writes src/ingest/EventReference.ts from docs/events.md: each type's one-line summary
// and its example, for the OpenAPI document. test/event-body.test.ts checks that the file
// matches the page, so run this again after editing the page:
//   node apps/server/scripts/event-reference.mjs
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

/** @returns {Record<string, { summary: string, example: unknown }>} */
export const referenceOf = (page) => {
  const types = page.slice(page.indexOf("## Types"), page.indexOf("## Versions"))
  const out = {}
  for (const section of types.split(/\n(?=### )/).slice(1)) {
    const type = /^### `(\w+)`/.exec(section)?.[1]
    if (type === undefined) continue
    const paragraphs = section.split(/\n\n/)
    const summary = (paragraphs[1] ?? "").replace(/\s*\n\s*/g, " ").trim()
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1]
    out[type] = { summary, example: JSON.parse(json ?? "null") }
  }
  return out
}

export const render = (reference) => `/**
 * Each event type's summary and example, as docs/events.md gives them (written by
 * scripts/event-reference.mjs; a test checks it against the page). The OpenAPI document
 * shows them beside the schemas. Data only: nothing here decides what is accepted.
 *
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 * @category constants
 */
export const eventReference: Readonly<Record<string, { readonly summary: string; readonly example: unknown }>> = ${JSON.stringify(reference, null, 2)}
`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = readFileSync(here("../../../docs/events.md"), "utf8")
  writeFileSync(here("../src/ingest/EventReference.ts"), render(referenceOf(page)))
}
