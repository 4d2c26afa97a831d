/**
 * The `/docs` page: Swagger UI (bundled from the `swagger-ui-dist` package, served by this
 * server, never from a CDN: the server may run without internet access) reading
 * `/openapi.json`, with every schema, example and a form to try each operation. Everything
 * it loads comes from this origin, so the page keeps a strict policy of its own (no inline
 * script, no eval, nothing from elsewhere); the key typed into its Authorize dialog stays
 * in the page's memory and is never stored.
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"

/**
 * The page's own Content-Security-Policy, stricter than the rest of the server's.
 *
 * @since 0.2.0
 * @category constants
 */
export const docsPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

/**
 * @since 0.1.0
 * @category constants
 */
export const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css">
<style>
body{margin:0;font:15px/1.5 system-ui,sans-serif}
header{background:#12355b;color:#fff;padding:12px 24px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#dbe7f5}
header a{color:#fff}
.swagger-ui .topbar{display:none}
</style>
</head>
<body>
<header><h1>Rapport API</h1><p>Intended use: formative outreach, never grading or evaluation. The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>; the rules are in docs/api.md.</p></header>
<main id="api" aria-live="polite">Loading…</main>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/app.js"></script>
</body>
</html>`

/**
 * Starts Swagger UI on the document; no validator badge (it would call a service outside).
 *
 * @since 0.1.0
 * @category constants
 */
export const docsScript = `"use strict";
(async () => {
  const root = document.getElementById("api");
  const spec = await (await fetch("/openapi.json")).json();
  root.textContent = "";
  window.SwaggerUIBundle({
    spec,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    defaultModelsExpandDepth: 1,
    displayRequestDuration: true,
    persistAuthorization: false,
    tryItOutEnabled: false
  });
})();
`

/**
 * The files of the viewer that the server serves under `/docs/`, with their media types.
 *
 * @since 0.2.0
 * @category constants
 */
export const viewerFiles: Readonly<
  Record<string, { readonly operationId: string; readonly contentType: string; readonly what: string }>
> = {
  "swagger-ui-bundle.js": {
    operationId: "apiDocsViewerScript",
    contentType: "text/javascript; charset=utf-8",
    what: "its script"
  },
  "swagger-ui.css": { operationId: "apiDocsViewerStyle", contentType: "text/css; charset=utf-8", what: "its styles" }
}

const require = createRequire(import.meta.url)
const loaded = new Map<string, Promise<string>>()

/**
 * A file of the viewer, read from the installed package once. Its source-map comment is
 * dropped: the maps are not served.
 *
 * @since 0.2.0
 * @category operations
 */
export const viewerFile = (file: string): Promise<string> => {
  let text = loaded.get(file)
  if (text === undefined) {
    const path = require.resolve(`swagger-ui-dist/${file}`)
    text = readFile(path, "utf8").then((content) => content.replace(/\n[/][/*]# sourceMappingURL=[^\n]*\s*$/, "\n"))
    loaded.set(file, text)
  }
  return text
}
