import { defineConfig } from "tsup"

export default defineConfig({
  // the worker threads' entry is a file of its own: WorkPool starts it with `new Worker(url)`
  entry: {
    main: "src/main.ts",
    app: "src/app.ts",
    "work-thread": "src/offload/WorkThread.ts"
  },
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
