/**
 * Downloads a table's CSV export through the browser and reads it back.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import type { Page } from "playwright-core"
import * as Csv from "../../src/lib/Csv.ts"

/**
 * Clicks the export button of the table named `exportAs` and returns its rows as objects
 * keyed by header, with the raw text for the byte-order mark check.
 *
 * @since 0.1.0
 * @category steps
 */
export const exportTable = async (
  page: Page,
  exportAs: string
): Promise<{
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>
  readonly fileName: string
}> => {
  const download = page.waitForEvent("download")
  await page.locator(`button[data-export="${exportAs}"]`).first().click()
  const file = await download
  const path = await file.path()
  const [header = [], ...lines] = Csv.parse(readFileSync(path, "utf8"))
  return {
    header,
    fileName: file.suggestedFilename(),
    rows: lines.map((line) => Object.fromEntries(header.map((name, index) => [name, line[index] ?? ""])))
  }
}
