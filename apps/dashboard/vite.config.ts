import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"
import { mockApi } from "./dev/MockApi.ts"

// `vite` and `vite preview` answer /v1 from the fixture school (dev/MockApi.ts) unless
// RAPPORT_API_URL points them at a running server. The build is static files only: no
// inline scripts (the server's CSP is script-src 'self'), no CDN.
const api = process.env.RAPPORT_API_URL

export default defineConfig({
  plugins: [react(), ...(api === undefined ? [mockApi()] : [])],
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
