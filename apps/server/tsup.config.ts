import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/main.ts", "src/app.ts"],
  format: ["esm"],
  dts: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  treeshake: true,
  splitting: true,
  // keep `node:sqlite` as written: it exists only under its `node:` name
  removeNodeProtocol: false
})
