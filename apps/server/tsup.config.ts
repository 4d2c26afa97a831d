import { defineConfig } from "tsup"

export default defineConfig({
  // The work threads' entry is a bundle of its own beside the code that starts it (see @rapport/event-store/thread).
  entry: {
    main: "src/main.ts",
    app: "src/app.ts",
    WorkEntry: "src/offload/WorkEntry.ts"
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
