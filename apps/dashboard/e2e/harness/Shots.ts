/**
 * Screenshots of the views for the docs (docs/images/dashboard-*.png), taken by the browser
 * tests so that the pictures in README.md and docs/dashboard.md show what the tests saw.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { rootDir } from "./Target.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const imagesDir = join(rootDir, "docs/images")

const maxHeight = 2200

/**
 * Saves the page (its top 2,200 pixels) as docs/images/dashboard-<name>.png (skipped with RAPPORT_E2E_SHOTS=0).
 *
 * @since 0.1.0
 * @category screenshots
 */
export const shoot = async (page: Page, name: string): Promise<void> => {
  if (process.env.RAPPORT_E2E_SHOTS === "0") return
  mkdirSync(imagesDir, { recursive: true })
  // Blur the focused control so a focus ring does not end up in the picture.
  await page.evaluate(() => {
    const active = document.activeElement
    if (active instanceof HTMLElement) active.blur()
  })
  // The top of long pages is what the docs need; the rest would only weigh on the repository.
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  const width = page.viewportSize()?.width ?? 1366
  await page.screenshot({
    path: join(imagesDir, `dashboard-${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight) },
    animations: "disabled"
  })
}
