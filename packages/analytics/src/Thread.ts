/**
 * Starting a `worker_thread` whose entry is a module of this package, from the built
 * package (`dist/X.js`) or from source (the test suite runs the `.ts` files).
 *
 * @since 0.1.0
 */
import { Worker } from "node:worker_threads"

// Bundled, the entry sits in dist/ beside this code. Run from source, the entry is the .ts
// file itself: Node strips its types, and the hook maps the `./X.js` specifiers of our
// sources to their `.ts` files.
const sourceBootstrap = `
import { registerHooks } from "node:module";
import { workerData } from "node:worker_threads";
registerHooks({ resolve(specifier, context, next) {
  try { return next(specifier, context) } catch (error) {
    if (specifier.startsWith(".") && specifier.endsWith(".js")) return next(specifier.slice(0, -3) + ".ts", context);
    throw error;
  } } });
await import(workerData.entry);
`

/**
 * Starts the thread whose entry module is `entry` (a name without extension, beside this
 * module); `settings` reaches it as `workerData.settings`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const spawn = (name: string, entry: string, settings: unknown): Worker => {
  const here = import.meta.url
  if (here.endsWith(".ts")) {
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(sourceBootstrap)}`), {
      name,
      workerData: { settings, entry: new URL(`./${entry}.ts`, here).href }
    })
  }
  return new Worker(new URL(`./${entry}.js`, here), { name, workerData: { settings } })
}
