/**
 * axe-core in the browser tests: the page is checked as it is shown, and every violation of
 * serious or critical impact is returned (rule, impact, the elements, what to fix).
 *
 * axe is evaluated through the DevTools protocol, not added as a script tag, so that the
 * content security policy of the real server does not stand in its way.
 *
 * @since 0.4.0
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Page } from "playwright-core"

const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

/**
 * @since 0.4.0
 * @category models
 */
export interface Violation {
  readonly id: string
  readonly impact: string
  readonly help: string
  readonly targets: ReadonlyArray<string>
}

/**
 * The serious and critical violations of the page as shown now (WCAG 2.x A and AA rules and
 * best practices).
 *
 * @since 0.4.0
 * @category checks
 */
export const seriousViolations = async (page: Page): Promise<ReadonlyArray<Violation>> => {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(source)
  return page.evaluate(async () => {
    const axe: unknown = Reflect.get(window, "axe")
    const run: unknown = typeof axe === "object" && axe !== null ? Reflect.get(axe, "run") : undefined
    if (typeof run !== "function") throw new Error("axe-core did not load")
    const result: {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: Array<unknown> }> }>
    } = await run.call(axe, document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }
    })
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: String(v.impact),
        help: v.help,
        targets: v.nodes.map((n) => n.target.map(String).join(" "))
      }))
  })
}
