/**
 * Debian's Chromium driven by playwright-core, the way every browser test and the benchmark
 * use it: headless, a fresh profile per launch, console errors collected per page, and the
 * few steps every test repeats (sign in, open a view and wait until it is ready, read the
 * API with a key).
 *
 * It must never download a browser, nor keep a profile between launches.
 *
 * @since 0.1.0
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core"

/**
 * @since 0.1.0
 * @category constants
 */
export const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/**
 * Viewports: a laptop and a tablet.
 *
 * @since 0.1.0
 * @category constants
 */
export const viewports = {
  laptop: { width: 1366, height: 900 },
  tablet: { width: 768, height: 1024 }
} as const

/**
 * @since 0.1.0
 * @category models
 */
export interface Browser {
  readonly context: BrowserContext
  readonly page: Page
  /** console errors and uncaught exceptions seen so far, minus the expected ones */
  readonly errors: () => ReadonlyArray<string>
  /** accepts console errors matching this from now on (an expected 404, say) */
  readonly expectConsoleError: (pattern: RegExp) => void
  readonly close: () => Promise<void>
}

// The browser itself logs a failed request as a console error. GET /v1/session answers 401
// before sign-in by contract, so that one is expected on every fresh load.
const alwaysExpected = [/Failed to load resource: the server responded with a status of 401/]

const describeMessage = (message: ConsoleMessage) => {
  const location = message.location()
  return `${message.text()}${location.url === "" ? "" : ` (${location.url}:${location.lineNumber})`}`
}

/**
 * A fresh Chromium with one page.
 *
 * @since 0.1.0
 * @category constructors
 */
export const launch = async (options: {
  readonly baseUrl: string
  readonly viewport?: { readonly width: number; readonly height: number }
  /** the browser's time zone (default America/New_York): another than the school's shows date bugs */
  readonly timezoneId?: string
}): Promise<Browser> => {
  const profile = mkdtempSync(join(tmpdir(), "rapport-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args,
    baseURL: options.baseUrl,
    viewport: { ...(options.viewport ?? viewports.laptop) },
    acceptDownloads: true,
    reducedMotion: "reduce",
    locale: "en-US",
    timezoneId: options.timezoneId ?? "America/New_York"
  })
  const errors: Array<string> = []
  const allowed: Array<RegExp> = [...alwaysExpected]
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() !== "error") return
      const text = describeMessage(message)
      if (!allowed.some((pattern) => pattern.test(text))) errors.push(text)
    })
    page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`))
  }
  context.on("page", watch)
  const page = context.pages()[0] ?? (await context.newPage())
  watch(page)
  return {
    context,
    page,
    errors: () => [...errors],
    expectConsoleError: (pattern) => {
      allowed.push(pattern)
    },
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/**
 * Signs in through the sign-in page and waits for the overview.
 *
 * @since 0.1.0
 * @category steps
 */
export const signIn = async (page: Page, key: string, path = "/"): Promise<void> => {
  await page.goto(path)
  await page.getByLabel("Your personal access key").fill(key)
  await page.getByRole("button", { name: "Sign in" }).click()
  await page.getByRole("button", { name: "Sign out" }).waitFor()
}

/**
 * Opens a path and waits until its view is ready: a heading, nothing loading.
 *
 * @since 0.1.0
 * @category steps
 */
export const openView = async (page: Page, path: string): Promise<void> => {
  await page.goto(path)
  await waitForView(page)
}

/**
 * Waits until the current view shows its heading and nothing is loading any more.
 *
 * @since 0.1.0
 * @category steps
 */
export const waitForView = async (page: Page): Promise<void> => {
  await page.locator("main h1").first().waitFor()
  await page.waitForFunction(
    () => document.querySelector("main .state.loading") === null && document.querySelector("[aria-busy=true]") === null
  )
}

/**
 * Does something that changes the view's request (a filter, a sort, a page), then waits for
 * the answer whose URL contains `requestPart` and for the view to show it.
 *
 * @since 0.1.0
 * @category steps
 */
export const changeAndWait = async (page: Page, requestPart: string, action: () => Promise<unknown>): Promise<void> => {
  const response = page.waitForResponse((r) => r.url().includes("/v1/") && r.url().includes(requestPart))
  await action()
  await response
  await waitForView(page)
}

/**
 * GET an API route with a key (what the dashboard's numbers must match).
 *
 * @since 0.1.0
 * @category api
 */
export const api = async (baseUrl: string, key: string, path: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body }
}
