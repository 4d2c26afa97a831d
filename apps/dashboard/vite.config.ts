import react from "@vitejs/plugin-react"
import { defineConfig, type Plugin } from "vite"
import { mockApi } from "./dev/MockApi.ts"
import { manifestFile, routes } from "./src/Routes.ts"

// `vite` and `vite preview` answer /v1 from the fixture school (dev/MockApi.ts) unless
// RAPPORT_API_URL points them at a running server. The build is static files only: no
// inline scripts (the server's CSP is script-src 'self'), no CDN.
const api = process.env.RAPPORT_API_URL

// The server learns the dashboard's own paths from this file (src/Routes.ts): index.html
// there, 404 anywhere else.
const routesManifest = (): Plugin => ({
  name: "rapport-routes-manifest",
  generateBundle() {
    this.emitFile({
      type: "asset",
      fileName: manifestFile,
      source: `${JSON.stringify({ routes: Object.values(routes) }, null, 2)}\n`
    })
  }
})

export default defineConfig({
  plugins: [react(), routesManifest(), ...(api === undefined ? [mockApi()] : [])],
  server: api === undefined ? {} : { proxy: { "/v1": api } },
  preview: api === undefined ? {} : { proxy: { "/v1": api } },
  build: {
    outDir: "dist",
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 700
  }
})
