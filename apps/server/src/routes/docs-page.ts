/**
 * The `/docs` page: reads `/openapi.json` and lists every operation with its parameters,
 * request body and responses, with a form to try each one. Self-contained (no CDN: the
 * server may run without internet access); the key typed into the form stays in the page's
 * memory and is never stored.
 *
 * @since 0.1.0
 */

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
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header{background:#12355b;color:#fff;padding:16px 24px}
header p{margin:4px 0 0;color:#dbe7f5}
main{max-width:980px;margin:0 auto;padding:16px 24px}
details{border:1px solid #c8d1dc;border-radius:6px;margin:10px 0;padding:8px 12px}
summary{cursor:pointer;font-weight:600}
.m{display:inline-block;min-width:56px;font-family:ui-monospace,monospace;color:#fff;background:#3b5b7d;border-radius:4px;padding:0 6px;margin-right:8px;text-align:center}
.m.post{background:#1f6b3a}.m.put{background:#7a4b00}
code,pre,textarea,input{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f3f5f8;padding:8px;overflow:auto;max-height:360px}
label{display:block;margin:6px 0 2px}
input,textarea{width:100%;box-sizing:border-box;padding:4px}
button{margin-top:8px;padding:6px 14px;background:#12355b;color:#fff;border:0;border-radius:4px;cursor:pointer}
button:focus,summary:focus,input:focus,textarea:focus{outline:3px solid #f5b400}
</style>
</head>
<body>
<header><h1>Rapport API</h1><p>Intended use: formative outreach, never grading or evaluation. The OpenAPI document is at <a style="color:#fff" href="/openapi.json">/openapi.json</a>.</p></header>
<main>
<label for="key">API key for "try it" (kept in this page only)</label>
<input id="key" type="password" autocomplete="off">
<div id="ops" aria-live="polite">Loading…</div>
</main>
<script src="/docs/app.js"></script>
</body>
</html>`

/**
 * @since 0.1.0
 * @category constants
 */
export const docsScript = `"use strict";
(async () => {
  const root = document.getElementById("ops");
  const doc = await (await fetch("/openapi.json")).json();
  root.textContent = "";
  const el = (tag, props, ...children) => { const e = document.createElement(tag); Object.assign(e, props || {}); for (const c of children) e.append(c); return e; };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const d = el("details");
      d.append(el("summary", {}, el("span", { className: "m " + method, textContent: method.toUpperCase() }), el("code", { textContent: path }), " — " + op.summary));
      if (op.description) d.append(el("p", { textContent: op.description }));
      if (op["x-scopes"]) d.append(el("p", { textContent: "Scopes: " + op["x-scopes"].join(" or ") }));
      const inputs = {};
      for (const p of op.parameters || []) {
        const id = op.operationId + "-" + p.name;
        d.append(el("label", { htmlFor: id, textContent: p.name + " (" + p.in + (p.required ? ", required" : "") + ")" }));
        inputs[p.name] = el("input", { id });
        d.append(inputs[p.name]);
      }
      let body;
      if (op.requestBody) {
        const id = op.operationId + "-body";
        d.append(el("label", { htmlFor: id, textContent: "Body (" + Object.keys(op.requestBody.content).join(" or ") + ")" }));
        body = el("textarea", { id, rows: 6 });
        d.append(body);
      }
      d.append(el("pre", { textContent: "Responses: " + Object.keys(op.responses).join(", ") }));
      const out = el("pre", { textContent: "" });
      const button = el("button", { type: "button", textContent: "Try it" });
      button.addEventListener("click", async () => {
        let url = path;
        const query = new URLSearchParams();
        for (const p of op.parameters || []) {
          const v = inputs[p.name].value;
          if (v === "") continue;
          if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(v)); else query.set(p.name, v);
        }
        if ([...query].length) url += "?" + query;
        const headers = {};
        const key = document.getElementById("key").value;
        if (key) headers.authorization = "Bearer " + key;
        const init = { method: method.toUpperCase(), headers };
        if (body && body.value) { init.body = body.value; headers["content-type"] = body.value.trim().startsWith("{\\"") && body.value.includes("\\n{") ? "application/x-ndjson" : "application/json"; }
        const res = await fetch(url, init);
        out.textContent = res.status + " " + res.statusText + "\\n" + (await res.text()).slice(0, 20000);
      });
      d.append(button, out);
      root.append(d);
    }
  }
})();
`
