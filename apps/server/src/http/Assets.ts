/**
 * Serves the dashboard's built files (apps/dashboard/dist) for GET requests no route
 * matched: exact files with a content type and caching for hashed assets, and
 * `index.html` at the dashboard's own paths (the dashboard routes in the browser), which
 * its build lists in `routes.json` (apps/dashboard/src/Routes.ts). Any other path is not
 * the dashboard's: `undefined`, a 404. Paths are resolved inside the folder; nothing
 * outside it can be read.
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { extname, join, normalize, resolve, sep } from "node:path"

/**
 * Whether a path is at one of the dashboard's route patterns (`:name` is one non-empty
 * segment), as the dashboard's router matches them: exactly, no trailing slash but on `/`.
 *
 * @since 0.4.0
 * @category operations
 */
export const isDashboardPath = (patterns: ReadonlyArray<string>, path: string): boolean =>
  patterns.some((pattern) => {
    const segments = pattern.split("/")
    const parts = path.split("/")
    return (
      segments.length === parts.length &&
      segments.every((segment, index) => {
        const part = parts[index] ?? ""
        return segment.startsWith(":") ? part !== "" : segment === part
      })
    )
  })

/** The dashboard's route patterns from its build (only `/` when the file is missing or not a list). */
const routesOf = (file: string): ReadonlyArray<string> => {
  if (!existsSync(file)) return ["/"]
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"))
  const routes: unknown = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "routes") : undefined
  return Array.isArray(routes) ? routes.filter((route): route is string => typeof route === "string") : ["/"]
}

const types: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8"
}

/**
 * A handler for the folder, or `undefined` when it has no `index.html` (dashboard not
 * built).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromFolder = (folder: string): ((path: string) => Promise<Response | undefined>) | undefined => {
  const root = resolve(folder)
  const index = join(root, "index.html")
  if (!existsSync(index)) return undefined
  const routes = routesOf(join(root, "routes.json"))
  const cache = new Map<string, { body: Buffer; type: string; immutable: boolean }>()
  const load = (file: string) => {
    let entry = cache.get(file)
    if (entry === undefined) {
      entry = {
        body: readFileSync(file),
        type: types[extname(file)] ?? "application/octet-stream",
        immutable: file.includes(`${sep}assets${sep}`)
      }
      cache.set(file, entry)
    }
    return entry
  }
  return async (path) => {
    let decoded: string
    try {
      decoded = decodeURIComponent(path)
    } catch {
      return undefined
    }
    const candidate = resolve(root, `.${normalize(`/${decoded}`)}`)
    const inside = candidate === root || candidate.startsWith(`${root}${sep}`)
    const file =
      inside && existsSync(candidate) && statSync(candidate).isFile()
        ? candidate
        : isDashboardPath(routes, path)
          ? index
          : undefined
    if (file === undefined) return undefined
    const entry = load(file)
    return new Response(new Uint8Array(entry.body), {
      headers: {
        "content-type": entry.type,
        "cache-control": entry.immutable ? "public, max-age=31536000, immutable" : "no-cache"
      }
    })
  }
}
